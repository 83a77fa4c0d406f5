import { mockServices } from '@backstage/backend-test-utils';
import { ActivitySource } from '@elevated-access/backstage-plugin-elevated-access-node';
import { Knex } from 'knex';
import { describeEachDatabase } from '../__testUtils__/databases';
import { requestRow, undoMigration } from '../__testUtils__/migrationTests';
import { ACCOUNT, PS } from '../__testUtils__/fixtures';
import { approvedHour, endedGrant } from '../__testUtils__/storeTests';
import { assembleInsights, resolveRange } from '../domain/insights';
import { ActivityStep } from '../jobs/ActivityStep';
import { ActivityStore } from './ActivityStore';
import { InsightsStore } from './InsightsStore';
import { applyMigrations } from './migrations';
import { DatabaseRequestStore, RequestStore } from './RequestStore';

jest.setTimeout(120_000);

const at = (iso: string) => new Date(iso);

function event(
  id: string,
  eventTime: string,
  eventSource: string,
  eventName: string,
) {
  return {
    eventId: id,
    eventTime,
    eventName,
    eventSource,
    resources: [],
    raw: {},
  };
}

describeEachDatabase('used and unused access', init => {
  let knex: Knex;
  let requests: RequestStore;
  let activity: ActivityStore;

  beforeEach(async () => {
    knex = await init();
    await applyMigrations(knex);
    requests = DatabaseRequestStore.create({ knex });
    activity = new ActivityStore(knex);
  });

  it('marks a grant used or unused when its activity collection is final', async () => {
    const used = await endedGrant(knex, requests, { hours: 1 });
    const unused = await endedGrant(knex, requests, {
      hours: 1,
      permissionSetArn: PS.ReadOnlyAccess,
      permissionSetName: 'ReadOnlyAccess',
    });
    const events: Record<string, ReturnType<typeof event>[]> = {
      [PS.PowerUserAccess]: [
        event(
          'e1',
          '2026-11-23T09:05:00Z',
          'signin.amazonaws.com',
          'ConsoleLogin',
        ),
        event('e2', '2026-11-23T09:06:00Z', 's3.amazonaws.com', 'ListBuckets'),
      ],
      [PS.ReadOnlyAccess]: [
        event(
          'e3',
          '2026-11-23T09:05:00Z',
          'signin.amazonaws.com',
          'ConsoleLogin',
        ),
        event(
          'e4',
          '2026-11-23T09:06:00Z',
          'sts.amazonaws.com',
          'GetCallerIdentity',
        ),
      ],
    };
    const source: ActivitySource = {
      id: 'fake',
      async *collect(query) {
        yield events[query.permissionSetArn] ?? [];
      },
    };
    let now = at('2026-11-23T10:30:00Z');
    const step = new ActivityStep({
      requests,
      activity,
      source,
      clock: { now: () => now },
      logger: mockServices.logger.mock(),
      owner: 'test',
      paddingMinutes: 60,
      settleMinutes: 60,
    });
    const collect = async (id: string) => {
      expect(
        await requests.claimActivity(
          id,
          'test',
          now,
          new Date(now.getTime() + 60_000),
        ),
      ).toBe(true);
      await step.collect((await requests.get(id))!);
      return requests.get(id);
    };
    // still settling: not known yet
    expect(await collect(used)).toMatchObject({ activityComplete: false });
    expect((await requests.get(used))!.used).toBeUndefined();

    now = at('2026-11-23T13:00:00Z');
    expect(await collect(used)).toMatchObject({
      activityComplete: true,
      used: true,
    });
    // sign-in and GetCallerIdentity alone are no use
    expect(await collect(unused)).toMatchObject({
      activityComplete: true,
      used: false,
    });

    const list = async (filter: boolean) =>
      (await requests.list({ used: filter, limit: 50 })).items.map(r => r.id);
    expect(await list(true)).toEqual([used]);
    expect(await list(false)).toEqual([unused]);
  });

  it('groups grants by account, permission set and week, with the share unused and the event sources used', async () => {
    // week of 2026-11-23 (a Monday)
    const a = await endedGrant(knex, requests, { hours: 1, used: true });
    const b = await endedGrant(knex, requests, {
      hours: 0.5,
      used: false,
      startTime: at('2026-11-25T12:00:00Z'),
    });
    const c = await endedGrant(knex, requests, {
      hours: 2,
      accountId: ACCOUNT['data-prod'],
      accountName: 'data-prod',
      permissionSetArn: PS.ReadOnlyAccess,
      permissionSetName: 'ReadOnlyAccess',
      used: true,
      startTime: at('2026-11-24T08:00:00Z'),
    });
    // next week; still collecting
    await endedGrant(knex, requests, {
      hours: 1,
      startTime: at('2026-12-01T09:00:00Z'),
    });
    // outside the period
    await endedGrant(knex, requests, {
      hours: 1,
      used: false,
      startTime: at('2026-11-20T09:00:00Z'),
    });
    // never granted
    await requests.create(
      approvedHour({
        status: 'pending',
        approvalRequired: true,
        minApprovals: 1,
      }),
    );
    await activity.insert(a, [
      event(
        'a1',
        '2026-11-23T09:01:00Z',
        'signin.amazonaws.com',
        'ConsoleLogin',
      ),
      event('a2', '2026-11-23T09:02:00Z', 's3.amazonaws.com', 'ListBuckets'),
      event('a3', '2026-11-23T09:03:00Z', 's3.amazonaws.com', 'GetObject'),
      event(
        'a4',
        '2026-11-23T09:04:00Z',
        'ec2.amazonaws.com',
        'DescribeInstances',
      ),
    ]);
    await activity.insert(b, [
      event(
        'b1',
        '2026-11-25T12:01:00Z',
        'sts.amazonaws.com',
        'GetCallerIdentity',
      ),
    ]);
    await activity.insert(c, [
      event(
        'c1',
        '2026-11-24T08:01:00Z',
        'athena.amazonaws.com',
        'StartQueryExecution',
      ),
    ]);

    const range = resolveRange(
      {
        from: '2026-11-23T00:00:00Z',
        to: '2026-12-07T00:00:00Z',
        bucket: 'week',
      },
      new Date(),
    );
    const store = new InsightsStore(knex);
    const insights = assembleInsights({
      range,
      byAccount: await store.grants(range, 'account'),
      byPermissionSet: await store.grants(range, 'permissionSet'),
      sources: await store.eventSources(range),
    });
    expect(insights.buckets).toEqual([
      '2026-11-23T00:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
    ]);
    expect(insights.byAccount).toEqual([
      {
        bucketStart: '2026-11-23T00:00:00.000Z',
        key: ACCOUNT['data-prod'],
        label: 'data-prod',
        grants: 1,
        grantedHours: 2,
        assessed: 1,
        unused: 0,
      },
      {
        bucketStart: '2026-11-23T00:00:00.000Z',
        key: ACCOUNT['payments-prod'],
        label: 'payments-prod',
        grants: 2,
        grantedHours: 1.5,
        assessed: 2,
        unused: 1,
      },
      {
        bucketStart: '2026-11-30T00:00:00.000Z',
        key: ACCOUNT['payments-prod'],
        label: 'payments-prod',
        grants: 1,
        grantedHours: 1,
        assessed: 0,
        unused: 0,
      },
    ]);
    expect(insights.byPermissionSet.map(p => [p.label, p.grants])).toEqual([
      ['PowerUserAccess', 2],
      ['ReadOnlyAccess', 1],
      ['PowerUserAccess', 1],
    ]);
    expect(insights.totals).toEqual({
      grants: 4,
      grantedHours: 4.5,
      assessed: 3,
      unused: 1,
      shareUnused: 1 / 3,
    });
    expect(insights.permissionSets).toEqual([
      {
        permissionSetArn: PS.PowerUserAccess,
        permissionSetName: 'PowerUserAccess',
        grants: 3,
        grantedHours: 2.5,
        assessed: 2,
        unused: 1,
        shareUnused: 0.5,
        topEventSources: [
          { eventSource: 's3.amazonaws.com', events: 2, grants: 1 },
          { eventSource: 'ec2.amazonaws.com', events: 1, grants: 1 },
        ],
      },
      {
        permissionSetArn: PS.ReadOnlyAccess,
        permissionSetName: 'ReadOnlyAccess',
        grants: 1,
        grantedHours: 2,
        assessed: 1,
        unused: 0,
        shareUnused: 0,
        topEventSources: [
          { eventSource: 'athena.amazonaws.com', events: 1, grants: 1 },
        ],
      },
    ]);

    const days = resolveRange(
      {
        from: '2026-11-23T00:00:00Z',
        to: '2026-11-26T00:00:00Z',
        bucket: 'day',
      },
      new Date(),
    );
    expect(
      (await store.grants(days, 'account'))
        .map(r => [r.label, r.bucketIndex])
        .sort(),
    ).toEqual([
      ['data-prod', 1],
      ['payments-prod', 0],
      ['payments-prod', 2],
    ]);
  });

  it('backfills requests whose activity was complete before the column', async () => {
    await undoMigration(knex, '20261208000000_activity_used.js');
    expect(await knex.schema.hasColumn('requests', 'used')).toBe(false);
    const granted = at('2026-11-23T09:00:00Z');
    const row = (id: string, complete: boolean) =>
      requestRow(id, 'ended', granted, {
        account_id: ACCOUNT['payments-prod'],
        account_name: 'payments-prod',
        permission_set_arn: PS.PowerUserAccess,
        permission_set_name: 'PowerUserAccess',
        granted_at: granted,
        principal_name: 'alice',
        activity_complete: complete,
      });
    await knex('requests').insert([
      row('used', true),
      row('noise-only', true),
      row('silent', true),
      row('collecting', false),
    ]);
    const stored = (
      requestId: string,
      id: string,
      source: string,
      name: string,
    ) => ({
      request_id: requestId,
      event_id: id,
      event_time: granted,
      event_name: name,
      event_source: source,
      resources: '[]',
      raw: '{}',
    });
    await knex('activity_events').insert([
      stored('used', 'u1', 'signin.amazonaws.com', 'ConsoleLogin'),
      stored('used', 'u2', 'sts.amazonaws.com', 'AssumeRole'),
      stored('noise-only', 'n1', 'signin.amazonaws.com', 'ConsoleLogin'),
      stored('noise-only', 'n2', 'sts.amazonaws.com', 'GetCallerIdentity'),
      stored('collecting', 'c1', 's3.amazonaws.com', 'ListBuckets'),
    ]);
    await applyMigrations(knex);
    const used = Object.fromEntries(
      (await knex('requests').select('id', 'used')).map(r => [
        r.id,
        r.used === null ? null : Boolean(r.used),
      ]),
    );
    expect(used).toEqual({
      used: true,
      'noise-only': false,
      silent: false,
      collecting: null,
    });
  });
});
