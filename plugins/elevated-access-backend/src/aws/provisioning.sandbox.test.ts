import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  ListAccountAssignmentsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  RunningSandbox,
  SandboxSeed,
  startSandbox,
} from '@internal/aws-sandbox';
import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Knex } from 'knex';
import { DatabaseRequestStore } from '../database/RequestStore';
import { AwsClients } from './clients';
import { CloudTrailLookupEventsSource } from './CloudTrailLookupEventsSource';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';
import { fakeDateOnly } from '../__testUtils__/fakeDate';
import { demoApprovers, demoEligibility } from '../__testUtils__/fixtures';

jest.setTimeout(180_000);

/*
 * The lifecycle against the AWS sandbox over the wire: the plugin's own AWS
 * provider and CloudTrail source, with the sandbox's fault modes.
 */

process.env.AWS_ACCESS_KEY_ID = 'sandbox';
process.env.AWS_SECRET_ACCESS_KEY = 'sandbox';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const MINUTE = 60_000;

/** The demo's workload policies with the sandbox seed's ids. */
function policiesFor(seed: SandboxSeed) {
  return {
    eligibility: [
      demoEligibility('readOnlyOnWorkloads', seed),
      demoEligibility('powerUserOnWorkloads', seed),
    ],
    approvers: [demoApprovers('platformLeadsApproveWorkloads', seed)],
  };
}

