import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { applyMigrations, rollbackMigrations } from './migrations';
import { describeEachDatabase } from '../__testUtils__/databases';
import { PLUGIN_TABLES } from '../__testUtils__/snapshot';

jest.setTimeout(60_000);

describeEachDatabase('migrations', init => {
  it('create every table and roll back cleanly', async () => {
    const knex = await init();
    await applyMigrations(knex);
    for (const table of PLUGIN_TABLES) {
      expect(await knex.schema.hasTable(table)).toBe(true);
    }
    await rollbackMigrations(knex);
    expect(await knex.schema.hasTable('requests')).toBe(false);
    expect(await knex.schema.hasTable('events')).toBe(false);
    // and up again, as an upgrade after a rollback would
    await applyMigrations(knex);
    expect(await knex.schema.hasTable('requests')).toBe(true);
  });

  it('gives revocations that failed before back to the retries', async () => {
    const knex = await init();
    const directory = resolvePackagePath(
      '@elevated-access/backstage-plugin-elevated-access-backend',
      'migrations',
    );
    // the schema as it was before failed removals were retried
    await knex.migrate.latest({ directory });
    await knex.migrate.down({
      directory,
      name: '20261128000000_reliable_provisioning.js',
    });
    const at = new Date('2026-11-20T10:00:00Z');
    const row = (id: string) => ({
      id,
      requester_ref: 'user:default/alice',
      account_id: '333333333333',
      account_name: 'payments-dev',
      permission_set_arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
      permission_set_name: 'ReadOnlyAccess',
      status: 'error',
      start_time: at,
      end_time: at,
      duration_minutes: 60,
      justification: 'Migration test',
      approval_required: false,
      min_approvals: 0,
      approvals: 0,
      policy_ids: '[]',
      version: 1,
      created_at: at,
      updated_at: at,
    });
    await knex('requests').insert([row('failed-removal'), row('failed-grant')]);
    const event = (id: string, action: string) => ({
      entity_type: 'request',
      entity_id: id,
      action,
      actor_ref: 'system:elevated-access',
      from_status: action === 'revoke-failed' ? 'revoking' : 'granting',
      to_status: 'error',
      message: 'FAILED',
      created_at: at,
    });
    await knex('events').insert([
      event('failed-removal', 'revoke-failed'),
      event('failed-grant', 'grant-failed'),
    ]);

    await knex.migrate.latest({ directory });
    const statuses = await knex('requests')
      .orderBy('id')
      .select('id', 'status');
    expect(statuses).toEqual([
      { id: 'failed-grant', status: 'error' },
      { id: 'failed-removal', status: 'revoking' },
    ]);
  });
});
