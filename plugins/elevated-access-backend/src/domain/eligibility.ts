import {
  ElevatedAccessSettings,
  EligibilityPolicy,
} from '@internal/backstage-plugin-elevated-access-common';
import { OrgTree } from './OrgTree';
import { Caller, intersects } from './refs';

/** The terms under which a caller may request one (account, permission set). */
export interface PairTerms {
  maxDurationMinutes: number;
  approvalRequired: boolean;
  ticketRequired: boolean;
  policyIds: string[];
}

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
 * The terms for a pair, or undefined when the caller is not eligible.
 *
 * - max duration: the largest among matching policies, capped by settings;
 * - approval: required unless settings turn it off or a matching policy waives it;
 * - ticket: required unless settings turn it off or a matching policy waives it.
 */
export function termsFor(
  matching: EligibilityPolicy[],
  settings: ElevatedAccessSettings,
): PairTerms | undefined {
  if (!matching.length) return undefined;
  return {
    maxDurationMinutes: Math.min(
      settings.maxDurationMinutes,
      Math.max(...matching.map(p => p.maxDurationMinutes)),
    ),
    approvalRequired:
      settings.approvalRequired && matching.every(p => p.approvalRequired),
    ticketRequired:
      settings.ticketRequired && matching.every(p => p.ticketRequired),
    policyIds: matching.map(p => p.id),
  };
}

/** Every pair the caller may request, with its terms. */
export function eligiblePairs(options: {
  caller: Caller;
  policies: EligibilityPolicy[];
  tree: OrgTree;
  settings: ElevatedAccessSettings;
}): Array<{ accountId: string; permissionSetArn: string } & PairTerms> {
  const { caller, tree, settings } = options;
  const mine = options.policies.filter(p =>
    intersects(caller.ownershipEntityRefs, p.principals),
  );
  const out: Array<
    { accountId: string; permissionSetArn: string } & PairTerms
  > = [];
  if (!mine.length) return out;
  for (const account of tree.requestableAccounts()) {
    const covering = mine.filter(p => tree.covers(p, account.id));
    if (!covering.length) continue;
    for (const ps of tree.allPermissionSets()) {
      const terms = termsFor(
        covering.filter(p => p.permissionSets.includes(ps.arn)),
        settings,
      );
      if (terms)
        out.push({ accountId: account.id, permissionSetArn: ps.arn, ...terms });
    }
  }
  return out;
}
