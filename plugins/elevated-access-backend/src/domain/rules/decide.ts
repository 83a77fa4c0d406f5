import { ElevatedAccessSettings } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Caller, sameRef } from '../refs';
import { isApproverInScope } from './approverInScope';
import { RequestFacts } from './requestFacts';
import { enforce, refusedByPolicy, RuleVerdict, verdict } from './RuleVerdict';

/** What a decision's rule reads. */
export interface DecisionFacts {
  caller: Caller;
  request: RequestFacts;
  /** The approvers of the request's pair under today's policies. */
  currentApproverRefs: string[];
  /** The caller already voted on this request. */
  alreadyDecided: boolean;
}

/**
 * Approving and rejecting a request. The permission framework's approve
 * permission is asked first (see decisionRefusedByPolicy); then these rules:
 * nobody decides their own request, only an approver in scope decides, only
 * while pending, one vote each.
 */
function decisionRule(
  facts: DecisionFacts,
  decision: 'approve' | 'reject',
): RuleVerdict {
  const { caller, request } = facts;
  if (sameRef(caller.userEntityRef, request.requesterRef)) {
    return verdict.forbidden('You cannot decide on your own request');
  }
  if (!isApproverInScope(caller, request, facts.currentApproverRefs)) {
    return verdict.forbidden(
      `You are not an approver for ${request.permissionSetName} on ${request.accountName}`,
    );
  }
  if (request.status !== 'pending') {
    return verdict.conflict(
      `The request is ${request.status}; only pending requests can be ${
        decision === 'approve' ? 'approved' : 'rejected'
      }`,
    );
  }
  if (facts.alreadyDecided) {
    return verdict.conflict('You have already decided on this request');
  }
  return verdict.allowed;
}

export const approveRule = (facts: DecisionFacts) =>
  decisionRule(facts, 'approve');

export const rejectRule = (facts: DecisionFacts) =>
  decisionRule(facts, 'reject');

/** What the caller hears when the approve permission refuses a decision. */
export function decisionRefusedByPolicy(
  caller: Caller,
  request: Pick<RequestFacts, 'requesterRef'>,
): string {
  return refusedByPolicy(caller, request.requesterRef, {
    own: 'You cannot decide on your own request',
    other: 'You may not decide on this request',
  });
}

/**
 * Refuses a decision the rule does not allow, and a rejection without the
 * reason the settings ask for.
 */
export function assertCanDecide(
  options: DecisionFacts & {
    decision: 'approve' | 'reject';
    comment?: string;
    settings: Pick<ElevatedAccessSettings, 'commentRequiredOnReject'>;
  },
) {
  enforce(decisionRule(options, options.decision), {
    required:
      options.decision === 'reject' && options.settings.commentRequiredOnReject,
    given: options.comment,
    sayWhy: 'Say why you reject the request',
  });
}
