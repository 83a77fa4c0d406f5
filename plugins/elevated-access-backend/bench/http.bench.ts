/*
 * The HTTP stack under load (issue 15 §2): `yarn bench http`.
 *
 * Database: a fresh PostgreSQL database (BENCH_PG, see benchDatabase.ts)
 * seeded by bulkSeed.ts with BENCH_HTTP_REQUESTS requests (default
 * 1,000,000) plus their approver snapshots, decisions and events; the seed
 * time and pg_database_size are printed.
 *
 * Backend: benchBackend.ts (the real plugin, HTTP stack, auth and
 * permission framework; what is not production is listed there), with the
 * demo organisation and catalog, and the plugin's pool of 10 connections
 * (knex's default).
 *
 * Load: a separate Node process (httpLoad.ts, so the clients do not share the
 * server's event loop) runs autocannon over loopback with 50 keep-alive
 * connections for BENCH_HTTP_SECONDS (default 20) per scenario, as the
 * persona each view is for: bob's approvals inbox, alice's requests, carol's
 * audit list (first page, a filtered page, a page 80% deep by cursor) and
 * request details (alice's own, and carol's over ids spread through the
 * table). Each scenario is also run with one client for a quarter of the time
 * (what one request costs without queueing), and its store calls alone: the
 * RequestStore calls one HTTP request of the view made (recorded in-process)
 * replayed one after another BENCH_HTTP_STORE_RUNS times (default 200) with
 * nothing else running, as listQueries.bench.ts measures them. The ratio of
 * the 50-client p95 to the store p95 is what HTTP, auth, permissions, the
 * service's own work and queueing on this machine's cores add. With 50
 * clients each sending its next request as soon as the last is answered, the
 * p50 is about 50 / throughput: a p95 under 50 ms needs over 1,000 views/s.
 *
 * Printed per scenario before the table: the store calls and the internal
 * HTTP calls (permission, auth) one request makes, and under the 50 clients
 * the server-side time of each kind of call, the event-loop delay and how
 * many queries waited for a pooled connection (sampled every 50 ms).
 *
 * BENCH_HTTP_EXPLAIN=1 prints the plan (EXPLAIN ANALYZE) of each query one
 * request of a view makes; BENCH_HTTP_ONLY=<text> runs only the scenarios
 * whose name contains it. Exits non-zero when any response was not 2xx or
 * failed; the latency goal (p95 < 50 ms) is reported, never enforced.
 * BENCH_KEEP_DB=1 keeps the database afterwards.
 */
import { Knex } from 'knex';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  catalogEntities,
  DEMO_APPROVERS,
  DEMO_ELIGIBILITY,
  demoTargets,
  ownershipOf,
  userRef,
} from '../src/__testUtils__/fixtures';
import { DatabaseRequestStore } from '../src/database/RequestStore';
import { encodeCursor } from '../src/database/util';
import { BASE, startBenchBackend } from './benchBackend';
import {
  dropBenchDatabase,
  freshBenchDatabase,
  loadavg,
  machine,
  ms,
  percentile,
  runBench,
} from './benchDatabase';
import { bulkSeedRequests } from './bulkSeed';
import { runLoad } from './loadProcess';
import { lastStoreCallAt, recordStoreCalls } from './storeCallRecorder';

const TOTAL = Number(process.env.BENCH_HTTP_REQUESTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 20);
const STORE_RUNS = Number(process.env.BENCH_HTTP_STORE_RUNS ?? 200);
const CONNECTIONS = 50;
const GOAL_P95_MS = 50;
const DB = 'elevated_access_bench_http';

/** knex's connection pool, for the queries waiting for a connection. */
interface TarnPool {
  numPendingAcquires(): number;
}

/** `a, a, b` as `2 × a, b`. */
function summarize(items: string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([item, n]) => `${n} × ${item}`).join(', ') || 'none';
}

