import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Caller, sameRef } from '../refs';
import { enforce, RuleVerdict, verdict } from './RuleVerdict';

type ExtendFacts = Pick<
  AccessRequest,
  'requesterRef' | 'status' | 'grantedAt' | 'endTime'
>;

/**
 * Extending a request's access in place: only the requester, and only while
 * the access is active (granted, not yet at its end). The permission
 * framework's create permission is asked too; one extension awaits a
 * decision at a time (the extension store refuses a second).
 */
export function extendRule(facts: {
  caller: Caller;
  request: ExtendFacts;
  now: Date;
}): RuleVerdict {
  const { caller, request } = facts;
  if (!sameRef(caller.userEntityRef, request.requesterRef)) {
    return verdict.forbidden('Only the requester can extend their access');
  }
  if (
    request.status !== 'active' ||
    !request.grantedAt ||
    Date.parse(request.endTime) <= facts.now.getTime()
  ) {
    return verdict.conflict(
      `The request is ${request.status}; only active access can be extended`,
    );
  }
  return verdict.allowed;
}

/** Refuses an extension the rule does not allow. */
export function assertCanExtend(
  caller: Caller,
  request: ExtendFacts,
  now: Date,
) {
  enforce(extendRule({ caller, request, now }));
}
