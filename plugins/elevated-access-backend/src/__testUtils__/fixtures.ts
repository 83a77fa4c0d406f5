import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ApproverPolicyInput,
  EligibilityPolicyInput,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { AccessTargets } from '@elevated-access/backstage-plugin-elevated-access-node';

/** The demo organisation (DESIGN.md §7) with fixed ids. */
export const ROOT = 'r-demo';
export const OU = {
  Workloads: 'ou-demo-workloads',
  Production: 'ou-demo-production',
  Development: 'ou-demo-development',
  Security: 'ou-demo-security',
};
export const ACCOUNT = {
  'payments-prod': '111111111111',
  'data-prod': '222222222222',
  'payments-dev': '333333333333',
  'data-dev': '444444444444',
  audit: '555555555555',
  management: '999999999999',
};
const instance = 'ssoins-0000000000000001';
export const PS = {
  ReadOnlyAccess: `arn:aws:sso:::permissionSet/${instance}/ps-0000000000000001`,
  PowerUserAccess: `arn:aws:sso:::permissionSet/${instance}/ps-0000000000000002`,
  AdministratorAccess: `arn:aws:sso:::permissionSet/${instance}/ps-0000000000000003`,
};

export function demoTargets(): AccessTargets {
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
        id: ACCOUNT['data-prod'],
        name: 'data-prod',
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
        id: ACCOUNT['data-dev'],
        name: 'data-dev',
        parentId: OU.Development,
        isManagementAccount: false,
      },
      {
        id: ACCOUNT.audit,
        name: 'audit',
        parentId: OU.Security,
        isManagementAccount: false,
      },
      {
        id: ACCOUNT.management,
        name: 'management',
        parentId: ROOT,
        isManagementAccount: true,
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

/**
 * The personas of the tests. frank approves only the Security OU, so for
 * workload requests he is an "approver out of scope"; erin is "another user".
 */
export const GROUPS: Record<string, string[]> = {
  alice: ['developers'],
  // erin's team owns payments-prod in the catalog (see accountEntities)
  erin: ['developers', 'payments-team'],
  bob: ['platform-leads'],
  frank: ['security-leads'],
  carol: ['security-auditors'],
  dave: ['access-admins'],
};
export type Persona = keyof typeof GROUPS;
export const PERSONAS = Object.keys(GROUPS) as Persona[];

export const userRef = (name: string) =>
  stringifyEntityRef({ kind: 'user', namespace: 'default', name });
export const groupRef = (name: string) =>
  stringifyEntityRef({ kind: 'group', namespace: 'default', name });

export function ownershipOf(name: string): string[] {
  return [userRef(name), ...(GROUPS[name] ?? []).map(groupRef)];
}

export const ROLES = {
  admins: [groupRef('access-admins')],
  auditors: [groupRef('security-auditors')],
};

export function catalogEntities(): Entity[] {
  const groups = [...new Set(Object.values(GROUPS).flat())];
  return [
    ...accountEntities(),
    ...groups.map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name, namespace: 'default' },
      spec: { type: 'team', children: [] },
      // as the catalog relates them: RBAC finds a user's groups by this
      relations: Object.entries(GROUPS)
        .filter(([, memberOf]) => memberOf.includes(name))
        .map(([user]) => ({ type: 'hasMember', targetRef: userRef(user) })),
    })),
    ...Object.entries(GROUPS).map(([name, memberOf]) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name, namespace: 'default' },
      spec: {
        profile: { email: `${name}@example.com` },
        memberOf,
      },
      relations: memberOf.map(g => ({
        type: 'memberOf',
        targetRef: groupRef(g),
      })),
    })),
  ];
}

const resource = (
  name: string,
  annotations: Record<string, string>,
  spec: { type: string; owner: string; system?: string },
  relations: Array<{ type: string; targetRef: string }> = [],
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name, namespace: 'default', annotations },
  spec,
  relations: [
    { type: 'ownedBy', targetRef: spec.owner },
    ...(spec.system ? [{ type: 'partOf', targetRef: spec.system }] : []),
    ...relations,
  ],
});

/**
 * The AWS accounts in the catalog, as the catalog module writes them:
 * payments-prod owned by payments-team in the payments System (owned by
 * security-leads); data-prod marked sensitive; the Security OU marked
 * sensitive (so audit is); payments-service depends on payments-prod.
 */
export function accountEntities(): Entity[] {
  return [
    resource(
      'payments-prod',
      { 'aws.amazon.com/account-id': ACCOUNT['payments-prod'] },
      {
        type: 'aws-account',
        owner: groupRef('payments-team'),
        system: 'system:default/payments',
      },
    ),
    resource(
      'data-prod',
      {
        'aws.amazon.com/account-id': ACCOUNT['data-prod'],
        'elevated-access/sensitive': 'true',
      },
      { type: 'aws-account', owner: groupRef('platform-leads') },
    ),
    resource(
      'ou-security',
      {
        'aws.amazon.com/organizational-unit-id': OU.Security,
        'elevated-access/sensitive': 'true',
      },
      { type: 'aws-organizational-unit', owner: groupRef('security-leads') },
    ),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: { name: 'payments', namespace: 'default' },
      spec: { owner: groupRef('security-leads') },
      relations: [{ type: 'ownedBy', targetRef: groupRef('security-leads') }],
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'payments-service', namespace: 'default' },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: groupRef('payments-team'),
        dependsOn: ['resource:default/payments-prod'],
      },
      relations: [
        { type: 'ownedBy', targetRef: groupRef('payments-team') },
        { type: 'dependsOn', targetRef: 'resource:default/payments-prod' },
      ],
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'data-pipeline',
        namespace: 'default',
        // one account the organisation has, one it does not
        annotations: {
          'aws.amazon.com/account-id': `${ACCOUNT['data-prod']},000000000000`,
        },
      },
      spec: {
        type: 'service',
        lifecycle: 'production',
        owner: groupRef('platform-leads'),
      },
      relations: [{ type: 'ownedBy', targetRef: groupRef('platform-leads') }],
    },
  ];
}

/** The demo's seeded policies (DESIGN.md §7), plus Security for frank. */
export const DEMO_ELIGIBILITY: EligibilityPolicyInput[] = [
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

export const DEMO_APPROVERS: ApproverPolicyInput[] = [
  {
    name: 'Platform leads approve workloads',
    accounts: [],
    ous: [OU.Workloads],
    permissionSets: [],
    approvers: [groupRef('platform-leads')],
    minApprovals: 1,
  },
  {
    name: 'Security leads approve security',
    accounts: [],
    ous: [OU.Security],
    permissionSets: [],
    approvers: [groupRef('security-leads')],
    minApprovals: 1,
  },
];
