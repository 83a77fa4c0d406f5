import { InputError, NotAllowedError } from '@backstage/errors';
import {
  chooseBreakGlassOption,
  chooseEligibilityOption,
  CreateRequestInput,
  EligibilityOption,
  ElevatedAccessSettings,
  pendingDeadline,
  ticketMatches,
  ticketPatternProblem,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { ApproverResolution } from './approvers';
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
