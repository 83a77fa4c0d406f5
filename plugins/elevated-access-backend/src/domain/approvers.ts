import { ApproverPolicy } from '@elevated-access/backstage-plugin-elevated-access-common';
import { OrgTree } from './OrgTree';

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
 * sets, the permission set.
 */
export function resolveApprovers(options: {
  policies: ApproverPolicy[];
  tree: OrgTree;
  accountId: string;
  permissionSetArn: string;
}): ApproverResolution {
  const { policies, tree, accountId, permissionSetArn } = options;
  const matching = policies.filter(
    p =>
      tree.covers(p, accountId) &&
      (p.permissionSets.length === 0 ||
        p.permissionSets.includes(permissionSetArn)),
  );
  const refs = new Map<string, string>();
  for (const p of matching) {
    for (const ref of p.approvers)
      refs.set(ref.toLocaleLowerCase('en-US'), ref);
  }
  return {
    approverRefs: [...refs.values()].sort(),
    minApprovals: matching.length
      ? Math.max(...matching.map(p => p.minApprovals))
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
 */
export function approverScopeOf(options: {
  callerRefs: string[];
  policies: ApproverPolicy[];
  tree: OrgTree;
}): ApproverGrant[] {
  const mine = new Set(
    options.callerRefs.map(r => r.toLocaleLowerCase('en-US')),
  );
  const accounts = options.tree.targets.accounts;
  const grants: ApproverGrant[] = [];
  for (const p of options.policies) {
    const refs = p.approvers
      .map(r => r.toLocaleLowerCase('en-US'))
      .filter(r => mine.has(r));
    if (!refs.length) continue;
    const covered = options.tree.accountsCoveredBy(p);
    grants.push({
      refs,
      accountIds: accounts.filter(a => covered.has(a.id)).map(a => a.id),
      permissionSetArns: p.permissionSets.length ? p.permissionSets : undefined,
    });
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
