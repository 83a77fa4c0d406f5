/*
 * One plugin replica as a process of its own, run the way a backend's local
 * scheduler runs it: the lifecycle every REPLICA_LIFECYCLE_MS (default 1 s)
 * and the reconciler every REPLICA_RECONCILE_MS (default 5 s), each pass
 * starting once the previous one has finished, on the real clock. SIGTERM is
 * a graceful stop (what a backend's shutdown hook does): stop taking work,
 * `app.shutdown()`, exit 0. SIGKILL is a crash.
 *
 * Environment:
 * - REPLICA_DB: the knex config, JSON (`{ client, connection }`);
 * - REPLICA_SANDBOX: the AWS sandbox URL;
 * - REPLICA_ID: this replica's instance id (its name in leases);
 * - REPLICA_USERS: catalog user names, JSON array (see `catalogUser`);
 * - REPLICA_LEASE_MS: the claim lease (default: the plugin's).
 *
 * Stdout carries JSON lines only (`{"event":"ready"}`, `{"event":"stopped"}`);
 * the plugin's warnings go to stderr. Started by chaos.ts; never part of the
 * plugin.
 */
import knexFactory from 'knex';
import { catalogUser, createTestInstance } from './instance';

function emit(event: string, extra: Record<string, unknown> = {}) {
  process.stdout.write(
    `${JSON.stringify({
      event,
      instanceId: process.env.REPLICA_ID,
      at: Date.now(),
      ...extra,
    })}\n`,
  );
}

function sleep(ms: number, signal: AbortSignal) {
  return new Promise<void>(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

async function main() {
  const env = process.env;
  const instanceId = env.REPLICA_ID!;
  const knex = knexFactory({
    ...JSON.parse(env.REPLICA_DB!),
    pool: { min: 1, max: 15 },
  });
  const users: string[] = JSON.parse(env.REPLICA_USERS ?? '[]');
  const app = await createTestInstance({
    knex,
    sandboxUrl: env.REPLICA_SANDBOX!,
    instanceId,
    entities: users.map(u => catalogUser(u)),
    leaseMs: env.REPLICA_LEASE_MS ? Number(env.REPLICA_LEASE_MS) : undefined,
    skipMigrations: true,
  });

  const stop = new AbortController();
  // one task: passes never overlap; the next starts `everyMs` after the
  // previous one started, or at once when it took longer
  const task = async (
    name: string,
    everyMs: number,
    run: (signal: AbortSignal) => Promise<void>,
  ) => {
    while (!stop.signal.aborted) {
      const started = Date.now();
      try {
        await run(stop.signal);
      } catch (error) {
        console.error(`${instanceId}: ${name} pass failed: ${error}`);
      }
      await sleep(Math.max(0, everyMs - (Date.now() - started)), stop.signal);
    }
  };
  const tasks = Promise.all([
    task('lifecycle', Number(env.REPLICA_LIFECYCLE_MS ?? 1_000), s =>
      app.lifecycle.run(s),
    ),
    task('reconcile', Number(env.REPLICA_RECONCILE_MS ?? 5_000), s =>
      app.reconcile.run(s),
    ),
  ]);

  process.once('SIGTERM', () => {
    (async () => {
      const t = Date.now();
      stop.abort();
      await app.shutdown();
      // passes end once their work has given its claims back; what ignores
      // the abort keeps its claim until the lease runs out, as in a crash
      await Promise.race([tasks, sleep(5_000, new AbortController().signal)]);
      await knex.destroy();
      emit('stopped', { shutdownMs: Date.now() - t });
      process.exit(0);
    })().catch(error => {
      console.error(`${instanceId}: shutdown failed: ${error}`);
      process.exit(1);
    });
  });
  emit('ready');
}

main().catch(error => {
  console.error(error);
  process.exit(2);
});
