import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ApproverPolicyInput,
  EligibilityPolicyInput,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { AccessTargets } from '@elevated-access/backstage-plugin-elevated-access-node';

import demo from './demoOrganization.json';

/*
 * The demo organisation (DESIGN.md §7) and its policies come from
 * demoOrganization.json, which scripts/seed-demo.js seeds into the demo too;
 * here they take the fixed ids the tests use (testId, testArn there).
 */

type OuName = keyof typeof demo.organizationalUnits;
type AccountName = keyof typeof demo.accounts;

function fixedIds<K extends string, V>(
  entries: Record<K, V>,
  id: (value: V) => string,
): Record<K, string> {
  return Object.fromEntries(
    Object.entries<V>(entries).map(([name, value]) => [name, id(value)]),
  ) as Record<K, string>;
}

export const ROOT = demo.rootTestId;
export const OU = fixedIds(demo.organizationalUnits, ou => ou.testId);
export const ACCOUNT = fixedIds(demo.accounts, account => account.testId);
export const PS = fixedIds(demo.permissionSets, ps => ps.testArn);

export function demoTargets(): AccessTargets {
  const ous = Object.entries(demo.organizationalUnits) as Array<
    [OuName, { parent: OuName | null }]
  >;
  const accounts = Object.entries(demo.accounts) as Array<
    [AccountName, { ou: OuName | null; management?: boolean }]
  >;
  return {
    rootId: ROOT,
    organizationalUnits: ous.map(([name, { parent }]) => ({
      id: OU[name],
      name,
      parentId: parent ? OU[parent] : ROOT,
    })),
    accounts: accounts.map(([name, { ou, management }]) => ({
      id: ACCOUNT[name],
      name,
      parentId: ou ? OU[ou] : ROOT,
      isManagementAccount: management ?? false,
    })),
    permissionSets: Object.entries(PS).map(([name, arn]) => ({
      arn,
      name,
      sessionDuration: 'PT1H',
    })),
    fetchedAt: '2026-11-21T00:00:00.000Z',
  };
}

/**
 * Ids for the names a demo policy is written with: the fixed ones by default,
 * the AWS sandbox's seed (or any organisation's) when given.
 */
export interface DemoIds {
  ous: Record<string, string>;
  accounts: Record<string, string>;
  permissionSets: Record<string, string>;
}
const FIXED_IDS: DemoIds = { ous: OU, accounts: ACCOUNT, permissionSets: PS };

function idsOf(names: string[], ids: Record<string, string>, what: string) {
  return names.map(name => {
    if (!(name in ids)) throw new Error(`No ${what} named ${name}`);
    return ids[name];
  });
}

function withIds<
  P extends { accounts: string[]; ous: string[]; permissionSets: string[] },
>(policy: P, ids: DemoIds): P {
  return {
    ...policy,
    accounts: idsOf(policy.accounts, ids.accounts, 'account'),
    ous: idsOf(policy.ous, ids.ous, 'OU'),
    permissionSets: idsOf(
      policy.permissionSets,
      ids.permissionSets,
      'permission set',
    ),
  };
}

/** One of the demo's eligibility policies, with ids. */
export function demoEligibility(
  key: keyof typeof demo.eligibilityPolicies,
  ids: DemoIds = FIXED_IDS,
): EligibilityPolicyInput {
  return withIds(demo.eligibilityPolicies[key], ids);
}

/** One of the demo's approver policies, with ids. */
export function demoApprovers(
  key: keyof typeof demo.approverPolicies,
  ids: DemoIds = FIXED_IDS,
): ApproverPolicyInput {
  return withIds(demo.approverPolicies[key], ids);
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

/**
 * An eligibility policy the tests name: developers power-use the Workloads
 * OU for up to an hour with an approval and no ticket; override any field.
 */
export function eligibilityPolicy(
  overrides: Partial<EligibilityPolicyInput> & { name: string },
): EligibilityPolicyInput {
  return {
    principals: [groupRef('developers')],
    accounts: [],
    ous: [OU.Workloads],
    permissionSets: [PS.PowerUserAccess],
    maxDurationMinutes: 60,
    approvalRequired: true,
    ticketRequired: false,
    ...overrides,
  };
}

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

/**
 * The demo's policies most tests start from (DESIGN.md §7): developers read
 * workloads at once and power-use them with a ticket and an approval, which
 * platform leads give; plus Security for frank. Break-glass and owner
 * approval are left to the tests about them.
 */
export function demoPolicies(ids: DemoIds = FIXED_IDS): {
  eligibility: EligibilityPolicyInput[];
  approvers: ApproverPolicyInput[];
} {
  return {
    eligibility: [
      demoEligibility('readOnlyOnWorkloads', ids),
      demoEligibility('powerUserOnWorkloads', ids),
    ],
    approvers: [
      demoApprovers('platformLeadsApproveWorkloads', ids),
      {
        name: 'Security leads approve security',
        accounts: [],
        ous: idsOf(['Security'], ids.ous, 'OU'),
        permissionSets: [],
        approvers: [groupRef('security-leads')],
        minApprovals: 1,
      },
    ],
  };
}

export const DEMO_ELIGIBILITY = demoPolicies().eligibility;
export const DEMO_APPROVERS = demoPolicies().approvers;