async function main() {
  console.log(
    `\nHTTP bench: ${TOTAL.toLocaleString(
      'en-US',
    )} requests, ${CONNECTIONS} connections, ${SECONDS} s per scenario; ${machine()}, load average at start ${loadavg()}`,
  );

  const knex = await freshBenchDatabase(DB, 10);
  const seedStart = new Date();
  const seeded = await bulkSeedRequests(knex, TOTAL, seedStart);
  const {
    rows: [{ size, version }],
  } = await knex.raw(
    'SELECT pg_size_pretty(pg_database_size(current_database())) AS size, current_setting(?) AS version',
    ['server_version'],
  );
  console.log(
    `Seeded on PostgreSQL ${version} in ${(seeded.ms / 1000).toFixed(
      1,
    )} s (VACUUM ANALYZE included): ${seeded.requests.toLocaleString(
      'en-US',
    )} requests, ${seeded.decisions.toLocaleString(
      'en-US',
    )} decisions, ${seeded.events.toLocaleString(
      'en-US',
    )} events; database size ${size}`,
  );

  // --- the backend ---
  const bench = await startBenchBackend({
    knex,
    database: DB,
    targets: demoTargets(),
    entities: catalogEntities(),
  });
  const { backend } = bench;
  // requests in flight (the view's, and the internal ones it makes), and
  // while recording, which internal calls one request of a view makes
  let inFlight = 0;
  let internalCalls: string[] | undefined;
  // while the 50 clients run: how long the server takes for each kind
  let serverTimes: Map<string, number[]> | undefined;
  backend.server.on('request', (req, res) => {
    inFlight++;
    res.on('close', () => inFlight--);
    // express has rewritten req.url to the mounted router's by now
    const url: string = (req as { originalUrl?: string }).originalUrl ?? '';
    if (serverTimes) {
      const times = serverTimes;
      const kind = url.startsWith(BASE)
        ? 'the view'
        : url.replace(/\?.*/, '').replace(/^\/api\//, '');
      const start = process.hrtime.bigint();
      res.on('finish', () => {
        const list = times.get(kind) ?? [];
        list.push(Number(process.hrtime.bigint() - start) / 1e6);
        times.set(kind, list);
      });
    }
    if (internalCalls && !url.startsWith(BASE)) {
      internalCalls.push(url.replace(/\?.*/, ''));
    }
  });
  // A client that gives up closes its response, but the server goes on
  // with the request: drained means nothing in flight and the store quiet.
  const drained = async () => {
    while (inFlight > 0 || Date.now() - lastStoreCallAt() < 1000) {
      await new Promise(r => setTimeout(r, 100));
    }
  };
  const { origin } = bench;
  const tokenOf = (persona: string) =>
    bench.tokenFor(userRef(persona), ownershipOf(persona));
  const call = (persona: string, method: string, url: string, body?: unknown) =>
    bench.call(tokenOf(persona), method, url, body);

  // the demo policies, through the API as the admin
  for (const policy of DEMO_APPROVERS) {
    await call('dave', 'POST', `${BASE}/policies/approval`, policy);
  }
  for (const policy of DEMO_ELIGIBILITY) {
    await call('dave', 'POST', `${BASE}/policies/eligibility`, policy);
  }

  // --- the scenarios ---
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
  const aliceIds: string[] = (
    await knex('requests')
      .where({ requester_ref: userRef('alice') })
      .orderByRaw('md5(id)')
      .limit(500)
      .pluck('id')
  ).map(String);
  const spreadIds: string[] = (
    await knex('requests').orderByRaw('md5(id)').limit(1000).pluck('id')
  ).map(String);
  const pendingForBob = await knex('requests')
    .where({ status: 'pending' })
    .whereNot({ account_id: '555555555555' })
    .count({ n: '*' });

  const scenarios: Array<{
    name: string;
    persona: string;
    paths: string[];
  }> = [
    {
      name: `approvals inbox (${Number(pendingForBob[0].n).toLocaleString(
        'en-US',
      )} pending in scope)`,
      persona: 'bob',
      paths: [`${BASE}/requests?view=approvals`],
    },
    {
      name: `my requests (${aliceIds.length} of them)`,
      persona: 'alice',
      paths: [`${BASE}/requests?view=mine`],
    },
    {
      name: 'audit list, first page',
      persona: 'carol',
      paths: [`${BASE}/requests?view=all`],
    },
    {
      name: 'audit list, rejected on payments-prod',
      persona: 'carol',
      paths: [
        `${BASE}/requests?view=all&status=rejected&accountId=111111111111`,
      ],
    },
    {
      name: 'audit list, page 80% deep (cursor)',
      persona: 'carol',
      paths: [`${BASE}/requests?view=all&cursor=${deepCursor}`],
    },
    {
      name: `request detail, own (${aliceIds.length} ids)`,
      persona: 'alice',
      paths: aliceIds.map(id => `${BASE}/requests/${id}`),
    },
    {
      name: `request detail, auditor (${spreadIds.length} ids)`,
      persona: 'carol',
      paths: spreadIds.map(id => `${BASE}/requests/${id}`),
    },
  ];

  const only = process.env.BENCH_HTTP_ONLY;
  const chosen = only
    ? scenarios.filter(x => x.name.includes(only))
    : scenarios;
  const replayStore = DatabaseRequestStore.create({ knex });
  const rows: string[] = [];
  let failures = 0;
  let goalMet = true;
  for (const scenario of chosen) {
    const token = tokenOf(scenario.persona);
    // one request of the view alone, its store and internal calls recorded
    await drained();
    const recorder = recordStoreCalls();
    internalCalls = [];
    const queries: Array<{ sql: string; bindings: readonly unknown[] }> = [];
    const onQuery = (q: { sql: string; bindings?: readonly unknown[] }) =>
      queries.push({ sql: q.sql, bindings: q.bindings ?? [] });
    knex.on('query', onQuery);
    const first = await call(scenario.persona, 'GET', scenario.paths[0]);
    knex.off('query', onQuery);
    const calls = recorder.stop();
    const internal = internalCalls;
    internalCalls = undefined;
    console.log(
      `${scenario.name}: store calls ${calls
        .map(c => c.method)
        .join(', ')}; internal HTTP calls ${summarize(internal)}`,
    );
    const shown = Array.isArray(first.items)
      ? `${first.items.length} items`
      : `${first.decisions?.length ?? 0} decisions, ${
          first.events?.length ?? 0
        } events`;

    if (process.env.BENCH_HTTP_EXPLAIN) {
      for (const q of queries) {
        // the driver's $n placeholders as knex's ?s
        const bindings: unknown[] = [];
        const sql = q.sql.replace(/\$(\d+)/g, (_, n) => {
          bindings.push(q.bindings[Number(n) - 1]);
          return '?';
        });
        const { rows: plan } = await knex.raw(
          `EXPLAIN (ANALYZE, BUFFERS) ${sql}`,
          bindings as Knex.RawBinding[],
        );
        console.log(
          `  ${q.sql}\n${plan
            .map((r: Record<string, string>) => `    ${r['QUERY PLAN']}`)
            .join('\n')}`,
        );
      }
    }
    const storeMs: number[] = [];
    for (let i = 0; i < STORE_RUNS + 20; i++) {
      const t = process.hrtime.bigint();
      for (const c of calls) {
        await (replayStore as unknown as Record<string, Function>)[c.method](
          ...c.args,
        );
      }
      if (i >= 20) storeMs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const storeP95 = percentile(storeMs, 95);
    await drained();

    const single = await runLoad({
      origin,
      token,
      paths: scenario.paths,
      connections: 1,
      seconds: Math.max(2, Math.round(SECONDS / 4)),
    });
    await drained();
    serverTimes = new Map();
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const pool = (knex.client as { pool: TarnPool }).pool;
    const waiting: number[] = [];
    const sampler = setInterval(
      () => waiting.push(pool.numPendingAcquires()),
      50,
    );
    const loaded = await runLoad({
      origin,
      token,
      paths: scenario.paths,
      connections: CONNECTIONS,
      seconds: SECONDS,
    });
    clearInterval(sampler);
    loopDelay.disable();
    const times = serverTimes;
    serverTimes = undefined;
    console.log(
      `  under ${CONNECTIONS} clients, server side: ${[...times]
        .map(
          ([kind, list]) =>
            `${kind} ${list.length} × p50 ${ms(percentile(list, 50))} p95 ${ms(
              percentile(list, 95),
            )}`,
        )
        .join('; ')}; event-loop delay p99 ${ms(
        loopDelay.percentile(99) / 1e6,
      )}; queries waiting for one of the pool's 10 connections: mean ${(
        waiting.reduce((a, b) => a + b, 0) / Math.max(1, waiting.length)
      ).toFixed(1)}, max ${Math.max(0, ...waiting)}`,
    );
    const bad =
      single.non2xx +
      single.errors +
      single.timeouts +
      loaded.non2xx +
      loaded.errors +
      loaded.timeouts;
    failures += bad;
    if (loaded.p95 >= GOAL_P95_MS) goalMet = false;
    rows.push(
      `| ${scenario.name} | ${scenario.persona} | ${shown} | ${Math.round(
        loaded.rps,
      )} | ${ms(loaded.p50)} | ${ms(loaded.p95)} | ${ms(loaded.p99)} | ${
        loaded.non2xx
      } | ${loaded.errors + loaded.timeouts} | ${ms(single.p95)} | ${ms(
        storeP95,
      )} | ${(loaded.p95 / storeP95).toFixed(1)}x |`,
    );
    if (bad) {
      console.log(
        `${scenario.name}: status codes ${JSON.stringify(
          loaded.statusCodes,
        )} (50 clients), ${JSON.stringify(single.statusCodes)} (1 client)`,
      );
    }
  }

  console.log(
    `\n| scenario | persona | one response | req/s (50 clients) | p50 | p95 | p99 | non-2xx | errors | p95, 1 client | store-only p95 | p95 / store p95 |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(
    `\ngoal p95 < ${GOAL_P95_MS} ms (50 clients): ${
      goalMet ? 'met' : 'not met'
    }; non-2xx and errors: ${failures}; load average at end ${loadavg()}`,
  );

  await drained();
  await bench.stop();
  await knex.destroy();
  await dropBenchDatabase(DB);
  if (failures) process.exit(1);
}

runBench(main);
