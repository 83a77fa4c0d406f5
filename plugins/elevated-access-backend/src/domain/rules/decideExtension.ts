import {
  ElevatedAccessSettings,
  RequestExtension,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Caller, sameRef } from '../refs';
import { isApproverInScope } from './approverInScope';
import { enforce, refusedByPolicy, RuleVerdict, verdict } from './RuleVerdict';

/** What the caller hears when the approve permission refuses a decision on an extension. */
export function extensionDecisionRefusedByPolicy(
  caller: Caller,
  request: { requesterRef: string },
): string {
  return refusedByPolicy(caller, request.requesterRef, {
    own: 'You cannot decide on your own extension',
    other: 'You may not decide on this extension',
  });
}

/**
 * A decision on a pending extension, by the rules of decisions on requests:
 * not the requester, an approver of the extension who still approves the
 * pair today, only while pending, one vote each. The permission framework's
 * approve permission is asked first.
 */
export function decideExtensionRule(facts: {
  caller: Caller;
  extension: Pick<RequestExtension, 'requesterRef' | 'status' | 'approverRefs'>;
  /** "PowerUserAccess on payments-prod", for the refusal. */
  what: string;
  currentApproverRefs: string[];
  alreadyDecided: boolean;
  decision: 'approve' | 'reject';
}): RuleVerdict {
  const { caller, extension } = facts;
  if (sameRef(caller.userEntityRef, extension.requesterRef)) {
    return verdict.forbidden('You cannot decide on your own extension');
  }
  if (!isApproverInScope(caller, extension, facts.currentApproverRefs)) {
    return verdict.forbidden(`You are not an approver for ${facts.what}`);
  }
  if (extension.status !== 'pending') {
    return verdict.conflict(
      `The extension is ${extension.status}; only pending extensions can be ${
        facts.decision === 'approve' ? 'approved' : 'rejected'
      }`,
    );
  }
  if (facts.alreadyDecided) {
    return verdict.conflict('You have already decided on this extension');
  }
  return verdict.allowed;
}

/**
 * Refuses a decision on an extension the rule does not allow, and a
 * rejection without the reason the settings ask for.
 */
export function assertCanDecideExtension(
  options: Parameters<typeof decideExtensionRule>[0] & {
    comment?: string;
    settings: Pick<ElevatedAccessSettings, 'commentRequiredOnReject'>;
  },
) {
  enforce(decideExtensionRule(options), {
    required:
      options.decision === 'reject' && options.settings.commentRequiredOnReject,
    given: options.comment,
    sayWhy: 'Say why you reject the extension',
  });
}

/** Whether the caller may decide the pending extension (the rule, as a flag). */
export function canDecideExtension(
  facts: Omit<Parameters<typeof decideExtensionRule>[0], 'decision'>,
): boolean {
  return decideExtensionRule({ ...facts, decision: 'approve' }).allowed;
}
