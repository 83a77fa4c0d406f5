import {
  ApproverPolicy,
  isOwnerApproverToken,
  OWNER_APPROVER,
  SYSTEM_OWNER_APPROVER,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { OrgTree } from './OrgTree';

/** What the catalog says of one account (see AccountCatalog). */
export interface AccountOwnership {
  /** Owners of the account's entity (`spec.owner`), as full refs. */
  ownerRefs: string[];
  /** Owners of the System the account's entity is part of. */
  systemOwnerRefs: string[];
  /** The account or one of its OUs is marked sensitive. */
  sensitive: boolean;
}

/** An account the catalog knows nothing of: no owners, not sensitive. */
export const UNKNOWN_OWNERSHIP: AccountOwnership = {
  ownerRefs: [],
  systemOwnerRefs: [],
  sensitive: false,
};

/** Whether any policy names catalog owners (`owner`, `system-owner`). */
export function namesCatalogOwners(policies: ApproverPolicy[]): boolean {
  return policies.some(p => p.approvers.some(isOwnerApproverToken));
}

/** A policy's approvers for one account: its refs, and the owners it names. */
function approverRefsOf(
  policy: ApproverPolicy,
  ownership: AccountOwnership,
): string[] {
  return policy.approvers.flatMap(entry => {
    if (entry === OWNER_APPROVER) return ownership.ownerRefs;
    if (entry === SYSTEM_OWNER_APPROVER) return ownership.systemOwnerRefs;
    return [entry];
  });
}

/** Approvals a policy asks for on an account: more when it is sensitive. */
function approvalsAskedBy(
  policy: ApproverPolicy,
  ownership: AccountOwnership,
): number {
  return ownership.sensitive && policy.sensitiveMinApprovals
    ? Math.max(policy.minApprovals, policy.sensitiveMinApprovals)
    : policy.minApprovals;
}

export interface ApproverResolution {
  /** User and group refs: the union over matching policies. */
  approverRefs: string[];
  /** The strictest (largest) minimum among matching policies. */
  minApprovals: number;
  policyIds: string[];
}

/**
 * Who approves a request for this pair: every approver policy that covers the
 * account (directly or through any ancestor OU) and, when it names permission
 * sets, the permission set. `owner` and `system-owner` stand for the owners
 * the catalog gives in `ownership`; a sensitive account takes each policy's
 * `sensitiveMinApprovals` where it is set.
 */
export function resolveApprovers(options: {
  policies: ApproverPolicy[];
  tree: OrgTree;
  accountId: string;
  permissionSetArn: string;
  ownership?: AccountOwnership;
}): ApproverResolution {
  const { policies, tree, accountId, permissionSetArn } = options;
  const ownership = options.ownership ?? UNKNOWN_OWNERSHIP;
  const matching = policies.filter(
    p =>
      tree.covers(p, accountId) &&
      (p.permissionSets.length === 0 ||
        p.permissionSets.includes(permissionSetArn)),
  );
  const refs = new Map<string, string>();
  for (const p of matching) {
    for (const ref of approverRefsOf(p, ownership))
      refs.set(ref.toLocaleLowerCase('en-US'), ref);
  }
  return {
    approverRefs: [...refs.values()].sort(),
    minApprovals: matching.length
      ? Math.max(...matching.map(p => approvalsAskedBy(p, ownership)))
      : 1,
    policyIds: matching.map(p => p.id),
  };
}

/** Where one approver policy makes some of the caller's refs approvers. */
export interface ApproverGrant {
  /** The caller's refs that the policy names (normalised, lower-case). */
  refs: string[];
  /** The accounts the policy covers now. */
  accountIds: string[];
  /** The permission sets it is limited to; undefined: all. */
  permissionSetArns?: string[];
}

/**
 * Where the caller approves under today's policies. Approvers read a request
 * when they are in its snapshot AND still approve its pair (or decided it
 * themselves): someone removed from a policy stops seeing others' requests.
 * Through `owner` and `system-owner` the caller approves the covered accounts
 * whose owners (`ownershipOf`, from the catalog) include one of their refs,
 * so a new owner in the catalog takes the old one's place.
 */
export function approverScopeOf(options: {
  callerRefs: string[];
  policies: ApproverPolicy[];
  tree: OrgTree;
  ownershipOf?: (accountId: string) => AccountOwnership | undefined;
}): ApproverGrant[] {
  const mine = new Set(
    options.callerRefs.map(r => r.toLocaleLowerCase('en-US')),
  );
  const held = (refs: string[]) => [
    ...new Set(
      refs.map(r => r.toLocaleLowerCase('en-US')).filter(r => mine.has(r)),
    ),
  ];
  const accounts = options.tree.targets.accounts;
  const grants: ApproverGrant[] = [];
  for (const p of options.policies) {
    const permissionSetArns = p.permissionSets.length
      ? p.permissionSets
      : undefined;
    const refs = held(p.approvers);
    const namesOwners = namesCatalogOwners([p]);
    if (!refs.length && !(namesOwners && options.ownershipOf)) continue;
    const covered = options.tree.accountsCoveredBy(p);
    if (refs.length) {
      grants.push({
        refs,
        accountIds: accounts.filter(a => covered.has(a.id)).map(a => a.id),
        permissionSetArns,
      });
    }
    if (!namesOwners || !options.ownershipOf) continue;
    for (const accountId of covered) {
      const ownership = options.ownershipOf(accountId);
      if (!ownership) continue;
      const owners = held(
        approverRefsOf(p, ownership).filter(r => !p.approvers.includes(r)),
      );
      if (owners.length) {
        grants.push({
          refs: owners,
          accountIds: [accountId],
          permissionSetArns,
        });
      }
    }
  }
  return grants;
}

/**
 * The same scope in fewer grants, so the inbox's SQL stays small however many
 * policies name the caller: grants with the same refs and permission sets
 * become one over the union of their accounts, then grants with the same
 * accounts and permission sets one over the union of their refs (a request
 * matches a grant when its account and permission set are in it and its
 * approver snapshot holds one of the grant's refs, so both unions match
 * exactly the requests the parts matched). Lists come out sorted.
 */
export function mergeApproverGrants(grants: ApproverGrant[]): ApproverGrant[] {
  const permissionSetsKey = (g: ApproverGrant) =>
    g.permissionSetArns ? JSON.stringify(g.permissionSetArns) : '*';
  const normalised = grants
    .filter(g => g.refs.length && g.accountIds.length)
    .map(g => ({
      refs: [...new Set(g.refs)].sort(),
      accountIds: g.accountIds,
      permissionSetArns:
        g.permissionSetArns && [...new Set(g.permissionSetArns)].sort(),
    }));
  const byRefs = new Map<string, ApproverGrant & { accounts: Set<string> }>();
  for (const g of normalised) {
    const key = `${JSON.stringify(g.refs)}|${permissionSetsKey(g)}`;
    const found = byRefs.get(key);
    if (found) g.accountIds.forEach(a => found.accounts.add(a));
    else byRefs.set(key, { ...g, accounts: new Set(g.accountIds) });
  }
  const byAccounts = new Map<string, ApproverGrant & { held: Set<string> }>();
  for (const g of byRefs.values()) {
    const accountIds = [...g.accounts].sort();
    const key = `${JSON.stringify(accountIds)}|${permissionSetsKey(g)}`;
    const found = byAccounts.get(key);
    if (found) g.refs.forEach(r => found.held.add(r));
    else {
      byAccounts.set(key, {
        refs: g.refs,
        accountIds,
        permissionSetArns: g.permissionSetArns,
        held: new Set(g.refs),
      });
    }
  }
  return [...byAccounts.values()].map(g => ({
    refs: [...g.held].sort(),
    accountIds: g.accountIds,
    permissionSetArns: g.permissionSetArns,
  }));
}

/**
 * The duration a request is approved for: what it asked, or the shortest
 * duration any approving vote gave (with N-of-M, the shortest wins).
 */
export function shortestApproval(
  askedMinutes: number,
  approvedMinutes: number[],
): number {
  return Math.min(askedMinutes, ...approvedMinutes);
}
