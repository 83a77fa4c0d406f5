import {
  AccessRequest,
  shortEntityRef,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Caller, sameRef } from '../refs';
import { isApproverInScope } from './approverInScope';
import { ReviewFacts } from './requestFacts';
import { enforce, refusedByPolicy, RuleVerdict, verdict } from './RuleVerdict';

/**
 * Whether the access of a request is over: ended or revoked, or failed
 * after a grant once the assignment was removed (ended_at is set).
 */
export function accessOver(
  request: Pick<AccessRequest, 'status' | 'grantedAt' | 'endedAt'>,
): boolean {
  if (request.status === 'ended' || request.status === 'revoked') return true;
  return (
    request.status === 'error' &&
    Boolean(request.grantedAt) &&
    Boolean(request.endedAt)
  );
}

/** What the caller hears when the approve permission refuses a review. */
export function reviewRefusedByPolicy(
  caller: Caller,
  request: Pick<ReviewFacts, 'requesterRef'>,
): string {
  return refusedByPolicy(caller, request.requesterRef, {
    own: 'Nobody reviews their own break-glass request',
    other: 'You may not review this request',
  });
}

/**
 * Reviewing a break-glass request. The permission framework's approve
 * permission is asked first; then: only break-glass is reviewed, by an
 * approver in scope (or an admin) other than the requester, once the access
 * is over and its activity collected, and only once.
 */
export function reviewRule(facts: {
  caller: Caller;
  request: ReviewFacts;
  /** The approvers of the request's pair under today's policies. */
  currentApproverRefs: string[];
  isAdmin: boolean;
}): RuleVerdict {
  const { caller, request } = facts;
  if (!request.breakGlass) {
    return verdict.conflict('Only break-glass requests are reviewed');
  }
  if (sameRef(caller.userEntityRef, request.requesterRef)) {
    return verdict.forbidden('Nobody reviews their own break-glass request');
  }
  if (
    !facts.isAdmin &&
    !isApproverInScope(caller, request, facts.currentApproverRefs)
  ) {
    return verdict.forbidden(
      `You are not an approver for ${request.permissionSetName} on ${request.accountName}`,
    );
  }
  if (request.review) {
    return verdict.conflict(
      `Already reviewed by ${shortEntityRef(request.review.reviewerRef)}: ${
        request.review.outcome
      }`,
    );
  }
  if (!accessOver(request)) {
    return verdict.conflict(
      `Review once the access has ended: it is ${request.status}`,
    );
  }
  if (!request.activityComplete) {
    return verdict.conflict(
      'Its activity is still being collected, review once it is complete',
    );
  }
  return verdict.allowed;
}

/** Refuses a review the rule does not allow. */
export function assertCanReview(options: Parameters<typeof reviewRule>[0]) {
  enforce(reviewRule(options));
}
