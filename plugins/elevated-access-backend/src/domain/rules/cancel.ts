import { statusesAllowing } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Caller, sameRef } from '../refs';
import { RequestFacts } from './requestFacts';
import {
  ALLOWED,
  conflict,
  enforce,
  forbidden,
  RuleVerdict,
} from './RuleVerdict';

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
    return forbidden('Only the requester can cancel a request');
  }
  if (!CANCELLABLE.includes(request.status)) {
    return conflict(
      `The request is ${request.status}; only ${CANCELLABLE.join(
        ' or ',
      )} requests can be cancelled`,
    );
  }
  return ALLOWED;
}

/** Refuses a cancellation the rule does not allow. */
export function assertCanCancel(
  caller: Caller,
  request: Pick<RequestFacts, 'requesterRef' | 'status'>,
) {
  enforce(cancelRule({ caller, request }));
}
