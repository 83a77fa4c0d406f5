import { applyMigrations, rollbackMigrations } from './migrations';
import { describeEachDatabase } from '../__testUtils__/databases';
import { requestRow, undoMigration } from '../__testUtils__/migrationTests';
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
    // the schema as it was before failed removals were retried
    await undoMigration(knex, '20261128000000_reliable_provisioning.js');
    const at = new Date('2026-11-20T10:00:00Z');
    const row = (id: string) => requestRow(id, 'error', at);
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

    await applyMigrations(knex);
    const statuses = await knex('requests')
      .orderBy('id')
      .select('id', 'status');
    expect(statuses).toEqual([
      { id: 'failed-grant', status: 'error' },
      { id: 'failed-removal', status: 'revoking' },
    ]);
  });

  it('re-attributes activity stored before events were tied to their session', async () => {
    const knex = await init();
    await undoMigration(knex, '20261207000000_activity_attribution.js');
    const t = (hhmm: string) => new Date(`2026-11-20T${hhmm}:00Z`);
    const request = (id: string, granted: string, ended: string) =>
      requestRow(id, 'ended', t(granted), {
        principal_name: 'alice',
        end_time: t(ended),
        granted_at: t(granted),
        ended_at: t(ended),
        updated_at: t(ended),
      });
    // back to back: the old collector read [grant, end + 60 min] for each
    await knex('requests').insert([
      request('first', '09:00', '10:00'),
      request('second', '10:00', '11:00'),
    ]);
    const raw = (options: { role?: string; issued?: string }) =>
      JSON.stringify({
        awsRegion: 'eu-west-1',
        userIdentity: options.role
          ? {
              type: 'AssumedRole',
              arn: `arn:aws:sts::333333333333:assumed-role/AWSReservedSSO_${options.role}_0123456789abcdef/alice`,
              sessionContext: {
                sessionIssuer: {
                  arn: `arn:aws:iam::333333333333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${options.role}_0123456789abcdef`,
                },
                attributes: { creationDate: t(options.issued!).toISOString() },
              },
            }
          : { type: 'IAMUser', arn: 'arn:aws:iam::333333333333:user/alice' },
      });
    const event = (
      requestId: string,
      eventId: string,
      time: string,
      rawJson: string,
    ) => ({
      request_id: requestId,
      event_id: eventId,
      event_time: t(time),
      event_name: 'GetObject',
      event_source: 's3.amazonaws.com',
      resources: '[]',
      raw: rawJson,
    });
    const late = raw({ role: 'ReadOnlyAccess', issued: '09:50' });
    await knex('activity_events').insert([
      event(
        'first',
        'e-first',
        '09:30',
        raw({ role: 'ReadOnlyAccess', issued: '09:10' }),
      ),
      // made at 10:20 with first-session credentials: stored under both
      event('first', 'e-late', '10:20', late),
      event('second', 'e-late', '10:20', late),
      event(
        'second',
        'e-second',
        '10:30',
        raw({ role: 'ReadOnlyAccess', issued: '10:05' }),
      ),
      // another permission set whose name starts with this one's
      event(
        'first',
        'e-prefix',
        '09:40',
        raw({ role: 'ReadOnlyAccess_Billing', issued: '09:05' }),
      ),
      // an IAM user of the same name
      event('second', 'e-iam-user', '10:40', raw({})),
    ]);

    await applyMigrations(knex);
    const rows = await knex('activity_events')
      .orderBy(['event_id', 'request_id'])
      .select('request_id', 'event_id', 'region', 'after_end');
    expect(
      rows.map(r => [r.request_id, r.event_id, r.region, Boolean(r.after_end)]),
    ).toEqual([
      ['first', 'e-first', 'eu-west-1', false],
      ['first', 'e-late', 'eu-west-1', true],
      ['second', 'e-second', 'eu-west-1', false],
    ]);
  });
});
