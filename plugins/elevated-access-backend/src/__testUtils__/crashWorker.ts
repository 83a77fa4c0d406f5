/*
 * A plugin process that dies at the worst moment: it runs one lifecycle pass
 * and kills itself (SIGKILL, no cleanup) right after the AWS call of its first
 * grant or revocation returns, before the database write that records it.
 * Started by replicas.sandbox.test.ts; never part of the plugin.
 */
import knexFactory from 'knex';
import { catalogUser, createTestInstance } from './instance';

async function main() {
  const phase = process.env.CRASH_AFTER as 'grant' | 'revoke';
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: process.env.CRASH_DB! },
    useNullAsDefault: true,
  });
  const app = await createTestInstance({
    knex,
    sandboxUrl: process.env.CRASH_SANDBOX!,
    instanceId: 'doomed-replica',
    entities: [catalogUser('alice')],
    leaseMs: Number(process.env.CRASH_LEASE_MS),
    skipMigrations: true,
    wrapProvider: provider => ({
      id: provider.id,
      getTargets: o => provider.getTargets(o),
      resolvePrincipal: u => provider.resolvePrincipal(u),
      hasAssignment: a => provider.hasAssignment(a),
      grant: async (a, o) => {
        const result = await provider.grant(a, o);
        if (phase === 'grant') process.kill(process.pid, 'SIGKILL');
        return result;
      },
      revoke: async (a, o) => {
        const result = await provider.revoke(a, o);
        if (phase === 'revoke') process.kill(process.pid, 'SIGKILL');
        return result;
      },
    }),
  });
  await app.lifecycle.run();
  // reaching this line means the crash point was never hit
  process.exit(3);
}

main().catch(error => {
  console.error(error);
  process.exit(2);
});
