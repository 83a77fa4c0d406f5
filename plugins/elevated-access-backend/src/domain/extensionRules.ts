import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AccessRequest,
  chooseEligibilityOption,
  EligibilityOption,
  formatMinutes,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { ApproverResolution } from './approvers';
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
