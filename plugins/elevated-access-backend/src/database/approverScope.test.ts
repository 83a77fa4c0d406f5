import fc from 'fast-check';
import { Knex } from 'knex';
import { describeEachDatabase } from '../__testUtils__/databases';
import { ApproverGrant, mergeApproverGrants } from '../domain/approvers';
import { applyMigrations } from './migrations';
import {
  DatabaseRequestStore,
  RequestStore,
  StoredRequest,
} from './RequestStore';

jest.setTimeout(120_000);

const T0 = new Date('2026-11-21T09:00:00.000Z');
const CALLER = 'user:default/carol';
const REFS = [
  CALLER,
  'group:default/platform-leads',
  'group:default/security-leads',
  'group:default/data-leads',
  'user:default/frank',
];
// more accounts than whereInList sends one parameter each for
const ACCOUNTS = Array.from({ length: 30 }, (_, i) =>
  String(100_000_000_000 + i),
);
const PERMISSION_SETS = ['ps-admin', 'ps-power', 'ps-read'].map(
  p => `arn:aws:sso:::permissionSet/ssoins-1/${p}`,
);

/** The approver scope as the rules say it, over the grants as they come. */
function inScope(
  r: StoredRequest,
  held: string[],
  grants: ApproverGrant[],
  decidedByCaller: Set<string>,
): boolean {
  if (decidedByCaller.has(r.id)) return true;
  return grants.some(g => {
    const among = g.refs.filter(ref => held.includes(ref));
    return (
      among.length > 0 &&
      g.accountIds.includes(r.accountId) &&
      (!g.permissionSetArns ||
        g.permissionSetArns.includes(r.permissionSetArn)) &&
      r.approverRefs.some(ref => among.includes(ref))
    );
  });
}

const grant: fc.Arbitrary<ApproverGrant> = fc.record({
  refs: fc.subarray(REFS, { minLength: 1 }),
  accountIds: fc.subarray(ACCOUNTS),
  permissionSetArns: fc.option(fc.subarray(PERMISSION_SETS), {
    nil: undefined,
  }),
});
// grants that often share refs, permission sets or accounts, so merging
// has something to merge
const grants = fc.oneof(
  fc.array(grant, { maxLength: 8 }),
  fc
    .tuple(
      fc.subarray(REFS, { minLength: 1 }),
      fc.option(fc.subarray(PERMISSION_SETS), { nil: undefined }),
      fc.array(fc.subarray(ACCOUNTS), { minLength: 1, maxLength: 6 }),
      fc.array(fc.subarray(REFS, { minLength: 1 }), { maxLength: 3 }),
    )
    .map(([refs, permissionSetArns, accountLists, otherRefs]) => [
      ...accountLists.map(accountIds => ({
        refs,
        accountIds,
        permissionSetArns,
      })),
      ...otherRefs.map(r => ({
        refs: r,
        accountIds: accountLists[0],
        permissionSetArns,
      })),
    ]),
);

describe('mergeApproverGrants', () => {
  it('makes one grant of grants with the same refs and permission sets, and of grants with the same accounts', () => {
    const leads = 'group:default/platform-leads';
    const merged = mergeApproverGrants([
      { refs: [leads], accountIds: ['3', '1'] },
      { refs: [leads], accountIds: ['2'] },
      { refs: [leads], accountIds: ['1'], permissionSetArns: ['b', 'a'] },
      { refs: [CALLER], accountIds: ['1'], permissionSetArns: ['a', 'b'] },
      { refs: [CALLER], accountIds: [] },
    ]);
    expect(merged).toEqual([
      { refs: [leads], accountIds: ['1', '2', '3'] },
      {
        refs: [leads, CALLER].sort(),
        accountIds: ['1'],
        permissionSetArns: ['a', 'b'],
      },
    ]);
  });
});

describeEachDatabase('approver scope in SQL', init => {
  let knex: Knex;
  let requests: RequestStore;
  let all: StoredRequest[];
  const decidedByCaller = new Set<string>();

  beforeAll(async () => {
    knex = await init();
    await applyMigrations(knex);
    requests = DatabaseRequestStore.create({ knex });
    for (let i = 0; i < 60; i++) {
      const created = await requests.create({
        requesterRef: i % 7 === 0 ? CALLER : 'user:default/alice',
        accountId: ACCOUNTS[(i * 7) % ACCOUNTS.length],
        accountName: `account-${i}`,
        permissionSetArn: PERMISSION_SETS[i % PERMISSION_SETS.length],
        permissionSetName: 'Some',
        status: 'pending',
        startTime: T0,
        endTime: new Date(T0.getTime() + 3_600_000),
        durationMinutes: 60,
        justification: 'Fix the broken deployment pipeline',
        approvalRequired: true,
        minApprovals: 2,
        approverRefs: [REFS[i % REFS.length], REFS[(i * 3 + 1) % REFS.length]],
        policyIds: ['p1'],
        expiresAt: new Date(T0.getTime() + 86_400_000),
        createdAt: new Date(T0.getTime() + i * 60_000),
      });
      if (i % 11 === 0 && i % 7 !== 0) {
        await requests.recordDecision({
          requestId: created.id,
          approverRef: CALLER,
          decision: 'approve',
          now: T0,
        });
        decidedByCaller.add(created.id);
      }
    }
    all = (await requests.list({ limit: 500 })).items;
  });

  it('lists and counts exactly the requests the unmerged grants allow, merged or not', async () => {
    let partial = 0;
    await fc.assert(
      fc.asyncProperty(
        grants,
        fc.subarray(REFS, { minLength: 1 }),
        async (given, held) => {
          const expected = all
            .filter(r => inScope(r, held, given, decidedByCaller))
            .map(r => r.id)
            .sort();
          const merged = mergeApproverGrants(given);
          expect(merged.length).toBeLessThanOrEqual(given.length);
          for (const scopeGrants of [given, merged]) {
            const approverScope = { callerRef: CALLER, grants: scopeGrants };
            const listed = await requests.list({
              limit: 500,
              approverRefs: held,
              approverScope,
              // the approvals view's read condition: true for every row of
              // the approver filter, so it is left out of the SQL
              permission: {
                anyOf: [
                  { property: 'approverRef', values: held },
                  { property: 'status', values: ['rejected'] },
                ],
              },
            });
            expect(listed.items.map(r => r.id).sort()).toEqual(expected);
            const pending = await requests.countPendingFor(
              held,
              CALLER,
              { property: 'approverRef', values: held },
              approverScope,
            );
            expect(pending).toBe(
              all.filter(
                r =>
                  expected.includes(r.id) &&
                  r.status === 'pending' &&
                  r.requesterRef !== CALLER &&
                  !decidedByCaller.has(r.id),
              ).length,
            );
          }
          if (expected.length > decidedByCaller.size) partial++;
        },
      ),
      { numRuns: 60 },
    );
    // not vacuous: grants let the caller see more than what they decided
    expect(partial).toBeGreaterThan(0);
  });
});
