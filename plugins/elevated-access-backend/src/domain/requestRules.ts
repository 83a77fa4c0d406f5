import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  AccessRequest,
  chooseBreakGlassOption,
  chooseEligibilityOption,
  CreateRequestInput,
  EligibilityOption,
  ElevatedAccessSettings,
  pendingDeadline,
  RequestCapabilities,
  RequestStatus,
  shortEntityRef,
  statusesAllowing,
  ticketMatches,
  ticketPatternProblem,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { ApproverResolution } from './approvers';
import { Caller, intersects, sameRef } from './refs';
import { FieldInputError } from './FieldInputError';

/** How far in the past a start time may be and still mean "now" (clock skew). */
export const START_TIME_SKEW_MINUTES = 5;
/** How far ahead access can be scheduled. */
export const MAX_START_AHEAD_DAYS = 30;

/** The fields of a new request that the rules decide. */
export interface PlannedRequest {
  status: 'pending' | 'approved';
  startTime: Date;
  endTime: Date;
  expiresAt?: Date;
  approvalRequired: boolean;
  minApprovals: number;
  approverRefs: string[];
  ticketId?: string;
  /** The policies whose terms the request was granted under. */
  policyIds: string[];
  /** Break-glass: approved at once under this policy, reviewed afterwards. */
  breakGlass?: { policyName: string };
}

/** How far ahead a break-glass start time may be and still mean "now". */
export const BREAK_GLASS_START_SLACK_MINUTES = 1;

/** Checks a ticket id against the settings; returns it trimmed or undefined. */
export function checkTicket(
  ticketId: string | undefined,
  required: boolean,
  settings: Pick<ElevatedAccessSettings, 'ticketPattern' | 'ticketExample'>,
): string | undefined {
  if (!ticketId) {
    if (required) {
      throw FieldInputError.of(
        'ticketId',
        'A ticket is required for this access',
      );
    }
    return undefined;
  }
  if (
    settings.ticketPattern &&
    !ticketMatches(settings.ticketPattern, ticketId)
  ) {
    // a pattern saved before unsafe ones were refused matches nothing; say why
    const problem = ticketPatternProblem(settings.ticketPattern);
    throw FieldInputError.of(
      'ticketId',
      problem ??
        (settings.ticketExample
          ? `"${ticketId}" is not a valid ticket id. Ticket ids look like ${settings.ticketExample}`
          : `"${ticketId}" is not a valid ticket id. Check it in your ticket system`),
    );
  }
  return ticketId;
}

/**
 * Decides everything about a new request that does not need I/O, or refuses
 * it with an error a person understands.
 *
 * @param otherApprovers - how many distinct users other than the requester
 *   hold the approver refs (groups expanded through the catalog)
 */
export function planRequest(options: {
  input: CreateRequestInput;
  now: Date;
  settings: ElevatedAccessSettings;
  /** The caller's options for the pair (see eligibilityOptions); empty: not eligible. */
  options: EligibilityOption[];
  accountName: string;
  permissionSetName: string;
  approvers: ApproverResolution;
  otherApprovers: number;
}): PlannedRequest {
  const { input, now, settings, approvers } = options;
  const what = `${options.permissionSetName} on ${options.accountName}`;
  if (!options.options.length) {
    throw new NotAllowedError(
      `You are not eligible to request ${what}; no eligibility policy covers it for you`,
    );
  }
  if (input.breakGlass) {
    return planBreakGlass({ ...options, what });
  }

  let start = now;
  if (input.startTime) {
    const requested = new Date(input.startTime);
    const earliest = now.getTime() - START_TIME_SKEW_MINUTES * 60_000;
    const latest = now.getTime() + MAX_START_AHEAD_DAYS * 24 * 3600_000;
    if (requested.getTime() < earliest) {
      throw FieldInputError.of(
        'startTime',
        'Start time is in the past; leave it empty to start now',
      );
    }
    if (requested.getTime() > latest) {
      throw FieldInputError.of(
        'startTime',
        `Start time must be within the next ${MAX_START_AHEAD_DAYS} days`,
      );
    }
    start = requested.getTime() < now.getTime() ? now : requested;
  }

  // one policy's terms, the least demanding that allows the whole request
  const choice = chooseEligibilityOption(
    options.options,
    {
      durationMinutes: input.durationMinutes,
      hasTicket: Boolean(input.ticketId),
    },
    what,
  );
  if (!choice.ok) {
    throw FieldInputError.of(choice.field, choice.message);
  }
  const terms = choice.option;
  const ticketId = checkTicket(input.ticketId, terms.ticketRequired, settings);
  const end = new Date(start.getTime() + input.durationMinutes * 60_000);

  if (!terms.approvalRequired) {
    return {
      status: 'approved',
      startTime: start,
      endTime: end,
      approvalRequired: false,
      minApprovals: 0,
      approverRefs: approvers.approverRefs,
      ticketId,
      policyIds: terms.policyIds,
    };
  }
  if (options.otherApprovers < approvers.minApprovals) {
    throw new InputError(
      approvers.approverRefs.length === 0
        ? `No approver policy covers ${what}, so nobody could approve it; ask an Elevated Access admin to add one`
        : `${what} needs ${approvers.minApprovals} approval${
            approvers.minApprovals > 1 ? 's' : ''
          }, but only ${options.otherApprovers} approver${
            options.otherApprovers === 1 ? '' : 's'
          } other than you can decide (${approvers.approverRefs.join(
            ', ',
          )}); ask an Elevated Access admin to add approvers`,
    );
  }
  return {
    status: 'pending',
    startTime: start,
    endTime: end,
    expiresAt: new Date(
      pendingDeadline({
        createdAt: now.toISOString(),
        startTime: start.toISOString(),
        durationMinutes: input.durationMinutes,
        pendingTimeoutMinutes: settings.pendingTimeoutMinutes,
      }),
    ),
    approvalRequired: true,
    minApprovals: approvers.minApprovals,
    approverRefs: approvers.approverRefs,
    ticketId,
    policyIds: terms.policyIds,
  };
}

