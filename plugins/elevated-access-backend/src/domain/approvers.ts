import { ApproverPolicy } from '@internal/backstage-plugin-elevated-access-common';
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
