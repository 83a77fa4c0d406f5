/*
 * List-view benchmark (issue 3): 100,000 requests on PostgreSQL.
 *
 * For the approver inbox, "my requests" and the auditor list (first page and
 * a deep cursor page), it times the plugin's own query (RequestStore.list with
 * the permission condition the role policy gives, as SQL) against a
 * hand-written indexed SQL query returning the same page, and prints p50/p95
 * and the ratio. The hand-written queries get their best plan: their own
 * connection with parallel gathers off (on this 2-core machine PostgreSQL
 * otherwise picks a parallel plan whose worker start-up costs ~10 ms). Run with `yarn bench` (or this file alone with
 * `yarn bench list`); BENCH_PG overrides postgresql://postgres@127.0.0.1:5432.
 */
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { ElevatedAccessRequestQuery } from '@elevated-access/backstage-plugin-elevated-access-node';
import knexFactory, { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { DatabaseRequestStore } from '../src/database/RequestStore';
import { encodeCursor } from '../src/database/util';
import {
  benchDatabaseUrl,
  percentile,
  runBench,
  withBenchDatabase,
} from './benchDatabase';

const TOTAL = Number(process.env.BENCH_REQUESTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 500);
const DB = 'elevated_access_bench';

const USERS = 2_000;
const GROUPS = 40;
const ACCOUNTS = Array.from({ length: 60 }, (_, i) => String(100000000000 + i));
const STATUSES: Array<[string, number]> = [
  ['ended', 0.55],
  ['rejected', 0.08],
  ['expired', 0.08],
  ['cancelled', 0.05],
  ['revoked', 0.06],
  ['pending', 0.08],
  ['approved', 0.04],
  ['active', 0.06],
];

function pickStatus(x: number) {
  let acc = 0;
  for (const [status, share] of STATUSES) {
    acc += share;
    if (x < acc) return status;
  }
  return 'ended';
}

async function seed(knex: Knex) {
  const start = Date.now();
  const yearAgo = Date.now() - 365 * 86400_000;
  let seeded = 0;
  while (seeded < TOTAL) {
    const rows = [];
    const approvers = [];
    for (let i = 0; i < 2_000 && seeded < TOTAL; i++, seeded++) {
      const id = randomUUID();
      const created = new Date(
        yearAgo + Math.floor((seeded / TOTAL) * 365 * 86400_000) + (i % 7),
      );
      const group = (seeded * 7919) % GROUPS;
      rows.push({
        id,
        requester_ref: `user:default/u${(seeded * 104729) % USERS}`,
        account_id: ACCOUNTS[seeded % ACCOUNTS.length],
        account_name: `account-${seeded % ACCOUNTS.length}`,
        permission_set_arn:
          'arn:aws:sso:::permissionSet/ssoins-0000000000000001/ps-0000000000000002',
        permission_set_name: 'PowerUserAccess',
        status: pickStatus(((seeded * 2654435761) % 1000) / 1000),
        start_time: created,
        end_time: new Date(created.getTime() + 3600_000),
        duration_minutes: 60,
        justification: 'Benchmark request',
        ticket_id: `OPS-${seeded}`,
        approval_required: true,
        min_approvals: 1,
        approvals: 1,
        policy_ids: '[]',
        version: 1,
        created_at: created,
        updated_at: created,
      });
      approvers.push({
        request_id: id,
        approver_ref: `group:default/g${group}`,
      });
      if (seeded % 5 === 0) {
        approvers.push({
          request_id: id,
          approver_ref: `group:default/g${(group + 1) % GROUPS}`,
        });
      }
    }
    await knex.batchInsert('requests', rows, 500);
    await knex.batchInsert('request_approvers', approvers, 1000);
  }
  await knex.raw('ANALYZE');
  return Date.now() - start;
}

/** Times two queries alternately, so both see the same machine conditions. */
async function timePair(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
): Promise<[number[], number[]]> {
  for (let i = 0; i < 20; i++) {
    await a();
    await b();
  }
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const [fn, out] of i % 2
      ? ([
          [a, sa],
          [b, sb],
        ] as const)
      : ([
          [b, sb],
          [a, sa],
        ] as const)) {
      const t = process.hrtime.bigint();
      await fn();
      out.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  return [sa.sort((x, y) => x - y), sb.sort((x, y) => x - y)];
}

const pct = percentile;

/** Hand-written: the page, then its approvers, by primary-key lookups. */
async function handPage(knex: Knex, sql: string, bindings: unknown[]) {
  const { rows } = await knex.raw(sql, bindings as any);
  if (rows.length) {
    await knex.raw(
      'SELECT request_id, approver_ref FROM request_approvers WHERE request_id = ANY(?) ORDER BY approver_ref',
      [rows.slice(0, 50).map((r: { id: string }) => r.id)],
    );
  }
  return rows;
}

async function main(knex: Knex) {
  const seedMs = await seed(knex);
  const store = DatabaseRequestStore.create({ knex });
  const handKnex = knexFactory({
    client: 'pg',
    connection: benchDatabaseUrl(DB),
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: any, done: (err: Error | null, conn: any) => void) =>
        conn.query(
          'SET max_parallel_workers_per_gather = 0',
          (err: Error | null) => done(err, conn),
        ),
    },
  });

  // the busiest approver group and a requester with many requests
  const {
    rows: [busy],
  } = await knex.raw(
    `SELECT approver_ref, count(*) n FROM request_approvers a JOIN requests r ON r.id = a.request_id
     WHERE r.status = 'pending' GROUP BY approver_ref ORDER BY n DESC LIMIT 1`,
  );
  const {
    rows: [heavy],
  } = await knex.raw(
    'SELECT requester_ref, count(*) n FROM requests GROUP BY requester_ref ORDER BY n DESC LIMIT 1',
  );
  const approver = 'user:default/approver';
  const ownership = [
    approver,
    busy.approver_ref,
    'group:default/some-other-team',
  ];
  const requester = heavy.requester_ref;
  const readFilter = (
    user: string,
    refs: string[],
  ): PermissionCriteria<ElevatedAccessRequestQuery> => ({
    anyOf: [
      { property: 'requesterRef', values: [user] },
      { property: 'approverRef', values: refs },
    ],
  });
  // a cursor 80% of the way through the auditor's list
  const {
    rows: [deep],
  } = await knex.raw(
    'SELECT created_at, id FROM requests ORDER BY created_at DESC, id DESC OFFSET ? LIMIT 1',
    [Math.floor(TOTAL * 0.8)],
  );
  const deepCursor = encodeCursor([
    new Date(deep.created_at).getTime(),
    deep.id,
  ]);

  const cases: Array<{
    name: string;
    plugin: () => Promise<unknown>;
    hand: () => Promise<unknown>;
  }> = [
    {
      name: 'approver inbox (pending, first page)',
      plugin: () =>
        store.list({
          approverRefs: ownership,
          excludeRequesterRef: approver,
          statuses: ['pending'],
          permission: readFilter(approver, ownership),
          limit: 50,
        }),
      hand: () =>
        handPage(
          handKnex,
          `SELECT * FROM requests r WHERE r.status = 'pending' AND r.requester_ref <> ?
           AND EXISTS (SELECT 1 FROM request_approvers a WHERE a.request_id = r.id AND a.approver_ref = ANY(?))
         ORDER BY r.created_at DESC, r.id DESC LIMIT 51`,
          [approver, ownership],
        ),
    },
    {
      name: 'my requests (first page)',
      plugin: () =>
        store.list({
          requesterRefs: [requester],
          permission: readFilter(requester, [
            requester,
            'group:default/developers',
          ]),
          limit: 50,
        }),
      hand: () =>
        handPage(
          handKnex,
          'SELECT * FROM requests WHERE requester_ref = ? ORDER BY created_at DESC, id DESC LIMIT 51',
          [requester],
        ),
    },
    {
      name: 'auditor list (first page)',
      plugin: () => store.list({ limit: 50 }),
      hand: () =>
        handPage(
          handKnex,
          'SELECT * FROM requests ORDER BY created_at DESC, id DESC LIMIT 51',
          [],
        ),
    },
    {
      name: 'auditor list (deep cursor page, 80%)',
      plugin: () => store.list({ limit: 50, cursor: deepCursor }),
      hand: () =>
        handPage(
          handKnex,
          'SELECT * FROM requests WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT 51',
          [new Date(deep.created_at), deep.id],
        ),
    },
  ];

  const {
    rows: [version],
  } = await knex.raw('SHOW server_version');
  console.log(
    `\nList views on PostgreSQL ${
      version.server_version
    }: ${TOTAL.toLocaleString('en-US')} requests (seeded in ${(
      seedMs / 1000
    ).toFixed(
      1,
    )} s), ${RUNS} runs each (plugin and hand-written alternating), page size 50`,
  );
  console.log(
    `inbox approver holds ${busy.approver_ref} (${busy.n} pending); requester ${requester} has ${heavy.n} requests\n`,
  );
  console.log(
    '| view | plugin p50 | plugin p95 | hand SQL p50 | hand SQL p95 | p95 ratio |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const c of cases) {
    const [plugin, hand] = await timePair(c.plugin, c.hand);
    const ratio = pct(plugin, 95) / pct(hand, 95);
    console.log(
      `| ${c.name} | ${pct(plugin, 50).toFixed(2)} ms | ${pct(
        plugin,
        95,
      ).toFixed(2)} ms | ${pct(hand, 50).toFixed(2)} ms | ${pct(
        hand,
        95,
      ).toFixed(2)} ms | ${ratio.toFixed(2)}x |`,
    );
  }
  console.log(
    '\nGoal: p95 under 50 ms and within 2x of the hand-written query.',
  );
  await handKnex.destroy();
}

runBench(() => withBenchDatabase({ database: DB, poolMax: 4 }, main));
