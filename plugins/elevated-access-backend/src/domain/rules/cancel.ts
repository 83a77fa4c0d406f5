import { statusesAllowing } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Caller, sameRef } from '../refs';
import { RequestFacts } from './requestFacts';
import { enforce, RuleVerdict, verdict } from './RuleVerdict';

const CANCELLABLE = statusesAllowing('cancel');

/** What the caller hears when the revoke permission refuses a cancellation. */
export const CANCEL_REFUSED_BY_POLICY =
  'Only the requester can cancel a request';

/**
 * Cancelling: the requester, before any access was granted (the lifecycle's
 * cancel transitions). The permission framework's revoke permission is asked
 * first.
 */
export function cancelRule(facts: {
  caller: Caller;
  request: Pick<RequestFacts, 'requesterRef' | 'status'>;
}): RuleVerdict {
  const { caller, request } = facts;
  if (!sameRef(caller.userEntityRef, request.requesterRef)) {
    return verdict.forbidden('Only the requester can cancel a request');
  }
  return verdict.fromStatus(request.status, CANCELLABLE, 'cancelled');
}

/** Refuses a cancellation the rule does not allow. */
export function assertCanCancel(
  caller: Caller,
  request: Pick<RequestFacts, 'requesterRef' | 'status'>,
) {
  enforce(cancelRule({ caller, request }));
}