describe('provisioning on the AWS sandbox', () => {
  let sandbox: RunningSandbox;
  let seed: SandboxSeed;
  let sso: SSOAdminClient;
  let api: ElevatedAccessTestBackend;
  let knex: Knex;
  let now: number;

  const setNow = (t: number) => {
    now = t;
    jest.setSystemTime(t);
  };

  beforeAll(async () => {
    sandbox = await startSandbox();
    seed = sandbox.seed!;
    sso = new SSOAdminClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
  });
  afterAll(() => sandbox?.stop());

  beforeEach(async () => {
    fakeDateOnly();
    setNow(Date.UTC(2026, 10, 21, 9, 0, 0));
    await sandbox.reset();
    await sandbox.seedDemo();
    knex = await databases.init('SQLITE_3');
    api = await startElevatedAccess({
      knex,
      provider: 'aws',
      config: {
        aws: {
          region: 'us-east-1',
          endpoint: sandbox.url,
          activity: { paddingMinutes: 5, settleMinutes: 5 },
        },
      },
    });
    const { eligibility, approvers } = policiesFor(seed);
    const created = [
      ...(await Promise.all(
        eligibility.map(p => api.post('dave', '/policies/eligibility', p)),
      )),
      ...(await Promise.all(
        approvers.map(p => api.post('dave', '/policies/approval', p)),
      )),
    ];
    if (created.some(r => r.status !== 201)) {
      throw new Error(
        `Policies were not created: ${JSON.stringify(
          created.map(r => r.body),
        )}`,
      );
    }
  });
  afterEach(async () => {
    await api.stop();
    await sandbox.clearFaults();
    jest.useRealTimers();
  });

  const request = async (
    who: 'alice' | 'erin',
    body: { account: string; ps: string; duration?: number; startIn?: number },
  ): Promise<AccessRequest> => {
    const res = await api.post(who, '/requests', {
      accountId: seed.accounts[body.account],
      permissionSetArn: seed.permissionSets[body.ps],
      durationMinutes: body.duration ?? 60,
      justification: 'Investigate the production incident',
      ticketId: 'OPS-9',
      startTime: body.startIn
        ? new Date(now + body.startIn * MINUTE).toISOString()
        : undefined,
    });
    expect(res.status).toBe(201);
    return res.body;
  };
  const status = async (id: string) =>
    (await api.get('dave', `/requests/${id}`)).body;
  const assigned = async (account: string, ps: string, user: string) => {
    const res = await sso.send(
      new ListAccountAssignmentsCommand({
        InstanceArn: seed.instanceArn,
        AccountId: seed.accounts[account],
        PermissionSetArn: seed.permissionSets[ps],
      }),
    );
    return (res.AccountAssignments ?? []).filter(
      a => a.PrincipalId === seed.users[user],
    ).length;
  };

  it('runs the whole lifecycle: grant at the start, activity, revoke', async () => {
    const created = await request('alice', {
      account: 'payments-prod',
      ps: 'PowerUserAccess',
      startIn: 30,
    });
    expect(created.status).toBe('pending');
    expect(
      (
        await api.post('bob', `/requests/${created.id}/approve`, {
          comment: 'ok',
        })
      ).body.status,
    ).toBe('approved');

    // before the start: nothing happens
    await api.runTask('lifecycle');
    expect((await status(created.id)).status).toBe('approved');
    expect(await assigned('payments-prod', 'PowerUserAccess', 'alice')).toBe(0);

    setNow(now + 31 * MINUTE);
    await api.runTask('lifecycle');
    const active = await status(created.id);
    expect(active).toMatchObject({
      status: 'active',
      grantedAt: new Date(now).toISOString(),
    });
    expect(await assigned('payments-prod', 'PowerUserAccess', 'alice')).toBe(1);

    // alice works in the account; CloudTrail records it
    const role = (ps: string) =>
      `arn:aws:iam::${seed.accounts['payments-prod']}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${ps}_0123456789abcdef`;
    await sandbox.putCloudTrailEvents(seed.accounts['payments-prod'], [
      ...['DescribeInstances', 'GetObject', 'PutBucketPolicy'].map(
        (name, i) => ({
          EventId: `evt-${i}`,
          EventName: name,
          EventSource: i ? 's3.amazonaws.com' : 'ec2.amazonaws.com',
          EventTime: (now + (i + 1) * MINUTE) / 1000,
          Username: 'alice',
          ReadOnly: i === 2 ? ('false' as const) : ('true' as const),
          Resources: [
            {
              ResourceType: 'AWS::S3::Bucket',
              ResourceName: `payments-bucket-${i}`,
            },
          ],
          Detail: {
            sourceIPAddress: '203.0.113.7',
            userAgent: 'aws-cli/2.15',
            userIdentity: {
              type: 'AssumedRole',
              sessionContext: {
                sessionIssuer: { arn: role('PowerUserAccess') },
              },
            },
            ...(i === 2 ? { errorCode: 'AccessDenied' } : {}),
          },
        }),
      ),
      // her standing read-only role in the same account is not this session
      {
        EventId: 'evt-other-role',
        EventName: 'ListBuckets',
        EventSource: 's3.amazonaws.com',
        EventTime: (now + 4 * MINUTE) / 1000,
        Username: 'alice',
        Detail: {
          userIdentity: {
            sessionContext: { sessionIssuer: { arn: role('ReadOnlyAccess') } },
          },
        },
      },
      // nor is bob
      {
        EventId: 'evt-bob',
        EventName: 'GetObject',
        EventSource: 's3.amazonaws.com',
        EventTime: (now + 2 * MINUTE) / 1000,
        Username: 'bob',
      },
    ]);
    setNow(now + 5 * MINUTE);
    await api.runTask('activity');
    const activity = (
      await api.get('alice', `/requests/${created.id}/activity`)
    ).body;
    expect(activity.items.map((e: any) => e.eventId)).toEqual([
      'evt-2',
      'evt-1',
      'evt-0',
    ]);
    expect(activity.items[0]).toMatchObject({
      eventName: 'PutBucketPolicy',
      eventSource: 's3.amazonaws.com',
      resources: ['payments-bucket-2'],
      sourceIpAddress: '203.0.113.7',
      userAgent: 'aws-cli/2.15',
      readOnly: false,
      errorCode: 'AccessDenied',
    });
    expect(activity.complete).toBe(false);
    const search = (
      await api.get('carol', `/requests/${created.id}/activity?q=bucket-1`)
    ).body;
    expect(search.items.map((e: any) => e.eventId)).toEqual(['evt-1']);

    const revoked = await api.post('alice', `/requests/${created.id}/revoke`, {
      comment: 'fixed',
    });
    expect(revoked.body.status).toBe('revoking');
    await api.runTask('lifecycle');
    const ended = await status(created.id);
    expect(ended).toMatchObject({
      status: 'revoked',
      revokedBy: 'user:default/alice',
      revokeComment: 'fixed',
    });
    expect(await assigned('payments-prod', 'PowerUserAccess', 'alice')).toBe(0);
    expect(ended.events.map((e: any) => [e.action, e.toStatus])).toEqual([
      ['create', 'pending'],
      ['approve', 'approved'],
      ['start-grant', 'granting'],
      ['grant-succeeded', 'active'],
      ['revoke', 'revoking'],
      ['revoke-succeeded', 'revoked'],
    ]);

    // collection ends once the padding and settle windows have passed
    setNow(now + 11 * MINUTE);
    await api.runTask('activity');
    expect(
      (await api.get('alice', `/requests/${created.id}/activity`)).body
        .complete,
    ).toBe(true);
  });

  it('waits through IN_PROGRESS polls until Identity Center says SUCCEEDED', async () => {
    await sandbox.setFaults({ inProgressPolls: 3 });
    const r = await request('alice', {
      account: 'data-dev',
      ps: 'ReadOnlyAccess',
    });
    await api.runTask('lifecycle');
    expect((await status(r.id)).status).toBe('active');
    const polls = await sandbox.calls({
      operations: ['DescribeAccountAssignmentCreationStatus'],
    });
    expect(polls.length).toBe(4);
    expect(await assigned('data-dev', 'ReadOnlyAccess', 'alice')).toBe(1);
  });

  it('puts a FAILED grant in error with the AWS reason, and an admin retry grants it', async () => {
    await sandbox.setFaults({
      failCreationReason: 'The account has reached its IAM role quota',
    });
    const r = await request('alice', {
      account: 'data-prod',
      ps: 'ReadOnlyAccess',
    });
    await api.runTask('lifecycle');
    const failed = await status(r.id);
    expect(failed).toMatchObject({
      status: 'error',
      errorReason:
        'aws-identity-center reported: The account has reached its IAM role quota',
    });
    expect(api.notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        payload: expect.objectContaining({
          title: 'Failed: ReadOnlyAccess on data-prod',
          description: expect.stringContaining('IAM role quota'),
        }),
      }),
    );
    expect(await assigned('data-prod', 'ReadOnlyAccess', 'alice')).toBe(0);

    await sandbox.clearFaults();
    expect(
      (await api.post('alice', `/requests/${r.id}/retry`, {})).status,
    ).toBe(403);
    expect(
      (await api.post('dave', `/requests/${r.id}/retry`, {})).body.status,
    ).toBe('granting');
    await api.runTask('lifecycle');
    expect((await status(r.id)).status).toBe('active');
    expect(await assigned('data-prod', 'ReadOnlyAccess', 'alice')).toBe(1);
  });

  it('grants and revokes everything while half of all calls are throttled', async () => {
    const pairs: Array<[string, 'alice' | 'erin']> = [];
    for (const account of [
      'payments-prod',
      'data-prod',
      'payments-dev',
      'data-dev',
    ]) {
      for (const who of ['alice', 'erin'] as const) pairs.push([account, who]);
    }
    const made = [];
    // they start in a minute, so nothing is granted before the faults are on
    for (const [account, who] of pairs)
      made.push(
        await request(who, {
          account,
          ps: 'ReadOnlyAccess',
          duration: 30,
          startIn: 1,
        }),
      );
    await sandbox.clearCalls();
    await sandbox.setFaults({ throttleRate: 0.5 });
    // the task runs every few seconds; a row given back for a retry is due
    // again a little later
    for (let minute = 1; minute <= 5; minute++) {
      setNow(now + minute * MINUTE);
      await api.runTask('lifecycle');
    }
    await sandbox.clearFaults(); // check with calls of our own that nobody throttles
    for (const r of made) expect((await status(r.id)).status).toBe('active');
    for (const [account, who] of pairs)
      expect(await assigned(account, 'ReadOnlyAccess', who)).toBe(1);
    const creations = await sandbox.calls({
      operations: ['CreateAccountAssignment'],
    });

    await sandbox.setFaults({ throttleRate: 0.5 });
    // every grant's 30 minutes are over by minute 36
    for (let minute = 36; minute <= 40; minute++) {
      setNow(now + minute * MINUTE);
      await api.runTask('lifecycle');
    }
    await sandbox.clearFaults();
    for (const r of made) expect((await status(r.id)).status).toBe('ended');
    for (const [account, who] of pairs)
      expect(await assigned(account, 'ReadOnlyAccess', who)).toBe(0);
    const deletions = await sandbox.calls({
      operations: ['DeleteAccountAssignment'],
    });
    // the faults were really in force: 16 calls at a 50% throttle rate, none
    // refused, is a one-in-65,536 draw
    const refused = [...creations, ...deletions].filter(
      c => c.error === 'ThrottlingException',
    );
    expect(refused.length).toBeGreaterThan(0);
    expect(creations.filter(c => !c.error)).toHaveLength(8);
    expect(deletions.filter(c => !c.error)).toHaveLength(8);
  });

  it('never deletes an assignment that existed before the grant', async () => {
    await sso.send(
      new CreateAccountAssignmentCommand({
        InstanceArn: seed.instanceArn,
        TargetId: seed.accounts['payments-dev'],
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: seed.permissionSets.ReadOnlyAccess,
        PrincipalType: 'USER',
        PrincipalId: seed.users.erin,
      }),
    );
    const r = await request('erin', {
      account: 'payments-dev',
      ps: 'ReadOnlyAccess',
      duration: 30,
    });
    await api.runTask('lifecycle');
    expect((await status(r.id)).status).toBe('active');
    setNow(now + 31 * MINUTE);
    await api.runTask('lifecycle');
    const ended = await status(r.id);
    expect(ended.status).toBe('ended');
    expect(ended.events.at(-1).message).toMatch(
      /existed before Elevated Access/,
    );
    expect(await assigned('payments-dev', 'ReadOnlyAccess', 'erin')).toBe(1);
    expect(
      await sandbox.calls({ operations: ['DeleteAccountAssignment'] }),
    ).toEqual([]);
  });

  it('keeps access while an overlapping request still holds it', async () => {
    const first = await request('alice', {
      account: 'payments-dev',
      ps: 'ReadOnlyAccess',
      duration: 60,
    });
    // a second live request overlapping the first is refused today (409);
    // data from before that rule may still hold such pairs
    const refused = await api.post('alice', '/requests', {
      accountId: seed.accounts['payments-dev'],
      permissionSetArn: seed.permissionSets.ReadOnlyAccess,
      durationMinutes: 120,
      justification: 'Investigate the production incident',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(first.id);
    const second = await DatabaseRequestStore.create({ knex }).create({
      requesterRef: 'user:default/alice',
      accountId: seed.accounts['payments-dev'],
      accountName: 'payments-dev',
      permissionSetArn: seed.permissionSets.ReadOnlyAccess,
      permissionSetName: 'ReadOnlyAccess',
      status: 'approved',
      startTime: new Date(now),
      endTime: new Date(now + 120 * MINUTE),
      durationMinutes: 120,
      justification: 'Legacy overlapping request',
      approvalRequired: false,
      minApprovals: 0,
      approverRefs: [],
      policyIds: [],
      createdAt: new Date(now),
    });
    await api.runTask('lifecycle');
    expect([
      (await status(first.id)).status,
      (await status(second.id)).status,
    ]).toEqual(['active', 'active']);

    setNow(now + 61 * MINUTE);
    await api.runTask('lifecycle');
    const firstEnded = await status(first.id);
    expect(firstEnded.status).toBe('ended');
    expect(firstEnded.events.at(-1).message).toMatch(
      new RegExp(`request ${second.id} still grants it`),
    );
    expect(await assigned('payments-dev', 'ReadOnlyAccess', 'alice')).toBe(1);

    setNow(now + 60 * MINUTE);
    await api.runTask('lifecycle');
    expect((await status(second.id)).status).toBe('ended');
    expect(await assigned('payments-dev', 'ReadOnlyAccess', 'alice')).toBe(0);
    expect(
      await sandbox.calls({ operations: ['CreateAccountAssignment'] }),
    ).toHaveLength(1);
    expect(
      await sandbox.calls({ operations: ['DeleteAccountAssignment'] }),
    ).toHaveLength(1);
  });

  it('repairs drift: re-creates a missing assignment and deletes an orphaned one', async () => {
    const r = await request('alice', {
      account: 'data-dev',
      ps: 'ReadOnlyAccess',
      duration: 60,
    });
    await api.runTask('lifecycle');
    expect(await assigned('data-dev', 'ReadOnlyAccess', 'alice')).toBe(1);
    // someone deletes it by hand in the console
    await sso.send(
      new DeleteAccountAssignmentCommand({
        InstanceArn: seed.instanceArn,
        TargetId: seed.accounts['data-dev'],
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: seed.permissionSets.ReadOnlyAccess,
        PrincipalType: 'USER',
        PrincipalId: seed.users.alice,
      }),
    );
    await api.runTask('reconcile');
    expect(await assigned('data-dev', 'ReadOnlyAccess', 'alice')).toBe(1);
    const events = (await status(r.id)).events;
    expect(events.at(-1)).toMatchObject({
      action: 'reconcile',
      message: expect.stringMatching(/Drift repaired/),
    });

    // an assignment the plugin made that no request holds (e.g. a row deleted by hand)
    await knex('requests').where({ id: r.id }).update({ status: 'ended' });
    await api.runTask('reconcile');
    expect(await assigned('data-dev', 'ReadOnlyAccess', 'alice')).toBe(0);
    // the ledger remembers the plugin made it, and knows it is gone
    expect(await knex('assignments').select('pre_existing', 'present')).toEqual(
      [{ pre_existing: 0, present: 0 }],
    );
  });

  it('collects every region and gives each event to exactly the session that made it', async () => {
    const account = seed.accounts['payments-prod'];
    const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-2'];
    await api.stop();
    api = await startElevatedAccess({
      knex,
      provider: 'aws',
      config: {
        aws: {
          region: 'us-east-1',
          endpoint: sandbox.url,
          activity: {
            paddingMinutes: 5,
            settleMinutes: 5,
            // us-east-1 (global-service events) is read without being listed
            regions: ['eu-west-1', 'ap-southeast-2'],
          },
        },
      },
    });
    const grantedAt = now;
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
