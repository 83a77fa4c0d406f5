import { RequestCapabilities } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Caller } from '../refs';
import { cancelRule } from './cancel';
import { approveRule, rejectRule } from './decide';
import { RequestFacts, ReviewFacts } from './requestFacts';
import { reviewRule } from './review';
import { revokeRule } from './revoke';

/**
 * What the caller may do with a request: for each action, the permission the
 * action asks (approve or revoke) and the action's own rule. Nothing is
 * decided here that the rules do not decide.
 */
export function capabilitiesFor(options: {
  caller: Caller;
  request: RequestFacts & Partial<ReviewFacts>;
  currentApproverRefs: string[];
  alreadyDecided: boolean;
  isAdmin: boolean;
  /** The permission framework's answers for this request. */
  permits: { approve: boolean; revoke: boolean };
}): RequestCapabilities {
  const { caller, request, currentApproverRefs, isAdmin, permits } = options;
  const decision = {
    caller,
    request,
    currentApproverRefs,
    alreadyDecided: options.alreadyDecided,
  };
  return {
    canApprove: permits.approve && approveRule(decision).allowed,
    canReject: permits.approve && rejectRule(decision).allowed,
    canCancel: permits.revoke && cancelRule({ caller, request }).allowed,
    canRevoke:
      permits.revoke &&
      revokeRule({ caller, request, currentApproverRefs, isAdmin }).allowed,
    canReview:
      permits.approve &&
      reviewRule({
        caller,
        request: {
          ...request,
          breakGlass: Boolean(request.breakGlass),
          activityComplete: Boolean(request.activityComplete),
        },
        currentApproverRefs,
        isAdmin,
      }).allowed,
  };
}
