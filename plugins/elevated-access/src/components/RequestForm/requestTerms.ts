import {
  chooseBreakGlassOption,
  chooseEligibilityOption,
  EligibilityOption,
  EligiblePair,
  OptionChoice,
  plural,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { FormState } from './requestFormState';

/**
 * Which of the caller's options the form's request gets, by the same
 * function the server decides with (one policy's terms, never a mix).
 */
export function optionFor(
  form: Pick<
    FormState,
    'account' | 'permissionSet' | 'durationMinutes' | 'ticketId'
  > &
    Partial<Pick<FormState, 'breakGlass'>>,
  pair: EligiblePair | undefined,
): OptionChoice | undefined {
  const durationMinutes = Number(form.durationMinutes);
  if (!pair || !Number.isFinite(durationMinutes) || durationMinutes < 1) {
    return undefined;
  }
  if (isBreakGlass(form, pair)) {
    return chooseBreakGlassOption(
      pair.options,
      { durationMinutes },
      `${form.permissionSet?.name} on ${form.account?.name}`,
    );
  }
  return chooseEligibilityOption(
    pair.options,
    { durationMinutes, hasTicket: Boolean(form.ticketId.trim()) },
    `${form.permissionSet?.name} on ${form.account?.name}`,
  );
}

/** Break-glass is asked for and the pair allows it to the caller. */
export function isBreakGlass(
  form: Partial<Pick<FormState, 'breakGlass'>>,
  pair: EligiblePair | undefined,
): boolean {
  return Boolean(form.breakGlass && pair?.breakGlass);
}

/** The longest the form's request may last: the break-glass cap when asked. */
export function capOf(
  form: Partial<Pick<FormState, 'breakGlass'>>,
  pair: EligiblePair | undefined,
): number | undefined {
  if (!pair) return undefined;
  return isBreakGlass(form, pair)
    ? pair.breakGlass!.maxDurationMinutes
    : pair.maxDurationMinutes;
}

/** The option that applies to the form's request, or would once a ticket is given. */
export function applicableOption(
  form: Parameters<typeof optionFor>[0],
  pair: EligiblePair | undefined,
): EligibilityOption | undefined {
  const chosen = optionFor(form, pair);
  if (chosen?.ok) return chosen.option;
  if (chosen?.field !== 'ticketId') return undefined;
  const withTicket = optionFor({ ...form, ticketId: 'a ticket' }, pair);
  return withTicket?.ok ? withTicket.option : undefined;
}

/**
 * Why nobody could approve a request for the pair on these terms, or
 * undefined: the server refuses such a request at creation, so the form says
 * so as soon as the pair (and the option that applies) is known.
 */
export function noApproverProblem(
  pair: EligiblePair | undefined,
  option: EligibilityOption | undefined,
  what: string,
  breakGlass = false,
): string | undefined {
  if (pair && breakGlass) {
    // nobody approves it, but an approver other than the requester reviews it
    return !pair.approvers.length || pair.otherApprovers === 0
      ? `Break-glass for ${what} needs an approver to review it afterwards, but no approver other than you covers it, so a request would be refused. Ask an Elevated Access admin to add one.`
      : undefined;
  }
  if (!pair || !option?.approvalRequired) return undefined;
  if (!pair.approvers.length) {
    return `Nobody can approve ${what}: no approver policy covers it, so a request would be refused. Ask an Elevated Access admin to add an approver policy for it.`;
  }
  const others = pair.otherApprovers;
  if (others !== undefined && others < Math.max(1, pair.minApprovals)) {
    return others === 0
      ? `Nobody but you could approve ${what}, and nobody approves their own request, so a request would be refused. Ask an Elevated Access admin to add approvers.`
      : `${what} needs ${plural(
          pair.minApprovals,
          'approval',
        )}, but only ${plural(others, 'person', 'people')} other than you ${
          others === 1 ? 'approves' : 'approve'
        } it, so a request would be refused. Ask an Elevated Access admin to add approvers.`;
  }
  return undefined;
}
