/*
 * The large organisation of `yarn bench org` (see org.bench.ts): 5,000
 * accounts in 300 OUs five levels deep, 100 permission sets, 2,000
 * eligibility and 500 approver policies, and the catalog of the requester's
 * and the approver's groups.
 */
import { Entity } from '@backstage/catalog-model';
import {
  ApproverPolicyInput,
  EligibilityPolicyInput,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { AccessTargets } from '@elevated-access/backstage-plugin-elevated-access-node';

export const ACCOUNTS = 5_000;
export const OUS_PER_LEVEL = [5, 20, 50, 100, 125];
export const PERMISSION_SETS = 100;
export const ELIGIBILITY_POLICIES = 2_000;
export const APPROVER_POLICIES = 500;
const TEAM_GROUPS = 200;
const APPROVER_GROUPS = 100;
export const REQUESTER_GROUPS = 40;
export const APPROVER_MEMBERSHIPS = 30;

const ROOT = 'r-bnch';
const pad = (n: number, width: number) => String(n).padStart(width, '0');
const ouId = (level: number, i: number) => `ou-bnch-l${level}${pad(i, 7)}`;
const groupRef = (name: string) => `group:default/${name}`;
export const userRef = (name: string) => `user:default/${name}`;
const team = (i: number) => `team-${pad(i, 3)}`;
const approverGroup = (i: number) => `approvers-${pad(i, 3)}`;
const psArn = (i: number) =>
  `arn:aws:sso:::permissionSet/ssoins-00000000000000b1/ps-${pad(i, 16)}`;

const LEVEL_NAMES = ['Division', 'Domain', 'Team', 'Service', 'Stage'];
const WORDS = [
  'data',
  'payments',
  'search',
  'billing',
  'identity',
  'ml',
  'checkout',
  'ledger',
  'catalog',
  'media',
];
const ENVIRONMENTS = ['prod', 'dev', 'staging', 'sandbox'];

/** The organisation: OUs level by level, accounts round-robin over all of them. */
export function organisation(): AccessTargets {
  const ous: AccessTargets['organizationalUnits'] = [];
  OUS_PER_LEVEL.forEach((count, level) => {
    for (let i = 0; i < count; i++) {
      ous.push({
        id: ouId(level + 1, i),
        name: `${LEVEL_NAMES[level]} ${pad(i, 3)}`,
        parentId:
          level === 0 ? ROOT : ouId(level, i % OUS_PER_LEVEL[level - 1]),
      });
    }
  });
  const accounts: AccessTargets['accounts'] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    accounts.push({
      id: String(200_000_000_000 + i),
      name: `${WORDS[i % WORDS.length]}-${
        ENVIRONMENTS[Math.floor(i / WORDS.length) % ENVIRONMENTS.length]
      }-${pad(i, 4)}`,
      parentId: ous[i % ous.length].id,
      isManagementAccount: false,
    });
  }
  accounts.push({
    id: '299999999999',
    name: 'management',
    parentId: ROOT,
    isManagementAccount: true,
  });
  return {
    rootId: ROOT,
    organizationalUnits: ous,
    accounts,
    permissionSets: Array.from({ length: PERMISSION_SETS }, (_, i) => ({
      arn: psArn(i),
      name: `Role${pad(i, 3)}Access`,
      description: `Permission set ${i}`,
      sessionDuration: 'PT1H',
    })),
    fetchedAt: new Date().toISOString(),
  };
}

/** OUs of levels `from`..`to` (1-based), in level order. */
function ousOfLevels(from: number, to: number): string[] {
  const out: string[] = [];
  for (let level = from; level <= to; level++) {
    for (let i = 0; i < OUS_PER_LEVEL[level - 1]; i++) {
      out.push(ouId(level, i));
    }
  }
  return out;
}

export function eligibilityPolicies(): EligibilityPolicyInput[] {
  const deep = ousOfLevels(3, 5);
  return Array.from({ length: ELIGIBILITY_POLICIES }, (_, i) => ({
    name: `Eligibility ${pad(i, 4)}`,
    // 7 is prime to 200: each team is named by 10 policies
    principals: [groupRef(team((i * 7) % TEAM_GROUPS))],
    accounts:
      i % 10 === 0
        ? Array.from({ length: 5 }, (__, k) =>
            String(200_000_000_000 + ((i * 13 + k * 997) % ACCOUNTS)),
          )
        : [],
    ous: i % 10 === 0 ? [] : [deep[(i * 31) % deep.length]],
    permissionSets: Array.from({ length: 1 + (i % 4) }, (__, k) =>
      psArn((i * 3 + k * 17) % PERMISSION_SETS),
    ),
    maxDurationMinutes: [60, 120, 240, 480][i % 4],
    approvalRequired: i % 3 !== 0,
    ticketRequired: i % 5 === 0,
  }));
}

export function approverPolicies(): ApproverPolicyInput[] {
  const upper = ousOfLevels(1, 3);
  return Array.from({ length: APPROVER_POLICIES }, (_, j) => ({
    name: `Approvers ${pad(j, 3)}`,
    accounts: [],
    ous: [upper[j % upper.length]],
    permissionSets:
      j % 4 === 3
        ? Array.from({ length: 10 }, (__, k) => psArn((j + k * 7) % 100))
        : [],
    approvers: [groupRef(approverGroup(j % APPROVER_GROUPS))],
    minApprovals: 1,
  }));
}

export const REQUESTER_REFS = [
  userRef('requester'),
  ...Array.from({ length: REQUESTER_GROUPS }, (_, i) => groupRef(team(i))),
];
export const APPROVER_REFS = [
  userRef('approver'),
  ...Array.from({ length: APPROVER_MEMBERSHIPS }, (_, i) =>
    groupRef(approverGroup(i)),
  ),
];
export const ADMIN_REFS = [userRef('dave'), groupRef('access-admins')];

/** Users and groups: approver groups hold the approver (30 of them) and a colleague. */
export function catalog(): Entity[] {
  const group = (name: string, members: string[]): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: members.map(m => ({ type: 'hasMember', targetRef: userRef(m) })),
  });
  const user = (name: string, memberOf: string[]): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { profile: { email: `${name}@example.com` }, memberOf },
    relations: memberOf.map(g => ({
      type: 'memberOf',
      targetRef: groupRef(g),
    })),
  });
  const teams = Array.from({ length: TEAM_GROUPS }, (_, i) => team(i));
  const approverGroups = Array.from({ length: APPROVER_GROUPS }, (_, i) =>
    approverGroup(i),
  );
  return [
    ...teams.map((t, i) => group(t, i < REQUESTER_GROUPS ? ['requester'] : [])),
    ...approverGroups.map((g, i) =>
      group(
        g,
        i < APPROVER_MEMBERSHIPS ? ['approver', 'colleague'] : ['colleague'],
      ),
    ),
    group('access-admins', ['dave']),
    user('requester', teams.slice(0, REQUESTER_GROUPS)),
    user('approver', approverGroups.slice(0, APPROVER_MEMBERSHIPS)),
    user('colleague', approverGroups),
    user('dave', ['access-admins']),
  ];
}