/**
 * A break-glass request: under an option whose policy allows it, within its
 * cap, with a ticket (whatever the policy says), starting now, and with an
 * approver other than the requester to review it afterwards. It is approved
 * at once; the approvers are snapshotted as for any request, as they review it.
 */
function planBreakGlass(options: {
  input: CreateRequestInput;
  now: Date;
  settings: ElevatedAccessSettings;
  options: EligibilityOption[];
  approvers: ApproverResolution;
  otherApprovers: number;
  what: string;
}): PlannedRequest {
  const { input, now, settings, approvers, what } = options;
  const choice = chooseBreakGlassOption(
    options.options,
    { durationMinutes: input.durationMinutes },
    what,
  );
  if (!choice.ok) {
    throw FieldInputError.of(choice.field, choice.message);
  }
  if (
    input.startTime &&
    Date.parse(input.startTime) >
      now.getTime() + BREAK_GLASS_START_SLACK_MINUTES * 60_000
  ) {
    throw FieldInputError.of(
      'startTime',
      'Break-glass access starts now, leave the start time empty',
    );
  }
  if (!input.ticketId) {
    throw FieldInputError.of(
      'ticketId',
      'A ticket is required for break-glass access',
    );
  }
  const ticketId = checkTicket(input.ticketId, true, settings);
  if (options.otherApprovers < 1) {
    throw new InputError(
      `Break-glass for ${what} needs an approver to review it afterwards, but no approver other than you covers it. Ask an Elevated Access admin to add one`,
    );
  }
  return {
    status: 'approved',
    startTime: now,
    endTime: new Date(now.getTime() + input.durationMinutes * 60_000),
    approvalRequired: false,
    minApprovals: approvers.minApprovals,
    approverRefs: approvers.approverRefs,
    ticketId,
    policyIds: choice.option.policyIds,
    breakGlass: { policyName: choice.option.policyNames.join(', ') },
  };
}

type RequestFacts = Pick<
  AccessRequest,
  | 'requesterRef'
  | 'status'
  | 'approverRefs'
  | 'accountName'
  | 'permissionSetName'
>;

/**
 * Whether the caller is an approver of this request: in the snapshot taken at
 * creation and still an approver under the current policies.
 */
export function isApproverInScope(
  caller: Caller,
  request: Pick<AccessRequest, 'approverRefs'>,
  currentApproverRefs: string[],
): boolean {
  return (
    intersects(caller.ownershipEntityRefs, request.approverRefs) &&
    intersects(caller.ownershipEntityRefs, currentApproverRefs)
  );
}

/** Refuses a decision that the rules do not allow; nobody decides their own request. */
export function assertCanDecide(options: {
  caller: Caller;
  request: RequestFacts;
  currentApproverRefs: string[];
  alreadyDecided: boolean;
  decision: 'approve' | 'reject';
  comment?: string;
  settings: ElevatedAccessSettings;
}) {
  const { caller, request } = options;
  if (sameRef(caller.userEntityRef, request.requesterRef)) {
    throw new NotAllowedError('You cannot decide on your own request');
  }
  if (!isApproverInScope(caller, request, options.currentApproverRefs)) {
    throw new NotAllowedError(
      `You are not an approver for ${request.permissionSetName} on ${request.accountName}`,
    );
  }
  if (request.status !== 'pending') {
    throw new ConflictError(
      `The request is ${request.status}; only pending requests can be ${
        options.decision === 'approve' ? 'approved' : 'rejected'
      }`,
    );
  }
  if (options.alreadyDecided) {
    throw new ConflictError('You have already decided on this request');
  }
  if (
    options.decision === 'reject' &&
    options.settings.commentRequiredOnReject &&
    !options.comment
  ) {
    throw FieldInputError.of('comment', 'Say why you reject the request');
  }
}

