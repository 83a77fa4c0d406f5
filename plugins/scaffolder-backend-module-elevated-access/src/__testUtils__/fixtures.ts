import {
  ApproverPolicyInput,
  EligibilityPolicyInput,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { AccessTargets } from '@elevated-access/backstage-plugin-elevated-access-node';

/** A small organisation: workloads (production, development) and security. */
export const ROOT = 'r-test';
export const OU = {
  Workloads: 'ou-test-workloads',
  Production: 'ou-test-production',
  Development: 'ou-test-development',
  Security: 'ou-test-security',
};
export const ACCOUNT = {
  'payments-prod': '111111111111',
  'payments-dev': '333333333333',
  audit: '555555555555',
};
const instance = 'ssoins-0000000000000001';
export const PS = {
  ReadOnlyAccess: `arn:aws:sso:::permissionSet/${instance}/ps-0000000000000001`,
  PowerUserAccess: `arn:aws:sso:::permissionSet/${instance}/ps-0000000000000002`,
  AdministratorAccess: `arn:aws:sso:::permissionSet/${instance}/ps-0000000000000003`,
};

export function testTargets(): AccessTargets {
  return {
    rootId: ROOT,
    organizationalUnits: [
      { id: OU.Workloads, name: 'Workloads', parentId: ROOT },
      { id: OU.Production, name: 'Production', parentId: OU.Workloads },
      { id: OU.Development, name: 'Development', parentId: OU.Workloads },
      { id: OU.Security, name: 'Security', parentId: ROOT },
    ],
    accounts: [
      {
        id: ACCOUNT['payments-prod'],
        name: 'payments-prod',
        parentId: OU.Production,
        isManagementAccount: false,
      },
      {
        id: ACCOUNT['payments-dev'],
        name: 'payments-dev',
        parentId: OU.Development,
        isManagementAccount: false,
      },
      {
        id: ACCOUNT.audit,
        name: 'audit',
        parentId: OU.Security,
        isManagementAccount: false,
      },
    ],
    permissionSets: Object.entries(PS).map(([name, arn]) => ({
      arn,
      name,
      sessionDuration: 'PT1H',
    })),
    fetchedAt: '2026-11-21T00:00:00.000Z',
  };
}

/** Users and their groups: alice develops, bob approves, dave administers. */
export const GROUPS: Record<string, string[]> = {
  alice: ['developers'],
  bob: ['platform-leads'],
  dave: ['access-admins'],
};

export const userRef = (name: string) => `user:default/${name}`;
export const groupRef = (name: string) => `group:default/${name}`;

export function ownershipOf(name: string): string[] {
  return [userRef(name), ...(GROUPS[name] ?? []).map(groupRef)];
}

export function catalogEntities() {
  const groups = [...new Set(Object.values(GROUPS).flat())];
  return [
    ...groups.map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name, namespace: 'default' },
      spec: { type: 'team', children: [] },
    })),
    ...Object.entries(GROUPS).map(([name, memberOf]) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name, namespace: 'default' },
      spec: { profile: { email: `${name}@example.com` }, memberOf },
      relations: memberOf.map(g => ({
        type: 'memberOf',
        targetRef: groupRef(g),
      })),
    })),
  ];
}

/**
 * Developers may read workload accounts at once, and power-use them with a
 * ticket and an approval; nobody may request AdministratorAccess.
 */
export const ELIGIBILITY: EligibilityPolicyInput[] = [
  {
    name: 'Developers read workloads',
    principals: [groupRef('developers')],
    accounts: [],
    ous: [OU.Workloads],
    permissionSets: [PS.ReadOnlyAccess],
    maxDurationMinutes: 8 * 60,
    approvalRequired: false,
    ticketRequired: false,
  },
  {
    name: 'Developers power-use workloads',
    principals: [groupRef('developers')],
    accounts: [],
    ous: [OU.Workloads],
    permissionSets: [PS.PowerUserAccess],
    maxDurationMinutes: 4 * 60,
    approvalRequired: true,
    ticketRequired: true,
  },
];

export const APPROVERS: ApproverPolicyInput[] = [
  {
    name: 'Platform leads approve workloads',
    accounts: [],
    ous: [OU.Workloads],
    permissionSets: [],
    approvers: [groupRef('platform-leads')],
    minApprovals: 1,
  },
];
