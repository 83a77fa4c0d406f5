import { AwsClients } from './clients';
import { CloudTrailLookupEventsSource } from './CloudTrailLookupEventsSource';
import {
  MINUTE,
  setUpProvisioningSandbox,
} from '../__testUtils__/provisioningSandbox';

/*
 * The lifecycle against the AWS sandbox over the wire. This file: activity
 * collected from CloudTrail in every region, and each event given to the
 * session that made it.
 */

describe('provisioning on the AWS sandbox', () => {
  const env = setUpProvisioningSandbox();

  it('collects every region and gives each event to exactly the session that made it', async () => {
    const { sandbox, seed, request, status, setNow } = env;
    const account = seed.accounts['payments-prod'];
    const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
    const api = await env.restart({
      // us-east-1 (global-service events) is read without being listed
      regions: ['eu-west-1', 'ap-southeast-2'],
    });
    const grantedAt = env.now;
    const at = (minutes: number) => new Date(grantedAt + minutes * MINUTE);
    const reserved = (ps: string) =>
      `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${ps}_0123456789abcdef`;
    const bySession = (
      id: string,
      minute: number,
      issuedMinute: number,
      options: { ps?: string; user?: string; name?: string } = {},
    ) => ({
      EventId: id,
      EventName: options.name ?? 'GetObject',
      EventSource: 's3.amazonaws.com',
      EventTime: at(minute).getTime() / 1000,
      Username: options.user ?? 'alice',
      Detail: {
        userIdentity: {
          type: 'AssumedRole',
          principalId: `AROAEXAMPLE:${options.user ?? 'alice'}`,
          arn: `arn:aws:sts::${account}:assumed-role/AWSReservedSSO_${
            options.ps ?? 'ReadOnlyAccess'
          }_0123456789abcdef/${options.user ?? 'alice'}`,
          sessionContext: {
            sessionIssuer: {
              type: 'Role',
              arn: reserved(options.ps ?? 'ReadOnlyAccess'),
            },
            attributes: { creationDate: at(issuedMinute).toISOString() },
          },
        },
      },
    });

    // first session: read-only access, no approval needed
    const first = await request('alice', {
      account: 'payments-prod',
      ps: 'ReadOnlyAccess',
    });
    await api.runTask('lifecycle');
    expect((await status(first.id)).status).toBe('active');
    await sandbox.putCloudTrailEvents(
      account,
      [bySession('e-global', 1, 0, { name: 'ListRoles' })],
      'us-east-1',
    );
    await sandbox.putCloudTrailEvents(
      account,
      [
        bySession('e-eu', 2, 0),
        // a permission set whose name starts with this one's is another role
        bySession('e-prefix', 3, 0, { ps: 'ReadOnlyAccess_Billing' }),
        // an IAM user called alice is not her Identity Center session
        {
          EventId: 'e-iam-user',
          EventName: 'DeleteBucket',
          EventSource: 's3.amazonaws.com',
          EventTime: at(3).getTime() / 1000,
          Username: 'alice',
          Detail: {
            userIdentity: {
              type: 'IAMUser',
              arn: `arn:aws:iam::${account}:user/alice`,
            },
          },
        },
      ],
      'eu-west-1',
    );
    await sandbox.putCloudTrailEvents(
      account,
      [bySession('e-ap', 4, 0)],
      'ap-southeast-2',
    );

    // she ends it after 10 minutes and asks again for the same pair
    setNow(at(10).getTime());
    expect(
      (
        await api.post('alice', `/requests/${first.id}/revoke`, {
          comment: 'done',
        })
      ).status,
    ).toBe(200);
    await api.runTask('lifecycle');
    expect((await status(first.id)).status).toBe('revoked');
    const second = await request('alice', {
      account: 'payments-prod',
      ps: 'ReadOnlyAccess',
    });
    setNow(at(11).getTime());
    await api.runTask('lifecycle');
    expect((await status(second.id)).status).toBe('active');
    const secondGrant = Date.parse((await status(second.id)).grantedAt);
    const sinceSecond = (secondGrant - grantedAt) / MINUTE;
    await sandbox.putCloudTrailEvents(
      account,
      [
        // credentials from the first session, used after it ended
        bySession('e-late', 12, 5),
        // the second session
        bySession('e-second', 13, sinceSecond + 0.5),
        // credentials issued before either grant
        bySession('e-stale', 14, -30),
      ],
      'eu-west-1',
    );

    setNow(at(16).getTime());
    await api.runTask('activity');
    const events = async (id: string) =>
      (await api.get('carol', `/requests/${id}/activity`)).body;
    const firstLog = await events(first.id);
    expect(
      firstLog.items
        .map((e: any) => [e.eventId, e.region, !!e.afterEnd])
        .sort(),
    ).toEqual([
      ['e-ap', 'ap-southeast-2', false],
      ['e-eu', 'eu-west-1', false],
      ['e-global', 'us-east-1', false],
      ['e-late', 'eu-west-1', true],
    ]);
    expect((await events(second.id)).items.map((e: any) => e.eventId)).toEqual([
      'e-second',
    ]);

    // every region was read, each at most at 2 calls per second
    const lookups = await sandbox.calls({ operations: ['LookupEvents'] });
    expect([...new Set(lookups.map(c => c.region))].sort()).toEqual(
      [...regions].sort(),
    );

    // complete only once every region has read past the settle window:
    // ap-southeast-2 is denied for a while, so the first session stays
    // incomplete although the other regions are done
    await sandbox.setFaults({ denyRegions: ['ap-southeast-2'] });
    setNow(at(21).getTime());
    await api.runTask('activity');
    expect(firstLog.complete).toBe(false);
    expect((await events(first.id)).complete).toBe(false);
    await sandbox.clearFaults();
    await api.runTask('activity');
    expect((await events(first.id)).complete).toBe(true);

    // the auditors' CSV has every event once
    const csv = (await api.get('carol', '/audit/activity.csv')).text;
    const ids = csv
      .trim()
      .split('\n')
      .slice(1)
      .map(line => line.split(',').at(-1));
    expect(ids.sort()).toEqual([
      'e-ap',
      'e-eu',
      'e-global',
      'e-late',
      'e-second',
    ]);
    expect(csv.split('\n')[0]).toContain('region');
  });

  it('reads every region the account has enabled, within its partition, when regions is all', async () => {
    const { sandbox, seed } = env;
    const source = new CloudTrailLookupEventsSource({
      clients: new AwsClients({ region: 'us-east-1', endpoint: sandbox.url }),
      roleName: 'ElevatedAccessActivityReader',
      callsPerSecond: 2,
      region: 'us-east-1',
    });
    const regions = await source.regionsOf(seed.accounts['payments-prod']);
    expect(regions).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1']));
    expect(
      regions.filter(r => r.startsWith('cn-') || r.startsWith('us-gov-')),
    ).toEqual([]);
    // a configured list is read as given, plus the global-events region
    const listed = new CloudTrailLookupEventsSource({
      clients: new AwsClients({ region: 'us-east-1', endpoint: sandbox.url }),
      roleName: 'ElevatedAccessActivityReader',
      callsPerSecond: 2,
      region: 'us-east-1',
      regions: ['eu-west-1'],
    });
    expect(await listed.regionsOf(seed.accounts['payments-prod'])).toEqual([
      'eu-west-1',
      'us-east-1',
    ]);
  });
});
