import { TestDatabases } from '@backstage/backend-test-utils';
import {
  findTransition,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import fc from 'fast-check';
import { Knex } from 'knex';
import {
  ACCOUNT,
  DEMO_APPROVERS,
  DEMO_ELIGIBILITY,
  ownershipOf,
  Persona,
  PERSONAS,
  PS,
} from '../__testUtils__/fixtures';
import { clearDatabase } from '../__testUtils__/snapshot';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';
import { fakeDateOnly } from '../__testUtils__/fakeDate';

jest.setTimeout(600_000);

/*
 * Random sequences of API calls by random personas, with time passing and the
 * lifecycle task running in between. After every step the database must say:
 * - every request's status history follows the transition table, from
 *   creation to its current status, one event per change;
 * - nobody decided their own request, and only approvers decided at all;
 * - every vote and every change has its event;
 * - extensions (issue 14 §2): only the requester extends, only approvers of
 *   the extension decide it, at most one is pending, and the window from the
 *   grant is the approved duration plus every approved extension;
 * - the server never answered with a 5xx.
 */

type Command =
  | {
      kind: 'create';
      who: Persona;
      account: string;
      ps: string;
      duration: number;
      ticket: boolean;
      startIn?: number;
    }
  | {
      kind: 'approve' | 'reject';
      who: Persona;
      index: number;
      comment: boolean;
      /** An approval for this many minutes (shortening, or not). */
      minutes: number | null;
    }
  | { kind: 'cancel'; who: Persona; index: number }
  | { kind: 'revoke'; who: Persona; index: number; comment: boolean }
  | { kind: 'tick'; minutes: number }
  | { kind: 'extend'; who: Persona; index: number; minutes: number }
  | {
      kind: 'extension-approve' | 'extension-reject';
      who: Persona;
      index: number;
      comment: boolean;
    }
  | {
      kind: 'approver-policy';
      who: Persona;
      minApprovals: number;
      approvers: string[];
    };

const persona = fc.constantFrom(...PERSONAS);
// mostly plausible calls, with every persona still showing up
const requester = fc.oneof(
  { arbitrary: fc.constantFrom<Persona>('alice', 'erin'), weight: 5 },
  { arbitrary: persona, weight: 1 },
);
const decider = fc.oneof(
  { arbitrary: fc.constantFrom<Persona>('bob', 'erin', 'carol'), weight: 4 },
  { arbitrary: persona, weight: 1 },
);
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      who: requester,
      account: fc.constantFrom(
        ACCOUNT['payments-prod'],
        ACCOUNT['payments-prod'],
        ACCOUNT['data-dev'],
        ACCOUNT.audit,
      ),
      ps: fc.constantFrom(
        PS.PowerUserAccess,
        PS.PowerUserAccess,
        PS.ReadOnlyAccess,
        PS.AdministratorAccess,
      ),
      duration: fc.constantFrom(-5, 0, 30, 60, 60, 120, 240, 241),
      ticket: fc.oneof(
        { arbitrary: fc.constant(true), weight: 4 },
        { arbitrary: fc.constant(false), weight: 1 },
      ),
      startIn: fc.option(fc.constantFrom(-60, 0, 30, 120), { nil: undefined }),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'approve' as const,
        'approve' as const,
        'reject' as const,
      ),
      who: decider,
      index: fc.nat(20),
      comment: fc.boolean(),
      minutes: fc.option(fc.integer({ min: 1, max: 300 })),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      who: requester,
      index: fc.nat(20),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('revoke' as const),
      who: persona,
      index: fc.nat(20),
      comment: fc.boolean(),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('extend' as const),
      who: requester,
      index: fc.nat(20),
      minutes: fc.constantFrom(0, 15, 60, 180, 500),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'extension-approve' as const,
        'extension-approve' as const,
        'extension-reject' as const,
      ),
      who: decider,
      index: fc.nat(20),
      comment: fc.boolean(),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('tick' as const),
      minutes: fc.constantFrom(1, 20, 90, 600, 1500),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('approver-policy' as const),
      who: fc.constantFrom<Persona>('dave', 'bob'),
      minApprovals: fc.constantFrom(1, 2),
      approvers: fc.subarray(
        [
          'group:default/platform-leads',
          'group:default/developers',
          'user:default/carol',
        ],
        { minLength: 1 },
      ),
    }),
    weight: 1,
  },
);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function checkInvariants(knex: Knex) {
  const requests = await knex('requests').select();
  for (const r of requests) {
    const events = await knex('events')
      .where({ entity_type: 'request', entity_id: r.id })
      .orderBy('id');
    let status: RequestStatus | null = null;
    let changes = 0;
    for (const e of events) {
      if (!e.to_status) continue;
      // each change starts where the last one ended, and is in the table
      expect({ request: r.id, from: e.from_status }).toEqual({
        request: r.id,
        from: status,
      });
      expect(findTransition(status, e.action, e.to_status)).toBeDefined();
      status = e.to_status;
      if (e.action !== 'create') changes++;
    }
    expect(status).toBe(r.status);
    const votes = events.filter((e: any) =>
      [
        'approve-vote',
        'extend',
        'extension-request',
        'extension-approve',
      ].includes(e.action),
    ).length;
    // every version bump (a status change, a vote, an extension) has its event
    expect(r.version - 1).toBe(changes + votes);

    const extensions = await knex('request_extensions').where({
      request_id: r.id,
    });
    const pendingExtensions = extensions.filter(
      (x: any) => x.status === 'pending',
    );
    expect(pendingExtensions.length).toBeLessThanOrEqual(1);
    expect(r.pending_extension_id ?? null).toBe(
      pendingExtensions[0]?.id ?? null,
    );
    for (const x of extensions) {
      expect(x.requester_ref).toBe(r.requester_ref);
      // judged by one policy's terms: never beyond the longest cap (8 h)
      expect(x.total_minutes).toBeLessThanOrEqual(8 * 60);
      const xVotes = await knex('extension_decisions').where({
        extension_id: x.id,
      });
      const xSnapshot: string[] = JSON.parse(x.approver_refs);
      for (const v of xVotes) {
        expect(v.approver_ref).not.toBe(r.requester_ref);
        const name = v.approver_ref.split('/').pop();
        expect(ownershipOf(name).some(ref => xSnapshot.includes(ref))).toBe(
          true,
        );
      }
      if (
        x.status === 'approved' &&
        (x.approval_required === 1 || x.approval_required === true)
      ) {
        expect(
          xVotes.filter((v: any) => v.decision === 'approve').length,
        ).toBeGreaterThanOrEqual(x.min_approvals);
      }
    }
    const extendedMinutes = extensions
      .filter((x: any) => x.status === 'approved')
      .reduce((sum: number, x: any) => sum + x.added_minutes, 0);

    const decisions = await knex('request_decisions').where({
      request_id: r.id,
    });
    const snapshot = await knex('request_approvers')
      .where({ request_id: r.id })
      .pluck('approver_ref');
    for (const d of decisions) {
      expect(d.approver_ref).not.toBe(r.requester_ref);
      const name = d.approver_ref.split('/').pop();
      expect(ownershipOf(name).some(ref => snapshot.includes(ref))).toBe(true);
      expect(
        events.some(
          (e: any) =>
            e.actor_ref === d.approver_ref &&
            ['approve', 'approve-vote', 'reject'].includes(e.action),
        ),
      ).toBe(true);
    }
    const approvals = decisions.filter(
      (d: any) => d.decision === 'approve',
    ).length;
    expect(r.approvals).toBe(approvals);
    if (
      r.status === 'approved' &&
      (r.approval_required === 1 || r.approval_required === true)
    ) {
      expect(approvals).toBeGreaterThanOrEqual(r.min_approvals);
    }
    // an approval may shorten, never lengthen: the shortest vote wins, and
    // the window (planned, or from the grant) lasts exactly that long
    const shortest = Math.min(
      r.duration_minutes,
      ...decisions
        .filter((d: any) => d.decision === 'approve' && d.duration_minutes)
        .map((d: any) => d.duration_minutes),
    );
    // set by the final approval, whatever happened after it
    const approved = events.some((e: any) => e.action === 'approve');
    if (approved && shortest < r.duration_minutes) {
      expect(r.approved_duration_minutes).toBe(shortest);
    } else {
      expect(r.approved_duration_minutes).toBeNull();
    }
    const from = r.granted_at ?? r.start_time;
    const length =
      (new Date(r.end_time).getTime() - new Date(from).getTime()) / 60_000;
    if (r.status !== 'approved' || !r.granted_at) {
      expect(length).toBeLessThanOrEqual(r.duration_minutes + extendedMinutes);
    }
    if (r.granted_at) {
      expect(length).toBe(
        (r.approved_duration_minutes ?? r.duration_minutes) + extendedMinutes,
      );
    }
  }
}