const CANCELLABLE = statusesAllowing('cancel');
const REVOCABLE = statusesAllowing('revoke');

export function assertCanCancel(caller: Caller, request: RequestFacts) {
  if (!sameRef(caller.userEntityRef, request.requesterRef)) {
    throw new NotAllowedError('Only the requester can cancel a request');
  }
  if (!CANCELLABLE.includes(request.status)) {
    throw new ConflictError(
      `The request is ${request.status}; only ${CANCELLABLE.join(
        ' or ',
      )} requests can be cancelled`,
    );
  }
}

/** Revoking: the requester, an approver in scope, or an admin. */
export function assertCanRevoke(options: {
  caller: Caller;
  request: RequestFacts;
  currentApproverRefs: string[];
  isAdmin: boolean;
  comment?: string;
  settings: ElevatedAccessSettings;
}) {
  const { caller, request } = options;
  const permitted =
    sameRef(caller.userEntityRef, request.requesterRef) ||
    isApproverInScope(caller, request, options.currentApproverRefs) ||
    options.isAdmin;
  if (!permitted) {
    throw new NotAllowedError(
      'Only the requester, an approver of this request or an admin can revoke it',
    );
  }
  if (!REVOCABLE.includes(request.status)) {
    throw new ConflictError(
      `The request is ${request.status}; only ${REVOCABLE.join(
        ', ',
      )} requests can be revoked`,
    );
  }
  if (options.settings.commentRequiredOnRevoke && !options.comment) {
    throw FieldInputError.of('comment', 'Say why you revoke the access');
  }
}

/** What a review looks at in a request. */
export type ReviewFacts = RequestFacts &
  Pick<
    AccessRequest,
    'breakGlass' | 'grantedAt' | 'endedAt' | 'activityComplete' | 'review'
  >;

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

/**
 * Refuses a review the rules do not allow: only break-glass is reviewed, by
 * an approver in scope (or an admin) other than the requester, once the
 * access is over and its activity collected, and only once.
 */
export function assertCanReview(options: {
  caller: Caller;
  request: ReviewFacts;
  currentApproverRefs: string[];
  isAdmin: boolean;
}) {
  const { caller, request } = options;
  if (!request.breakGlass) {
    throw new ConflictError('Only break-glass requests are reviewed');
  }
  if (sameRef(caller.userEntityRef, request.requesterRef)) {
    throw new NotAllowedError('Nobody reviews their own break-glass request');
  }
  if (
    !options.isAdmin &&
    !isApproverInScope(caller, request, options.currentApproverRefs)
  ) {
    throw new NotAllowedError(
      `You are not an approver for ${request.permissionSetName} on ${request.accountName}`,
    );
  }
  if (request.review) {
    throw new ConflictError(
      `Already reviewed by ${shortEntityRef(request.review.reviewerRef)}: ${
        request.review.outcome
      }`,
    );
  }
  if (!accessOver(request)) {
    throw new ConflictError(
      `Review once the access has ended: it is ${request.status}`,
    );
  }
  if (!request.activityComplete) {
    throw new ConflictError(
      'Its activity is still being collected, review once it is complete',
    );
  }
}

/** Whether assertCanReview would pass (for capabilities). */
function canReviewNow(options: Parameters<typeof assertCanReview>[0]) {
  try {
    assertCanReview(options);
    return true;
  } catch {
    return false;
  }
}

/** What the caller may do with a request, by the same rules as the actions. */
export function capabilitiesFor(options: {
  caller: Caller;
  request: RequestFacts & Partial<ReviewFacts>;
  currentApproverRefs: string[];
  alreadyDecided: boolean;
  isAdmin: boolean;
  /** The permission framework's answers for this request. */
  permits: { approve: boolean; revoke: boolean };
}): RequestCapabilities {
  const { caller, request, permits } = options;
  const isRequester = sameRef(caller.userEntityRef, request.requesterRef);
  const inScope = isApproverInScope(
    caller,
    request,
    options.currentApproverRefs,
  );
  const canDecide =
    permits.approve &&
    !isRequester &&
    inScope &&
    request.status === 'pending' &&
    !options.alreadyDecided;
  return {
    canApprove: canDecide,
    canReject: canDecide,
    canCancel:
      permits.revoke && isRequester && CANCELLABLE.includes(request.status),
    canRevoke:
      permits.revoke &&
      (isRequester || inScope || options.isAdmin) &&
      REVOCABLE.includes(request.status as RequestStatus),
    canReview:
      permits.approve &&
      Boolean(request.breakGlass) &&
      canReviewNow({
        caller,
        request: {
          ...request,
          breakGlass: Boolean(request.breakGlass),
          activityComplete: Boolean(request.activityComplete),
        },
        currentApproverRefs: options.currentApproverRefs,
        isAdmin: options.isAdmin,
      }),
  };
}
