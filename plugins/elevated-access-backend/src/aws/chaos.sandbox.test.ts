import { RunningSandbox, startSandbox } from '@internal/aws-sandbox';
import {
  callMs,
  callTripleKey,
  ChaosRequest,
  ChaosResult,
  runChaos,
  tripleKey,
} from '../__testUtils__/chaos';
import { describePostgres, testDatabases } from '../__testUtils__/databases';

jest.setTimeout(480_000);

/*
 * Chaos: 120 short requests on two replica processes sharing PostgreSQL, with
 * half of Identity Center's assignment calls throttled and its 20 calls/s
 * enforced; replica A is killed mid-work (SIGKILL) and replica B is stopped
 * (SIGTERM) and started again. Judged from what reached "AWS" (the sandbox's
 * call record, successful calls): no assignment is created twice or outside
 * its window, every one is deleted once after its end, nothing is left
 * behind, and every request was granted in its window and has ended. The
 * scenario itself is in __testUtils__/chaos.ts; it runs once for all checks.
 */

testDatabases();

const iso = (ms: number) => new Date(ms).toISOString();

/** Successful calls of one operation, per assignment (epoch ms). */
function successes(result: ChaosResult, operation: string) {
  const byTriple = new Map<string, number[]>();
  for (const c of result.calls) {
    if (c.operation !== operation || c.status !== 200) continue;
    const key = callTripleKey(c);
    byTriple.set(key, [...(byTriple.get(key) ?? []), callMs(c)]);
  }
  return byTriple;
}

/** A request as a failure message shows it: its window and its history. */
function explain(r: ChaosRequest, extra: Record<string, unknown> = {}) {
  return {
    id: r.id,
    status: r.status,
    window: `${iso(r.start)} - ${iso(r.end)}`,
    ...extra,
    events: r.events.map(e => `${iso(e.at)} ${e.action} -> ${e.toStatus}`),
  };
}

describePostgres(
  'chaos: a replica killed, one restarted, calls throttled',
  init => {
    let sandbox: RunningSandbox;
    let result: ChaosResult;
    let creates: Map<string, number[]>;
    let deletes: Map<string, number[]>;

    beforeAll(async () => {
      sandbox = await startSandbox();
      result = await runChaos({ knex: await init(), sandbox });
      creates = successes(result, 'CreateAccountAssignment');
      deletes = successes(result, 'DeleteAccountAssignment');
    });
    afterAll(() => sandbox?.stop());

    it('ran as described: A died holding work, B stopped gracefully, B2 ran to the end', () => {
      expect(result.requests).toHaveLength(120);
      expect(result.heldByKilled.length).toBeGreaterThan(0);
      expect(
        result.replicas.map(r => ({
          name: r.name,
          code: r.code,
          signal: r.signal,
        })),
      ).toEqual([
        { name: 'A', code: null, signal: 'SIGKILL' },
        { name: 'B', code: 0, signal: null },
        { name: 'B2', code: 0, signal: null },
      ]);
    });

    it('creates no assignment twice, none before its start and none after its end', () => {
      const known = new Set(result.requests.map(tripleKey));
      expect([...creates.keys()].filter(k => !known.has(k))).toEqual([]);
      expect(
        result.requests
          .map(r => ({ r, at: creates.get(tripleKey(r)) ?? [] }))
          .filter(
            ({ r, at }) =>
              at.length > 1 || at.some(t => t < r.start || t >= r.end),
          )
          .map(({ r, at }) => explain(r, { creates: at.map(iso) })),
      ).toEqual([]);
    });

    it('deletes every assignment it created exactly once, after its end, and leaves nothing behind', () => {
      expect(
        result.requests
          .map(r => ({
            r,
            created: creates.get(tripleKey(r)) ?? [],
            deleted: deletes.get(tripleKey(r)) ?? [],
          }))
          .filter(
            ({ r, created, deleted }) =>
              deleted.length !== (created.length ? 1 : 0) ||
              deleted.some(t => t < r.end),
          )
          .map(({ r, created, deleted }) =>
            explain(r, {
              creates: created.map(iso),
              deletes: deleted.map(iso),
            }),
          ),
      ).toEqual([]);
      // not in Identity Center, and not present in the plugin's ledger
      expect(result.remaining).toEqual([]);
      expect(result.ledgerPresent).toEqual([]);
    });

    it('granted every request once, inside its window, and ended it', () => {
      expect(
        result.requests
          .filter(
            r =>
              (creates.get(tripleKey(r)) ?? []).length !== 1 ||
              !r.events.some(e => e.action === 'grant-succeeded') ||
              !r.grantedAt ||
              r.grantedAt >= r.end ||
              r.status !== 'ended',
          )
          .map(r =>
            explain(r, {
              grantedAt: r.grantedAt && iso(r.grantedAt),
              creates: (creates.get(tripleKey(r)) ?? []).map(iso),
              heldByKilledReplica: result.heldByKilled.includes(r.id),
            }),
          ),
      ).toEqual([]);
      expect(result.timedOut).toBe(false);
    });
  },
);
