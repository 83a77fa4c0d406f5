import {
  chooseBreakGlassOption,
  chooseEligibilityOption,
  EligibilityOption,
  eligibilityOptions,
  ElevatedAccessSettings,
  EligibilityPolicy,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { OrgTree } from './OrgTree';
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
  const { caller, tree, settings } = options;
  const mine = options.policies.filter(p =>
    intersects(caller.ownershipEntityRefs, p.principals),
  );
  const out: EligiblePairOptions[] = [];
  if (!mine.length) return out;
  for (const account of tree.requestableAccounts()) {
    const covering = mine.filter(p => tree.covers(p, account.id));
    if (!covering.length) continue;
    for (const ps of tree.allPermissionSets()) {
      const pairOptions = eligibilityOptions(
        covering.filter(p => p.permissionSets.includes(ps.arn)),
        settings,
      );
      if (pairOptions.length) {
        out.push({
          accountId: account.id,
          permissionSetArn: ps.arn,
          ...summarise(pairOptions),
        });
      }
    }
  }
  return out;
}

/** A pair and the caller's options for it. */
export interface EligiblePairOptions {
  accountId: string;
  permissionSetArn: string;
  options: EligibilityOption[];
  maxDurationMinutes: number;
  approvalRequired: boolean;
  ticketRequired: boolean;
}

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
  const who = options.requester.userEntityRef.replace(/^user:(default\/)?/, '');
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
