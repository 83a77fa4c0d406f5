import {
  AccessRequest,
  AccessRequestDetail,
  EligibilityResponse,
  MeResponse,
  SettingsResponse,
  TargetsResponse,
} from '@elevated-access/backstage-plugin-elevated-access-common';

export const PS = {
  ReadOnlyAccess:
    'arn:aws:sso:::permissionSet/ssoins-0000000000000001/ps-0000000000000001',
  PowerUserAccess:
    'arn:aws:sso:::permissionSet/ssoins-0000000000000001/ps-0000000000000002',
};

/**
 * ReadOnlyAccess on an account, as the developers' read-only policy grants
 * it: up to 8 h, no approval, no ticket.
 */
function readOnlyPair(accountId: string): EligibilityResponse['pairs'][number] {
  return {
    accountId,
    permissionSetArn: PS.ReadOnlyAccess,
    options: [
      {
        maxDurationMinutes: 480,
        approvalRequired: false,
        ticketRequired: false,
        breakGlass: false,
        policyIds: ['read'],
        policyNames: ['Developers: read only'],
      },
    ],
    maxDurationMinutes: 480,
    approvalRequired: false,
    ticketRequired: false,
    approvers: [],
    minApprovals: 0,
  };
}

export const eligibility: EligibilityResponse = {
  accounts: [
    {
      id: '111111111111',
      name: 'payments-prod',
      ouPath: [
        { id: 'ou-demo-workloads', name: 'Workloads' },
        { id: 'ou-demo-production', name: 'Production' },
      ],
    },
    {
      id: '333333333333',
      name: 'payments-dev',
      ouPath: [
        { id: 'ou-demo-workloads', name: 'Workloads' },
        { id: 'ou-demo-development', name: 'Development' },
      ],
    },
  ],
  permissionSets: [
    {
      arn: PS.PowerUserAccess,
      name: 'PowerUserAccess',
      description: 'Full access except IAM',
      sessionDuration: 'PT1H',
    },
    { arn: PS.ReadOnlyAccess, name: 'ReadOnlyAccess', sessionDuration: 'PT1H' },
  ],
  pairs: [
    {
      accountId: '111111111111',
      permissionSetArn: PS.PowerUserAccess,
      options: [
        {
          maxDurationMinutes: 240,
          approvalRequired: true,
          ticketRequired: true,
          breakGlass: false,
          policyIds: ['power'],
          policyNames: ['Developers: power user'],
        },
      ],
      maxDurationMinutes: 240,
      approvalRequired: true,
      ticketRequired: true,
      approvers: ['group:default/platform-leads'],
      minApprovals: 1,
    },
    readOnlyPair('111111111111'),
    readOnlyPair('333333333333'),
  ],
};

export const settings: SettingsResponse = {
  maxDurationMinutes: 480,
  approvalRequired: true,
  ticketRequired: true,
  ticketPattern: '^[A-Z]+-[0-9]+$',
  ticketLinkTemplate: 'https://tickets.example.com/browse/{ticket}',
  commentRequiredOnReject: true,
  commentRequiredOnRevoke: true,
  pendingTimeoutMinutes: 1440,
  reminderBeforeExpiryMinutes: 15,
  endsSoonMinutes: 15,
  version: 0,
};

export const me = (overrides: Partial<MeResponse> = {}): MeResponse => ({
  userEntityRef: 'user:default/alice',
  isApprover: false,
  pendingApprovals: 0,
  pendingReviews: 0,
  canAudit: false,
  canManagePolicies: false,
  canRequest: true,
  ...overrides,
});

const noCapabilities = {
  canApprove: false,
  canReject: false,
  canCancel: false,
  canRevoke: false,
  canReview: false,
};

export const request = (
  overrides: Partial<AccessRequest> = {},
): AccessRequest => ({
  id: '6f1c2a9e-0d2b-4d41-8f3e-2b6f8d0c1a11',
  requesterRef: 'user:default/alice',
  accountId: '111111111111',
  accountName: 'payments-prod',
  permissionSetArn: PS.PowerUserAccess,
  permissionSetName: 'PowerUserAccess',
  status: 'pending',
  startTime: '2026-11-21T10:00:00.000Z',
  endTime: '2026-11-21T11:00:00.000Z',
  durationMinutes: 60,
  justification: 'Fix the payments pipeline',
  ticketId: 'OPS-1',
  approvalRequired: true,
  minApprovals: 1,
  approverRefs: ['group:default/platform-leads'],
  approvals: 0,
  expiresAt: '2026-11-21T11:00:00.000Z',
  createdAt: '2026-11-21T09:55:00.000Z',
  updatedAt: '2026-11-21T09:55:00.000Z',
  activityComplete: false,
  breakGlass: false,
  awaitingReview: false,
  capabilities: noCapabilities,
  ...overrides,
});

export const detail = (
  overrides: Partial<AccessRequestDetail> = {},
): AccessRequestDetail => ({
  ...request(),
  decisions: [],
  events: [
    {
      id: '1',
      entityType: 'request',
      entityId: request().id,
      action: 'create',
      actorRef: 'user:default/alice',
      toStatus: 'pending',
      message: 'Requested; waiting for 1 approval',
      createdAt: '2026-11-21T09:55:00.000Z',
    },
  ],
  ...overrides,
});

export const targets: TargetsResponse = {
  rootId: 'r-demo',
  organizationalUnits: [
    { id: 'ou-demo-workloads', name: 'Workloads', parentId: 'r-demo' },
    {
      id: 'ou-demo-production',
      name: 'Production',
      parentId: 'ou-demo-workloads',
    },
  ],
  accounts: [
    {
      id: '111111111111',
      name: 'payments-prod',
      parentId: 'ou-demo-production',
      ouPath: [],
    },
    { id: '555555555555', name: 'audit', parentId: 'r-demo', ouPath: [] },
  ],
  permissionSets: [
    { arn: PS.ReadOnlyAccess, name: 'ReadOnlyAccess' },
    { arn: PS.PowerUserAccess, name: 'PowerUserAccess' },
  ],
  fetchedAt: '2026-11-21T09:00:00.000Z',
};
