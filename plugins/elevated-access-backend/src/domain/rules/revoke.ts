import {
  ElevatedAccessSettings,
  statusesAllowing,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Caller, sameRef } from '../refs';
import { isApproverInScope } from './approverInScope';
import { RequestFacts } from './requestFacts';
import { enforce, RuleVerdict, verdict } from './RuleVerdict';

const REVOCABLE = statusesAllowing('revoke');

/** What the caller hears when the revoke permission refuses. */
export const REVOKE_REFUSED_BY_POLICY = 'You may not revoke this access';

/**
 * Who may revoke, and when. The permission framework's revoke permission is
 * asked first (the bundled policy: the requester, approvers and admins);
 * then: the requester, an approver in scope or an admin, in a status the
 * lifecycle lets a person revoke from. The lifecycle task removes what was
 * granted afterwards.
 */
export function revokeRule(facts: {
  caller: Caller;
  request: RequestFacts;
  /** The approvers of the request's pair under today's policies. */
  currentApproverRefs: string[];
  isAdmin: boolean;
}): RuleVerdict {
  const { caller, request } = facts;
  const permitted =
    sameRef(caller.userEntityRef, request.requesterRef) ||
    isApproverInScope(caller, request, facts.currentApproverRefs) ||
    facts.isAdmin;
  if (!permitted) {
    return verdict.forbidden(
      'Only the requester, an approver of this request or an admin can revoke it',
    );
  }
  return verdict.fromStatus(request.status, REVOCABLE, 'revoked', ', ');
}

/**
 * Refuses a revocation the rule does not allow, and one without the reason
 * the settings ask for.
 */
export function assertCanRevoke(
  options: Parameters<typeof revokeRule>[0] & {
    comment?: string;
    settings: Pick<ElevatedAccessSettings, 'commentRequiredOnRevoke'>;
  },
) {
  enforce(revokeRule(options), {
    required: options.settings.commentRequiredOnRevoke,
    given: options.comment,
    sayWhy: 'Say why you revoke the access',
  });
}
