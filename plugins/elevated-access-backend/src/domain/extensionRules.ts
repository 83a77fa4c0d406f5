import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  AccessRequest,
  chooseEligibilityOption,
  EligibilityOption,
  ElevatedAccessSettings,
  formatMinutes,
  RequestExtension,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { ApproverResolution } from './approvers';
import { Caller, sameRef } from './refs';
import { isApproverInScope } from './requestRules';
import { FieldInputError } from './FieldInputError';

type ExtendedRequest = Pick<
  AccessRequest,
  | 'requesterRef'
  | 'status'
  | 'grantedAt'
  | 'endTime'
  | 'ticketId'
  | 'accountName'
  | 'permissionSetName'
>;

/** What an extension gets, decided without I/O. */
export interface PlannedExtension {
  /** The whole window from the grant, were it extended. */
  totalMinutes: number;
  newEndTime: Date;
  approvalRequired: boolean;
  minApprovals: number;
  approverRefs: string[];
  policyIds: string[];
}

/** Only the requester extends, and only while the access is active. */
export function assertCanExtend(
  caller: Caller,
  request: ExtendedRequest,
  now: Date,
) {
  if (!sameRef(caller.userEntityRef, request.requesterRef)) {
    throw new NotAllowedError('Only the requester can extend their access');
  }
  if (
    request.status !== 'active' ||
    !request.grantedAt ||
    Date.parse(request.endTime) <= now.getTime()
  ) {
    throw new ConflictError(
      `The request is ${request.status}; only active access can be extended`,
    );
  }
}

/**
 * Judges an extension as if the request had asked for its whole window from
 * the grant (today's window plus the extension): by one policy's terms, the
 * least demanding that allows the total. Beyond every policy's cap it is
 * refused with the cap named.
 *
 * @param otherApprovers - distinct users other than the requester who hold
 *   the approver refs (groups expanded)
 */
export function planExtension(options: {
  request: ExtendedRequest;
  addedMinutes: number;
  /** The requester's options for the pair today (see eligibilityOptions). */
  options: EligibilityOption[];
  approvers: ApproverResolution;
  otherApprovers: number;
}): PlannedExtension {
  const { request, approvers } = options;
  const what = `${request.permissionSetName} on ${request.accountName}`;
  if (!options.options.length) {
    throw new NotAllowedError(
      `You are no longer eligible for ${what}; no eligibility policy covers it for you, so it cannot be extended`,
    );
  }
  const grantedAt = Date.parse(request.grantedAt!);
  const currentMinutes = Math.round(
    (Date.parse(request.endTime) - grantedAt) / 60_000,
  );
  const totalMinutes = currentMinutes + options.addedMinutes;
  const choice = chooseEligibilityOption(
    options.options,
    { durationMinutes: totalMinutes, hasTicket: Boolean(request.ticketId) },
    what,
  );
  if (!choice.ok) {
    throw FieldInputError.of(
      'durationMinutes',
      `${formatMinutes(options.addedMinutes)} more would make ${formatMinutes(
        totalMinutes,
      )} from the grant; ${choice.message}`,
    );
  }
  const terms = choice.option;
  const base = {
    totalMinutes,
    newEndTime: new Date(grantedAt + totalMinutes * 60_000),
    approverRefs: approvers.approverRefs,
    policyIds: terms.policyIds,
  };
  if (!terms.approvalRequired) {
    return { ...base, approvalRequired: false, minApprovals: 0 };
  }
  if (options.otherApprovers < approvers.minApprovals) {
    throw new InputError(
      approvers.approverRefs.length === 0
        ? `Extending ${what} to ${formatMinutes(
            totalMinutes,
          )} needs approval, but no approver policy covers it; ask an Elevated Access admin to add one`
        : `Extending ${what} to ${formatMinutes(totalMinutes)} needs ${
            approvers.minApprovals
          } approval${approvers.minApprovals > 1 ? 's' : ''}, but only ${
            options.otherApprovers
          } approver${
            options.otherApprovers === 1 ? '' : 's'
          } other than you can decide; ask an Elevated Access admin to add approvers`,
    );
  }
  return {
    ...base,
    approvalRequired: true,
    minApprovals: approvers.minApprovals,
  };
}

/**
 * A decision on a pending extension, by the rules of decisions on requests:
 * not the requester, an approver of the extension who still approves the
 * pair today, one vote each, a comment to reject when the settings say so.
 */
export function assertCanDecideExtension(options: {
  caller: Caller;
  extension: Pick<RequestExtension, 'requesterRef' | 'status' | 'approverRefs'>;
  what: string;
  currentApproverRefs: string[];
  alreadyDecided: boolean;
  decision: 'approve' | 'reject';
  comment?: string;
  settings: Pick<ElevatedAccessSettings, 'commentRequiredOnReject'>;
}) {
  const { caller, extension } = options;
  if (sameRef(caller.userEntityRef, extension.requesterRef)) {
    throw new NotAllowedError('You cannot decide on your own extension');
  }
  if (!isApproverInScope(caller, extension, options.currentApproverRefs)) {
    throw new NotAllowedError(`You are not an approver for ${options.what}`);
  }
  if (extension.status !== 'pending') {
    throw new ConflictError(
      `The extension is ${extension.status}; only pending extensions can be ${
        options.decision === 'approve' ? 'approved' : 'rejected'
      }`,
    );
  }
  if (options.alreadyDecided) {
    throw new ConflictError('You have already decided on this extension');
  }
  if (
    options.decision === 'reject' &&
    options.settings.commentRequiredOnReject &&
    !options.comment
  ) {
    throw FieldInputError.of('comment', 'Say why you reject the extension');
  }
}

/** Whether the caller may decide a pending extension (the same rules, as a flag). */
export function canDecideExtension(
  options: Omit<Parameters<typeof assertCanDecideExtension>[0], 'decision'>,
): boolean {
  try {
    assertCanDecideExtension({ ...options, decision: 'approve' });
    return true;
  } catch {
    return false;
  }
}
