import { StoredRequest } from '../database/RequestStore';

/*
 * The request the notice tests describe: alice's pending PowerUserAccess on
 * payments-prod, with the groups that are told about it and text written to
 * pass for Slack mentions, links and quoted lines.
 */

export const REQUEST_ID = '6b1e9a8e-2c4f-4e7a-9d3b-1f2a3b4c5d6e';
export const APPROVERS = 'group:default/platform-leads';
export const ADMINS = 'group:default/access-admins';
export const AUDITORS = 'group:default/security-auditors';
export const HOSTILE =
  '<!channel> <@U12345> <https://evil.example|click> <@user:default/bob>\n> *fake line*';

export function storedRequest(
  overrides: Partial<StoredRequest> = {},
): StoredRequest {
  return {
    id: REQUEST_ID,
    requesterRef: 'user:default/alice',
    accountId: '111122223333',
    accountName: 'payments-prod',
    permissionSetArn:
      'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-2222222222222222',
    permissionSetName: 'PowerUserAccess',
    status: 'pending',
    startTime: '2026-11-21T09:00:00.000Z',
    endTime: '2026-11-21T10:00:00.000Z',
    durationMinutes: 60,
    justification: 'Fix the broken deployment pipeline',
    ticketId: 'OPS-42',
    approvalRequired: true,
    minApprovals: 1,
    approvals: 0,
    approverRefs: [APPROVERS],
    policyIds: [],
    expiresAt: '2026-11-21T10:00:00.000Z',
    attempts: 0,
    activityComplete: false,
    breakGlass: false,
    awaitingReview: false,
    version: 1,
    createdAt: '2026-11-21T09:00:00.000Z',
    updatedAt: '2026-11-21T09:00:00.000Z',
    ...overrides,
  };
}
