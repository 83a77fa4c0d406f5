import { formatMinutes } from './time';
import { EligibilityPolicy, ElevatedAccessSettings } from './policyTypes';

/**
 * One way a caller may request a pair: the terms of one eligibility policy
 * (policies with identical terms are merged), capped by the settings.
 *
 * @public
 */
export interface EligibilityOption {
  /** The policy's cap, capped by the settings' maximum. */
  maxDurationMinutes: number;
  approvalRequired: boolean;
  ticketRequired: boolean;
  /** The policy allows break-glass (see `chooseBreakGlassOption`). */
  breakGlass: boolean;
  /** The policies that give exactly these terms. */
  policyIds: string[];
  policyNames: string[];
}

/** Less demanding first: no approval before approval, no ticket before ticket. */
function demand(o: EligibilityOption): number[] {
  return [
    o.approvalRequired ? 1 : 0,
    o.ticketRequired ? 1 : 0,
    -o.maxDurationMinutes,
  ];
}

function compareOptions(a: EligibilityOption, b: EligibilityOption): number {
  const da = demand(a);
  const db = demand(b);
  for (let i = 0; i < da.length; i++) {
    if (da[i] !== db[i]) return da[i] - db[i];
  }
  return a.policyIds[0].localeCompare(b.policyIds[0]);
}

/**
 * The options that matching policies give, least demanding first. Each
 * option is one policy's terms: terms are never combined across policies
 * (one policy's long cap with another's waived approval would be more access
 * than any policy grants).
 *
 * @public
 */
export function eligibilityOptions(
  matching: Array<
    Pick<
      EligibilityPolicy,
      | 'id'
      | 'name'
      | 'maxDurationMinutes'
      | 'approvalRequired'
      | 'ticketRequired'
    > &
      Partial<Pick<EligibilityPolicy, 'breakGlass'>>
  >,
  settings: Pick<
    ElevatedAccessSettings,
    'maxDurationMinutes' | 'approvalRequired' | 'ticketRequired'
  >,
): EligibilityOption[] {
  const byTerms = new Map<string, EligibilityOption>();
  for (const p of [...matching].sort((a, b) => a.id.localeCompare(b.id))) {
    const terms = {
      maxDurationMinutes: Math.min(
        settings.maxDurationMinutes,
        p.maxDurationMinutes,
      ),
      approvalRequired: settings.approvalRequired && p.approvalRequired,
      ticketRequired: settings.ticketRequired && p.ticketRequired,
      breakGlass: Boolean(p.breakGlass),
    };
    const key = JSON.stringify(terms);
    const option = byTerms.get(key);
    if (option) {
      option.policyIds.push(p.id);
      option.policyNames.push(p.name);
    } else {
      byTerms.set(key, { ...terms, policyIds: [p.id], policyNames: [p.name] });
    }
  }
  return [...byTerms.values()].sort(compareOptions);
}

/**
 * Which option a request gets, or why none allows it.
 *
 * @public
 */
export type OptionChoice =
  | { ok: true; option: EligibilityOption }
  | {
      ok: false;
      field: 'durationMinutes' | 'ticketId' | 'breakGlass';
      message: string;
    };

/**
 * The option a request gets: the least demanding one that allows all of its
 * terms together (duration within its cap, a ticket if it wants one). The
 * server, the request form and the scaffolder action all decide with this.
 *
 * @param what - names the pair in messages, e.g. "PowerUserAccess on payments-dev"
 * @public
 */
export function chooseEligibilityOption(
  options: EligibilityOption[],
  request: { durationMinutes: number; hasTicket: boolean },
  what: string,
): OptionChoice {
  const fitsDuration = options.filter(
    o => request.durationMinutes <= o.maxDurationMinutes,
  );
  if (!fitsDuration.length) {
    const longest = Math.max(0, ...options.map(o => o.maxDurationMinutes));
    return {
      ok: false,
      field: 'durationMinutes',
      message: `${what} can be requested for at most ${formatMinutes(longest)}`,
    };
  }
  const option = fitsDuration.find(o => request.hasTicket || !o.ticketRequired);
  if (option) return { ok: true, option };
  const withoutTicket = options
    .filter(o => !o.ticketRequired)
    .map(o => o.maxDurationMinutes);
  return {
    ok: false,
    field: 'ticketId',
    message: withoutTicket.length
      ? `A ticket is required for ${what} for more than ${formatMinutes(
          Math.max(...withoutTicket),
        )}`
      : 'A ticket is required for this access',
  };
}

/**
 * The option a break-glass request gets: among the options whose policy
 * allows break-glass, one whose cap holds the duration (approval is waived;
 * the ticket is required whatever the policy says, checked by the caller).
 *
 * @param what - names the pair in messages, e.g. "PowerUserAccess on payments-prod"
 * @public
 */
export function chooseBreakGlassOption(
  options: EligibilityOption[],
  request: { durationMinutes: number },
  what: string,
): OptionChoice {
  const allowing = options.filter(o => o.breakGlass);
  if (!allowing.length) {
    return {
      ok: false,
      field: 'breakGlass',
      message: `No policy allows break-glass for ${what}. Request it with approval instead`,
    };
  }
  const option = [...allowing]
    .sort((a, b) => b.maxDurationMinutes - a.maxDurationMinutes)
    .find(o => request.durationMinutes <= o.maxDurationMinutes);
  if (option) return { ok: true, option };
  return {
    ok: false,
    field: 'durationMinutes',
    message: `Break-glass for ${what} can be requested for at most ${formatMinutes(
      Math.max(...allowing.map(o => o.maxDurationMinutes)),
    )}`,
  };
}

/**
 * A one-line summary of an option, e.g. "up to 4 h, approval, ticket required".
 *
 * @public
 */
export function describeOption(option: EligibilityOption): string {
  return [
    `up to ${formatMinutes(option.maxDurationMinutes)}`,
    option.approvalRequired ? 'approval needed' : 'no approval',
    option.ticketRequired ? 'ticket required' : 'no ticket',
    ...(option.breakGlass ? ['break-glass allowed'] : []),
  ].join(', ');
}

/**
 * A count with its noun, in the singular for one: `1 minute`,
 * `2,940 characters`, `0 approvals`.
 *
 * @public
 */
export function plural(
  count: number,
  singular: string,
  pluralForm = `${singular}s`,
): string {
  return `${count.toLocaleString('en-US')} ${
    count === 1 ? singular : pluralForm
  }`;
}
