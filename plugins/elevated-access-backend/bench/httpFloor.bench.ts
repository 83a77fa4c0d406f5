/*
 * What the HTTP stack costs before the plugin does anything (issue 15 §2):
 * `yarn bench httpFloor` (also run by `yarn bench http`).
 *
 * The same backend as http.bench.ts (benchBackend.ts: real ES256 user
 * tokens, the permission backend with the bundled policy, default auth,
 * httpAuth and user-info services) with one more plugin, `floor`, whose
 * routes do a growing part of what every view of ours does, and nothing
 * else:
 *
 *   open           answers {} (no auth policy: Express, Backstage's router
 *                  and the loopback connection)
 *   authenticated  + checks the caller's user token (httpAuth.credentials)
 *   authorized     + one authorizeConditional of the request read permission,
 *                  as our views ask it (one call to the permission backend:
 *                  a plugin-to-plugin token signed and checked, the user's
 *                  info read, the policy run)
 *   one query      + one indexed query on the seeded requests table (by id)
 *
 * Each route is driven like the views in http.bench.ts: autocannon in a
 * process of its own, 50 keep-alive clients for BENCH_HTTP_SECONDS (default
 * 20), then one client. With 50 clients each sending its next request when
 * the last is answered, p50 ≈ 50 / throughput: the table shows the
 * throughput this machine gets from the stack alone, and so the best p95 any
 * view could have at 50 clients here. BENCH_HTTP_FLOOR_REQUESTS (default
 * 10,000) requests are seeded for the query route.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { elevatedAccessRequestReadPermission } from '@elevated-access/backstage-plugin-elevated-access-common';
import express from 'express';
import Router from 'express-promise-router';
import { Knex } from 'knex';
import {
  catalogEntities,
  demoTargets,
  ownershipOf,
  userRef,
} from '../src/__testUtils__/fixtures';
import { startBenchBackend } from './benchBackend';
import {
  loadavg,
  machine,
  ms,
  runBench,
  withBenchDatabase,
} from './benchDatabase';
import { bulkSeedRequests } from './bulkSeed';
import { runLoad } from './loadProcess';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 20);
const SEEDED = Number(process.env.BENCH_HTTP_FLOOR_REQUESTS ?? 10_000);
const CONNECTIONS = 50;
const GOAL_P95_MS = 50;
const DB = 'elevated_access_bench_http_floor';

/** The `floor` plugin: each route one step further into a view's work. */
function floorPlugin(knex: Knex, ids: string[]) {
  return createBackendPlugin({
    pluginId: 'floor',
    register(reg) {
      reg.registerInit({
        deps: {
          http: coreServices.httpRouter,
          httpAuth: coreServices.httpAuth,
          permissions: coreServices.permissions,
        },
        async init({ http, httpAuth, permissions }) {
          const router = Router();
          router.use(express.json());
          router.get('/open', (_req, res) => {
            res.json({});
          });
          router.get('/authenticated', async (req, res) => {
            await httpAuth.credentials(req, { allow: ['user'] });
            res.json({});
          });
          const authorize = async (req: express.Request) => {
            const credentials = await httpAuth.credentials(req, {
              allow: ['user'],
            });
            const [decision] = await permissions.authorizeConditional(
              [{ permission: elevatedAccessRequestReadPermission }],
              { credentials },
            );
            return decision;
          };
          router.get('/authorized', async (req, res) => {
            res.json({ result: (await authorize(req)).result });
          });
          let next = 0;
          router.get('/query', async (req, res) => {
            const { result } = await authorize(req);
            const row = await knex('requests')
              .where({ id: ids[next++ % ids.length] })
              .first('id', 'status');
            res.json({ result, status: row?.status });
          });
          http.use(router);
          http.addAuthPolicy({ path: '/open', allow: 'unauthenticated' });
        },
      });
    },
  });
}

async function driveFloor(knex: Knex) {
  await bulkSeedRequests(knex, SEEDED, new Date());
  const ids: string[] = (
    await knex('requests').orderByRaw('md5(id)').limit(1000).pluck('id')
  ).map(String);

  const bench = await startBenchBackend({
    knex,
    database: DB,
    targets: demoTargets(),
    entities: catalogEntities(),
    features: [floorPlugin(knex, ids)],
  });
  const token = bench.tokenFor(userRef('alice'), ownershipOf('alice'));
  const routes: Array<{ name: string; path: string }> = [
    { name: 'open (no auth)', path: '/api/floor/open' },
    { name: 'authenticated', path: '/api/floor/authenticated' },
    { name: 'authorized (one permission call)', path: '/api/floor/authorized' },
    { name: 'authorized + one query', path: '/api/floor/query' },
  ];

  const rows: string[] = [];
  let failures = 0;
  for (const route of routes) {
    // warm-up: JIT, the permission backend's key and user-info caches
    await runLoad({
      origin: bench.origin,
      token,
      paths: [route.path],
      connections: 1,
      seconds: 1,
    });
    const single = await runLoad({
      origin: bench.origin,
      token,
      paths: [route.path],
      connections: 1,
      seconds: Math.max(2, Math.round(SECONDS / 4)),
    });
    const loaded = await runLoad({
      origin: bench.origin,
      token,
      paths: [route.path],
      connections: CONNECTIONS,
      seconds: SECONDS,
    });
    failures +=
      single.non2xx +
      single.errors +
      single.timeouts +
      loaded.non2xx +
      loaded.errors +
      loaded.timeouts;
    rows.push(
      `| ${route.name} | ${Math.round(loaded.rps)} | ${ms(loaded.p50)} | ${ms(
        loaded.p95,
      )} | ${ms(loaded.p99)} | ${loaded.non2xx + loaded.errors} | ${Math.round(
        single.rps,
      )} | ${ms(single.p95)} | ${Math.round(
        CONNECTIONS / (GOAL_P95_MS / 1000),
      )} |`,
    );
  }

  console.log(
    `\n| route | req/s (50 clients) | p50 | p95 | p99 | non-2xx + errors | req/s (1 client) | p95, 1 client | req/s a 50 ms p50 needs |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(
    `\nnon-2xx and errors: ${failures}; load average at end ${loadavg()}`,
  );
  await bench.stop();
  if (failures) throw new Error(`${failures} non-2xx responses or errors`);
}

async function main() {
  console.log(
    `\nHTTP floor bench: ${CONNECTIONS} connections, ${SECONDS} s per route; ${machine()}, load average at start ${loadavg()}`,
  );
  await withBenchDatabase({ database: DB, poolMax: 10 }, knex =>
    driveFloor(knex),
  );
}

runBench(main);
