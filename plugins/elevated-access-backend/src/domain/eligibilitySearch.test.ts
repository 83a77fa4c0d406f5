import {
  EligibilityPolicy,
  eligibilityOptions,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { AccessTargets } from '@elevated-access/backstage-plugin-elevated-access-node';
import fc from 'fast-check';
import { BUILT_IN_SETTINGS } from '../config';
import { approverScopeOf } from './approvers';
import { CallerEligibility, hasEligiblePair, summarise } from './eligibility';
import { OrgTree } from './OrgTree';
import { intersects } from './refs';

const settings = { ...BUILT_IN_SETTINGS };
const meta = { version: 1, createdAt: '', updatedAt: '', updatedBy: '' };
const arn = (n: number) =>
  `arn:aws:sso:::permissionSet/ssoins-0000000000000001/ps-${String(n).padStart(
    16,
    '0',
  )}`;
const id = (n: number) => String(100000000000 + n);

function policy(
  n: number,
  p: Partial<EligibilityPolicy> &
    Pick<EligibilityPolicy, 'accounts' | 'ous' | 'permissionSets'>,
): EligibilityPolicy {
  return {
    id: `p${String(n).padStart(3, '0')}`,
    name: `Policy ${n}`,
    principals: ['group:default/data'],
    maxDurationMinutes: 60,
    approvalRequired: false,
    ticketRequired: false,
    breakGlass: false,
    ...meta,
    ...p,
  };
}

const data = {
  userEntityRef: 'user:default/alice',
  ownershipEntityRefs: ['user:default/alice', 'group:default/data'],
};

/** Root → Platform → Data → Lake; root → Sandbox; a management account at the root. */
const targets: AccessTargets = {
  rootId: 'r-1',
  organizationalUnits: [
    { id: 'ou-platform', name: 'Platform', parentId: 'r-1' },
    { id: 'ou-data', name: 'Data', parentId: 'ou-platform' },
    { id: 'ou-lake', name: 'Lake', parentId: 'ou-data' },
    { id: 'ou-sandbox', name: 'Sandbox', parentId: 'r-1' },
  ],
  accounts: [
    ['data-prod', 'ou-data'],
    ['data-dev', 'ou-data'],
    ['payments-data', 'ou-platform'],
    ['ingest', 'ou-lake'],
    ['Zeta-data-archive', 'ou-lake'],
    ['scratch', 'ou-sandbox'],
    ['management', 'r-1'],
  ].map(([name, parentId], i) => ({
    id: id(i + 1),
    name,
    parentId,
    isManagementAccount: name === 'management',
  })),
  permissionSets: [1, 2, 3].map(n => ({ arn: arn(n), name: `PS${n}` })),
  fetchedAt: '2026-11-21T00:00:00.000Z',
};
const tree = new OrgTree(targets);
const accountId = (name: string) =>
  targets.accounts.find(a => a.name === name)!.id;

describe('CallerEligibility', () => {
  const policies = [
    policy(1, { accounts: [], ous: ['r-1'], permissionSets: [arn(1)] }),
    policy(2, {
      accounts: [accountId('scratch')],
      ous: ['ou-data'],
      permissionSets: [arn(2), arn(3), 'arn:aws:sso:::permissionSet/gone'],
    }),
    // names someone else
    policy(3, {
      principals: ['group:default/payments'],
      accounts: [],
      ous: ['r-1'],
      permissionSets: [arn(3)],
    }),
  ];
  const eligibility = new CallerEligibility({
    caller: data,
    policies,
    tree,
    settings,
  });
  const names = (items: Array<{ name: string }>) => items.map(i => i.name);

  it('counts the permission sets of each account, never the management account', () => {
    const all = eligibility.searchAccounts('', 50);
    expect(
      Object.fromEntries(all.items.map(a => [a.name, a.permissionSetCount])),
    ).toEqual({
      'data-dev': 3,
      'data-prod': 3,
      ingest: 3,
      'payments-data': 1,
      scratch: 3,
      'Zeta-data-archive': 3,
    });
    expect(all.items.find(a => a.name === 'ingest')!.ouPath).toEqual([
      { id: 'ou-platform', name: 'Platform' },
      { id: 'ou-data', name: 'Data' },
      { id: 'ou-lake', name: 'Lake' },
    ]);
    expect(eligibility.covers(accountId('management'))).toBe(false);
  });

  it('ranks the exact id first, then names starting with the text, then any match, case-insensitively', () => {
    expect(names(eligibility.searchAccounts('DATA', 50).items)).toEqual([
      'data-dev',
      'data-prod',
      // then any that contains it (name, id or OU path), in name order
      'ingest',
      'payments-data',
      'Zeta-data-archive',
    ]);
    expect(
      names(eligibility.searchAccounts(accountId('ingest'), 50).items),
    ).toEqual(['ingest']);
    // a part of an id matches every account holding it; the exact one leads
    expect(
      names(eligibility.searchAccounts(accountId('scratch'), 50).items)[0],
    ).toBe('scratch');
    expect(names(eligibility.searchAccounts('lake', 50).items)).toEqual([
      'ingest',
      'Zeta-data-archive',
    ]);
    expect(
      names(eligibility.searchAccounts('platform / data / lake', 50).items),
    ).toEqual(['ingest', 'Zeta-data-archive']);
    expect(eligibility.searchAccounts('management', 50).items).toEqual([]);
  });

  it('cuts at the limit and says how many matched', () => {
    expect(eligibility.searchAccounts('data', 2)).toMatchObject({
      total: 5,
      truncated: true,
    });
    expect(names(eligibility.searchAccounts('data', 2).items)).toEqual([
      'data-dev',
      'data-prod',
    ]);
    expect(eligibility.searchAccounts('data', 5).truncated).toBe(false);
  });

  it('gives one account the pairs it gives in the full list', () => {
    const ingest = eligibility.pairsOf(accountId('ingest'));
    expect(ingest.map(p => p.permissionSetArn)).toEqual([
      arn(1),
      arn(2),
      arn(3),
    ]);
    expect(
      eligibility.allPairs().filter(p => p.accountId === accountId('ingest')),
    ).toEqual(ingest);
    expect(eligibility.pairsOf(accountId('management'))).toEqual([]);
  });

  it('finds the same pairs as testing every account against every policy', () => {
    // random organisations and policies; the reference is the plain scan
    const ouCount = 6;
    const arbitrary = fc.record({
      parents: fc.array(fc.nat(), { minLength: ouCount, maxLength: ouCount }),
      accounts: fc.array(fc.nat({ max: ouCount }), {
        minLength: 1,
        maxLength: 12,
      }),
      policies: fc.array(
        fc.record({
          mine: fc.boolean(),
          accounts: fc.uniqueArray(fc.nat({ max: 12 }), { maxLength: 3 }),
          ous: fc.uniqueArray(fc.nat({ max: ouCount }), { maxLength: 2 }),
          permissionSets: fc.uniqueArray(fc.integer({ min: 1, max: 4 }), {
            minLength: 1,
            maxLength: 3,
          }),
          maxDurationMinutes: fc.constantFrom(30, 60, 240),
          approvalRequired: fc.boolean(),
        }),
        { maxLength: 8 },
      ),
    });
    fc.assert(
      fc.property(arbitrary, gen => {
        // OU i hangs under the root or an earlier OU (ou-0 is the root)
        const ou = (n: number) => (n === 0 ? 'r' : `ou-${n}`);
        const randomTargets: AccessTargets = {
          rootId: 'r',
          organizationalUnits: gen.parents.slice(1).map((p, i) => ({
            id: ou(i + 1),
            name: `OU ${i + 1}`,
            parentId: ou(p % (i + 1)),
          })),
          accounts: gen.accounts.map((parent, i) => ({
            id: id(i),
            name: `account-${i}`,
            parentId: ou(Math.min(parent, ouCount - 1)),
            isManagementAccount: i === 0,
          })),
          // permission set 4 is named by policies but not in the organisation
          permissionSets: [1, 2, 3].map(n => ({ arn: arn(n), name: `PS${n}` })),
          fetchedAt: '',
        };
        const randomTree = new OrgTree(randomTargets);
        const randomPolicies = gen.policies.map((p, i) =>
          policy(i, {
            principals: [p.mine ? 'group:default/data' : 'group:default/x'],
            accounts: p.accounts.map(id),
            ous: p.ous.map(ou),
            permissionSets: p.permissionSets.map(arn),
            maxDurationMinutes: p.maxDurationMinutes,
            approvalRequired: p.approvalRequired,
          }),
        );
        const reference = randomTree.requestableAccounts().flatMap(account =>
          randomTree.allPermissionSets().flatMap(ps => {
            const options = eligibilityOptions(
              randomPolicies.filter(
                p =>
                  intersects(data.ownershipEntityRefs, p.principals) &&
                  p.permissionSets.includes(ps.arn) &&
                  randomTree.covers(p, account.id),
              ),
              settings,
            );
            return options.length
              ? [
                  {
                    accountId: account.id,
                    permissionSetArn: ps.arn,
                    ...summarise(options),
                  },
                ]
              : [];
          }),
        );
        const found = new CallerEligibility({
          caller: data,
          policies: randomPolicies,
          tree: randomTree,
          settings,
        });
        expect(found.allPairs()).toEqual(reference);
        expect(
          hasEligiblePair({
            caller: data,
            policies: randomPolicies,
            tree: randomTree,
          }),
        ).toBe(!found.isEmpty);
        const counts = found
          .searchAccounts('', 100)
          .items.map(a => [a.id, a.permissionSetCount]);
        const referenceCounts = new Map<string, number>();
        for (const p of reference) {
          referenceCounts.set(
            p.accountId,
            (referenceCounts.get(p.accountId) ?? 0) + 1,
          );
        }
        expect(new Map(counts as Array<[string, number]>)).toEqual(
          referenceCounts,
        );
        // approver scopes through the OU index match the plain scan too
        const approver = randomPolicies.map(p => ({
          ...p,
          approvers: p.principals,
          minApprovals: 1,
          permissionSets: [],
        }));
        expect(
          approverScopeOf({
            callerRefs: data.ownershipEntityRefs,
            policies: approver,
            tree: randomTree,
          }).map(g => g.accountIds),
        ).toEqual(
          approver
            .filter(p => intersects(data.ownershipEntityRefs, p.approvers))
            .map(p =>
              randomTargets.accounts
                .filter(a => randomTree.covers(p, a.id))
                .map(a => a.id),
            ),
        );
      }),
      { numRuns: 200 },
    );
  });
});
