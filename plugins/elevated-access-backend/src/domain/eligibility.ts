import {
  chooseBreakGlassOption,
  chooseEligibilityOption,
  EligibilityOption,
  eligibilityOptions,
  ElevatedAccessSettings,
  EligibilityPolicy,
  EligibleAccount,
  EligiblePair,
  shortEntityRef,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { AccountSearchEntry, OrgTree } from './OrgTree';
import { Caller, intersects } from './refs';

/** Policies that name the caller (or a group of theirs) and cover the pair. */
export function matchingEligibilityPolicies(options: {
  caller: Caller;
  policies: EligibilityPolicy[];
  tree: OrgTree;
  accountId: string;
  permissionSetArn: string;
}): EligibilityPolicy[] {
  const { caller, policies, tree, accountId, permissionSetArn } = options;
  const account = tree.account(accountId);
  if (!account || account.isManagementAccount) return [];
  if (!tree.permissionSet(permissionSetArn)) return [];
  return policies.filter(
    p =>
      intersects(caller.ownershipEntityRefs, p.principals) &&
      p.permissionSets.includes(permissionSetArn) &&
      tree.covers(p, accountId),
  );
}

/**
 * Whether the caller may request anything at all: the same answer as
 * `!new CallerEligibility(...).isEmpty`, stopping at the first policy that
 * names the caller, has a permission set that exists and covers a requestable
 * account (GET /me asks this on every page, and the full index is thousands of
 * accounts).
 */
export function hasEligiblePair(options: {
  caller: Caller;
  policies: EligibilityPolicy[];
  tree: OrgTree;
}): boolean {
  const { caller, tree } = options;
  return options.policies.some(
    p =>
      intersects(caller.ownershipEntityRefs, p.principals) &&
      p.permissionSets.some(arn => tree.permissionSet(arn)) &&
      [...tree.accountsCoveredBy(p)].some(
        id => !tree.account(id)?.isManagementAccount,
      ),
  );
}

/**
 * The caller's eligibility over the whole organisation, worked out once per
 * call: for each account, the caller's policies that cover it, found through
 * the tree's OU index rather than by testing every account against every
 * policy (thousands of accounts, thousands of policies). Pairs, counts and
 * account searches are then read from it.
 */
export class CallerEligibility {
  /** Requestable accounts with at least one pair, and the policies covering them. */
  private readonly covering = new Map<string, EligibilityPolicy[]>();
  private readonly tree: OrgTree;
  private readonly settings: ElevatedAccessSettings;

  constructor(options: {
    caller: Caller;
    policies: EligibilityPolicy[];
    tree: OrgTree;
    settings: ElevatedAccessSettings;
  }) {
    const { caller, tree } = options;
    this.tree = tree;
    this.settings = options.settings;
    const byAccount = new Map<string, EligibilityPolicy[]>();
    for (const p of options.policies) {
      if (!intersects(caller.ownershipEntityRefs, p.principals)) continue;
      if (!p.permissionSets.some(arn => tree.permissionSet(arn))) continue;
      for (const id of tree.accountsCoveredBy(p)) {
        const list = byAccount.get(id);
        if (list) list.push(p);
        else byAccount.set(id, [p]);
      }
    }
    // tree order, management account left out
    for (const account of tree.requestableAccounts()) {
      const list = byAccount.get(account.id);
      if (list) this.covering.set(account.id, list);
    }
  }

  /** Whether the caller may request anything at all. */
  get isEmpty(): boolean {
    return this.covering.size === 0;
  }

  /** Whether the caller may request something on this account. */
  covers(accountId: string): boolean {
    return this.covering.has(accountId);
  }

  /** How many permission sets the caller may request on the account. */
  permissionSetCount(accountId: string): number {
    const arns = new Set<string>();
    for (const p of this.covering.get(accountId) ?? []) {
      for (const arn of p.permissionSets) {
        if (this.tree.permissionSet(arn)) arns.add(arn);
      }
    }
    return arns.size;
  }

  /** The account's pairs, in the tree's permission set order. */
  pairsOf(accountId: string): EligiblePairOptions[] {
    const covering = this.covering.get(accountId);
    if (!covering) return [];
    const out: EligiblePairOptions[] = [];
    for (const ps of this.tree.allPermissionSets()) {
      const pairOptions = eligibilityOptions(
        covering.filter(p => p.permissionSets.includes(ps.arn)),
        this.settings,
      );
      if (pairOptions.length) {
        out.push({
          accountId,
          permissionSetArn: ps.arn,
          ...summarise(pairOptions),
        });
      }
    }
    return out;
  }

  /** Every pair, account by account in the tree's order. */
  allPairs(): EligiblePairOptions[] {
    return [...this.covering.keys()].flatMap(id => this.pairsOf(id));
  }

  /**
   * The eligible accounts matching `text` (case-insensitive), best first:
   * the exact id, then names starting with it, then names, ids or OU paths
   * containing it, each group in name order. Empty text: every eligible
   * account in name order.
   */
  searchAccounts(
    text: string,
    limit: number,
  ): { items: EligibleAccount[]; total: number; truncated: boolean } {
    const needle = text.trim().toLocaleLowerCase('en-US');
    const ranks: AccountSearchEntry[][] = [[], [], []];
    for (const entry of this.tree.accountSearchIndex()) {
      if (!this.covering.has(entry.id)) continue;
      if (!needle) ranks[2].push(entry);
      else if (entry.id === needle) ranks[0].push(entry);
      else if (entry.name.startsWith(needle)) ranks[1].push(entry);
      else if (
        entry.name.includes(needle) ||
        entry.id.includes(needle) ||
        entry.ouPath.includes(needle)
      ) {
        ranks[2].push(entry);
      }
    }
    const matched = ranks.flat();
    return {
      items: matched.slice(0, limit).map(entry => ({
        ...entry.summary,
        permissionSetCount: this.permissionSetCount(entry.id),
      })),
      total: matched.length,
      truncated: matched.length > limit,
    };
  }
}

/**
 * Every pair the caller may request, with the caller's options for it: one
 * per policy's terms, least demanding first (never terms mixed from several
 * policies), and a summary of them.
 */
export function eligiblePairs(options: {
  caller: Caller;
  policies: EligibilityPolicy[];
  tree: OrgTree;
  settings: ElevatedAccessSettings;
}): EligiblePairOptions[] {
  return new CallerEligibility(options).allPairs();
}

/** A pair and the caller's options for it: what the policies alone decide. */
export type EligiblePairOptions = Pick<
  EligiblePair,
  | 'accountId'
  | 'permissionSetArn'
  | 'options'
  | 'maxDurationMinutes'
  | 'approvalRequired'
  | 'ticketRequired'
>;

/** The summary fields of a pair's options (longest cap; needed by every option). */
export function summarise(options: EligibilityOption[]) {
  return {
    options,
    maxDurationMinutes: Math.max(...options.map(o => o.maxDurationMinutes)),
    approvalRequired: options.every(o => o.approvalRequired),
    ticketRequired: options.every(o => o.ticketRequired),
  };
}

/** The facts of a request that a re-check needs. */
export interface RecheckedRequest {
  accountId: string;
  accountName: string;
  permissionSetArn: string;
  permissionSetName: string;
  durationMinutes: number;
  ticketId?: string;
  approvalRequired: boolean;
  /** Break-glass: re-checked against the policies that allow it. */
  breakGlass?: boolean;
}

/** Whether a request is still allowed, or why not. */
export type EligibilityRecheck = { ok: true } | { ok: false; reason: string };

/**
 * Re-checks a request made earlier against the policies as they are now: the
 * requester must still be eligible for the pair under the request's own
 * terms (its duration and ticket, and no approval if it got none). Decisions
 * and grants re-check what creation checked.
 */
export function recheckEligibility(options: {
  requester: Caller;
  policies: EligibilityPolicy[];
  tree: OrgTree;
  settings: ElevatedAccessSettings;
  request: RecheckedRequest;
}): EligibilityRecheck {
  const { request } = options;
  const who = shortEntityRef(options.requester.userEntityRef);
  const what = `${request.permissionSetName} on ${request.accountName}`;
  const pairOptions = eligibilityOptions(
    matchingEligibilityPolicies({
      caller: options.requester,
      policies: options.policies,
      tree: options.tree,
      accountId: request.accountId,
      permissionSetArn: request.permissionSetArn,
    }),
    options.settings,
  );
  if (!pairOptions.length) {
    return {
      ok: false,
      reason: `${who} is no longer eligible for ${what}: no eligibility policy covers it for them any more`,
    };
  }
  if (request.breakGlass) {
    // approved at once under a policy allowing break-glass: one must still
    const glass = chooseBreakGlassOption(
      pairOptions,
      { durationMinutes: request.durationMinutes },
      what,
    );
    return glass.ok
      ? { ok: true }
      : {
          ok: false,
          reason: `${who} is no longer eligible for this break-glass request under the current policies: ${glass.message}`,
        };
  }
  const choice = chooseEligibilityOption(
    pairOptions,
    {
      durationMinutes: request.durationMinutes,
      hasTicket: Boolean(request.ticketId),
    },
    what,
  );
  if (!choice.ok) {
    return {
      ok: false,
      reason: `${who} is no longer eligible for this request under the current policies: ${choice.message}`,
    };
  }
  if (choice.option.approvalRequired && !request.approvalRequired) {
    return {
      ok: false,
      reason: `${what} now needs approval for ${who}; this request was approved without one`,
    };
  }
  return { ok: true };
}