describe('the request lifecycle under random use', () => {
  let api: ElevatedAccessTestBackend;
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    api = await startElevatedAccess({ knex });
  });
  afterAll(() => api.stop());

  it('keeps its invariants after every step', async () => {
    fakeDateOnly();
    let steps = 0;
    const seen = new Map<number, number>();
    let extensionsAccepted = 0;
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(command, { minLength: 5, maxLength: 30 }),
          async commands => {
            let now = new Date('2026-11-21T09:00:00Z').getTime();
            jest.setSystemTime(now);
            await clearDatabase(knex);
            for (const p of DEMO_ELIGIBILITY)
              await api.post('dave', '/policies/eligibility', p);
            const approverPolicy = (
              await api.post('dave', '/policies/approval', DEMO_APPROVERS[0])
            ).body;
            let policyVersion = approverPolicy.version;
            const ids: string[] = [];
            const pick = (i: number) =>
              ids[i % Math.max(ids.length, 1)] ??
              '00000000-0000-4000-8000-000000000000';
            // mostly a request where the call can matter (active, or with a
            // pending extension), else any
            const pickWhere = async (
              i: number,
              where: { status: string } | 'pending_extension_id',
            ) => {
              const candidates: string[] =
                where === 'pending_extension_id'
                  ? await knex('requests')
                      .whereNotNull('pending_extension_id')
                      .orderBy('id')
                      .pluck('id')
                  : await knex('requests')
                      .where(where)
                      .orderBy('id')
                      .pluck('id');
              return i % 4 === 3 || !candidates.length
                ? pick(i)
                : candidates[i % candidates.length];
            };

            for (const c of commands) {
              let res: { status: number; body: any } | undefined;
              switch (c.kind) {
                case 'create':
                  res = await api.post(c.who, '/requests', {
                    accountId: c.account,
                    permissionSetArn: c.ps,
                    durationMinutes: c.duration,
                    justification: 'Random walk through the lifecycle',
                    ticketId: c.ticket ? 'OPS-1' : undefined,
                    startTime:
                      c.startIn === undefined
                        ? undefined
                        : new Date(now + c.startIn * 60_000).toISOString(),
                  });
                  if (res.status === 201) ids.push(res.body.id);
                  break;
                case 'approve':
                case 'reject':
                  res = await api.post(
                    c.who,
                    `/requests/${pick(c.index)}/${c.kind}`,
                    {
                      ...(c.comment ? { comment: 'because' } : {}),
                      ...(c.kind === 'approve' && c.minutes !== null
                        ? { durationMinutes: c.minutes }
                        : {}),
                    },
                  );
                  break;
                case 'cancel':
                  res = await api.post(
                    c.who,
                    `/requests/${pick(c.index)}/cancel`,
                    {},
                  );
                  break;
                case 'revoke':
                  res = await api.post(
                    c.who,
                    `/requests/${pick(c.index)}/revoke`,
                    c.comment ? { comment: 'done' } : {},
                  );
                  break;
                case 'extend': {
                  // the scheduler runs every few seconds: what is due is granted
                  await api.runLifecycle();
                  const id = await pickWhere(c.index, { status: 'active' });
                  // half the time by its requester, the plausible caller
                  const owner = (
                    await knex('requests').where({ id }).first('requester_ref')
                  )?.requester_ref as string | undefined;
                  const who =
                    owner && c.index % 2 === 0
                      ? (owner.split('/').pop() as Persona)
                      : c.who;
                  res = await api.post(who, `/requests/${id}/extend`, {
                    durationMinutes: c.minutes,
                    justification: 'Random walk needs more time',
                  });
                  if (res.status === 200 || res.status === 202) {
                    extensionsAccepted++;
                  }
                  break;
                }
                case 'extension-approve':
                case 'extension-reject':
                  res = await api.post(
                    // half the time by bob, who approves the demo workloads
                    c.index % 2 === 0 ? 'bob' : c.who,
                    `/requests/${await pickWhere(
                      c.index,
                      'pending_extension_id',
                    )}/extension/${
                      c.kind === 'extension-approve' ? 'approve' : 'reject'
                    }`,
                    c.comment ? { comment: 'because' } : {},
                  );
                  break;
                case 'tick':
                  now += c.minutes * 60_000;
                  jest.setSystemTime(now);
                  await api.runLifecycle();
                  break;
                case 'approver-policy':
                  res = await api.put(
                    c.who,
                    `/policies/approval/${approverPolicy.id}`,
                    {
                      ...DEMO_APPROVERS[0],
                      approvers: c.approvers,
                      minApprovals: c.minApprovals,
                      version: policyVersion,
                    },
                  );
                  if (res.status === 200) policyVersion = res.body.version;
                  break;
                default:
                  break;
              }
              const status = res?.status ?? 0;
              seen.set(status, (seen.get(status) ?? 0) + 1);
              // 0: a step without an HTTP call; never a 5xx
              expect([0, 200, 201, 202, 400, 403, 404, 409]).toContain(status);
              await checkInvariants(knex);
              steps++;
            }
          },
        ),
        { numRuns: 100 },
      );
    } finally {
      jest.useRealTimers();
    }
    // the walk really exercised success and refusal paths
    expect(steps).toBeGreaterThan(200);
    expect(seen.get(200)).toBeGreaterThan(10);
    expect(seen.get(201)).toBeGreaterThan(10);
    expect(seen.get(403)).toBeGreaterThan(10);
    expect(seen.get(409)).toBeGreaterThan(0);
    expect(extensionsAccepted).toBeGreaterThan(0);
  });
});
