import { MeResponse } from '@elevated-access/backstage-plugin-elevated-access-common';

/** A tab of the page: its path under the page and its title. */
export interface PageTab {
  path: string;
  title: string;
}

/**
 * The tabs a person can use, in order. "Request access" only for someone who
 * may request something; the inbox and the decided history for approvers;
 * Audit for auditors and policy managers (its change history), Insights for
 * auditors, Admin for policy managers.
 */
export function pageTabs(me: MeResponse): PageTab[] {
  const tabs: Array<PageTab | false> = [
    me.canRequest && { path: 'request', title: 'Request access' },
    { path: 'requests', title: 'My requests' },
    me.isApprover && {
      path: 'approvals',
      title: me.pendingApprovals
        ? `Approvals (${me.pendingApprovals})`
        : 'Approvals',
    },
    me.isApprover && { path: 'decided', title: 'Decided' },
    { path: 'active', title: 'Active access' },
    (me.canAudit || me.canManagePolicies) && { path: 'audit', title: 'Audit' },
    me.canAudit && { path: 'insights', title: 'Insights' },
    me.canManagePolicies && { path: 'admin', title: 'Admin' },
  ];
  return tabs.filter((t): t is PageTab => !!t);
}

/** Every tab path the page knows, offered or not. */
export const ALL_TAB_PATHS = [
  'request',
  'requests',
  'approvals',
  'decided',
  'active',
  'audit',
  'insights',
  'admin',
];

/**
 * The tab a person lands on when they open the page: where their work is.
 * An approver with decisions or break-glass reviews waiting goes to the inbox, an auditor to the
 * audit views, an admin with nothing to decide to the policies; everyone else
 * to the request form; someone who may request nothing to the inbox if they
 * approve, else to their own requests.
 */
export function landingTab(me: MeResponse): string {
  if (me.isApprover && (me.pendingApprovals > 0 || me.pendingReviews > 0)) {
    return 'approvals';
  }
  if (me.canAudit) return 'audit';
  if (me.canManagePolicies) return 'admin';
  if (me.canRequest) return 'request';
  // nothing to request: an approver's place is still the (empty) inbox
  if (me.isApprover) return 'approvals';
  return 'requests';
}
