import { MeResponse } from '@elevated-access/backstage-plugin-elevated-access-common';

/**
 * The tab a person lands on when they open the page: where their work is.
 * An approver with decisions waiting goes to the inbox, an auditor to the
 * audit views, an admin with nothing to decide to the policies; everyone else
 * to the request form.
 */
export function landingTab(me: MeResponse): string {
  if (me.isApprover && me.pendingApprovals > 0) return 'approvals';
  if (me.canAudit) return 'audit';
  if (me.canManagePolicies) return 'admin';
  return 'request';
}
