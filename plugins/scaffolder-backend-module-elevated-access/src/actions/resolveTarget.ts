import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AccountSummary,
  chooseEligibilityOption,
  describeFieldErrors,
  EligibilityOption,
  EligibilityResponse,
  EligiblePair,
  PermissionSetSummary,
} from '@elevated-access/backstage-plugin-elevated-access-common';

/** A 12-digit AWS account id (anything else is an account name). */
export const isAccountId = (value: string) => /^\d{12}$/.test(value);

/** An IAM Identity Center permission set ARN (anything else is a name). */
export const isPermissionSetArn = (value: string) => /^arn:/.test(value);

/** The account and permission set a step asks for, by id and ARN. */
export interface ResolvedTarget {
  accountId: string;
  /** Undefined when an id was given that the user is not eligible for. */
  accountName?: string;
  permissionSetArn: string;
  permissionSetName?: string;
  /** The terms of the pair, when the user is eligible for it. */
  pair?: EligiblePair;
}

/** How many accounts an error message lists before it says "and N more". */
const MAX_LISTED_ACCOUNTS = 15;

function label(account: AccountSummary) {
  return `${account.name} (${account.id})`;
}

/**
 * What the user may request, for error messages:
 * `ReadOnlyAccess, PowerUserAccess on payments-dev (333333333333); …`, or ''.
 */
export function describeEligible(
  eligibility: EligibilityResponse,
  options?: { accountId?: string; permissionSetArn?: string },
): string {
  const psName = new Map(
    eligibility.permissionSets.map(ps => [ps.arn, ps.name]),
  );
  const pairs = eligibility.pairs.filter(
    p =>
      (!options?.accountId || p.accountId === options.accountId) &&
      (!options?.permissionSetArn ||
        p.permissionSetArn === options.permissionSetArn),
  );
  const accounts = eligibility.accounts.filter(a =>
    pairs.some(p => p.accountId === a.id),
  );
  if (!accounts.length) return '';
  const parts = accounts.slice(0, MAX_LISTED_ACCOUNTS).map(account => {
    const names = pairs
      .filter(p => p.accountId === account.id)
      .map(p => psName.get(p.permissionSetArn) ?? p.permissionSetArn)
      .sort((a, b) => a.localeCompare(b));
    return `${names.join(', ')} on ${label(account)}`;
  });
  const more = accounts.length - MAX_LISTED_ACCOUNTS;
  return `${parts.join('; ')}${more > 0 ? `; and ${more} more accounts` : ''}`;
}

/** The end of an error message: what the user may request instead. */
function mayRequest(
  eligibility: EligibilityResponse,
  options?: { accountId?: string },
): string {
  const eligible = describeEligible(eligibility, options);
  if (eligible) return `You may request: ${eligible}`;
  return options?.accountId
    ? 'You may request nothing on this account'
    : 'You may not request any elevated access; no eligibility policy names you';
}

/**
 * The one item named `name`, matched exactly, else case-insensitively.
 * Several matches are an InputError (the step should give the id), none a
 * NotAllowedError; `say` words both.
 */
function oneByName<T extends { name: string }>(
  items: T[],
  name: string,
  say: { several: (matches: T[]) => string; none: () => string },
): T {
  const exact = items.filter(i => i.name === name);
  const lower = name.toLocaleLowerCase('en-US');
  const matches = exact.length
    ? exact
    : items.filter(i => i.name.toLocaleLowerCase('en-US') === lower);
  if (matches.length > 1) throw new InputError(say.several(matches));
  if (!matches.length) throw new NotAllowedError(say.none());
  return matches[0];
}

function resolveAccount(
  eligibility: EligibilityResponse,
  account: string,
): { id: string; summary?: AccountSummary } {
  if (isAccountId(account)) {
    return {
      id: account,
      summary: eligibility.accounts.find(a => a.id === account),
    };
  }
  const match = oneByName(eligibility.accounts, account, {
    several: matches =>
      `Several accounts you may request are named "${account}": ${matches
        .map(label)
        .join(', ')}; give the account id instead`,
    none: () =>
      `You are not eligible for any account named "${account}". ${mayRequest(
        eligibility,
      )}`,
  });
  return { id: match.id, summary: match };
}

function resolvePermissionSet(
  eligibility: EligibilityResponse,
  permissionSet: string,
  account: { id: string; summary?: AccountSummary },
): { arn: string; summary?: PermissionSetSummary } {
  if (isPermissionSetArn(permissionSet)) {
    return {
      arn: permissionSet,
      summary: eligibility.permissionSets.find(ps => ps.arn === permissionSet),
    };
  }
  const match = oneByName(eligibility.permissionSets, permissionSet, {
    several: matches =>
      `Several permission sets are named "${permissionSet}": ${matches
        .map(ps => ps.arn)
        .join(', ')}; give the ARN instead`,
    none: () => {
      const where = account.summary ? ` on ${label(account.summary)}` : '';
      return `You are not eligible for any permission set named "${permissionSet}"${where}. ${mayRequest(
        eligibility,
        { accountId: account.summary?.id },
      )}`;
    },
  });
  return { arn: match.arn, summary: match };
}

/**
 * Turns the account (id or name) and permission set (ARN or name) of a step
 * into ids, using what `GET /eligibility` says the user may request. A name
 * that matches nothing the user may request is an error listing what they
 * may; ids and ARNs are taken as they are, so that the plugin itself answers
 * for them.
 */
export function resolveTarget(
  eligibility: EligibilityResponse,
  input: { account: string; permissionSet: string },
): ResolvedTarget {
  const account = resolveAccount(eligibility, input.account);
  const permissionSet = resolvePermissionSet(
    eligibility,
    input.permissionSet,
    account,
  );
  return {
    accountId: account.id,
    accountName: account.summary?.name,
    permissionSetArn: permissionSet.arn,
    permissionSetName: permissionSet.summary?.name,
    pair: eligibility.pairs.find(
      p =>
        p.accountId === account.id && p.permissionSetArn === permissionSet.arn,
    ),
  };
}

/**
 * The checks the plugin makes on create that the eligibility answer allows
 * making beforehand (for a dry run), with the plugin's own messages.
 * Settings-level checks (the ticket pattern, whether enough approvers other
 * than the user exist, the start time window) happen only on create.
 */
export function checkEligible(
  target: ResolvedTarget,
  eligibility: EligibilityResponse,
  input: { durationMinutes: number; ticketId?: string },
): { pair: EligiblePair; option: EligibilityOption } {
  const what = `${target.permissionSetName ?? 'this permission set'} on ${
    target.accountName ?? `account ${target.accountId}`
  }`;
  const { pair } = target;
  if (!pair) {
    const onAccount = describeEligible(eligibility, {
      accountId: target.accountId,
    });
    throw new NotAllowedError(
      `You are not eligible to request ${what}; no eligibility policy covers it for you${
        onAccount ? `. On this account you may request: ${onAccount}` : ''
      }`,
    );
  }
  // the same choice the server makes: one policy's terms, never a mix
  const choice = chooseEligibilityOption(
    pair.options,
    {
      durationMinutes: input.durationMinutes,
      hasTicket: Boolean(input.ticketId),
    },
    what,
  );
  if (!choice.ok) {
    throw new InputError(
      describeFieldErrors({ [choice.field]: choice.message }),
    );
  }
  return { pair, option: choice.option };
}
