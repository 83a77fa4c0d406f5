import {
  MINUTE,
  setUpProvisioningSandbox,
} from '../__testUtils__/provisioningSandbox';

/*
 * The lifecycle against the AWS sandbox over the wire: the plugin's own AWS
 * provider and CloudTrail source, with the sandbox's fault modes. This file:
 * a grant from start to revoke, and grants while Identity Center is slow,
 * fails or throttles.
 */

describe('provisioning on the AWS sandbox', () => {
  const env = setUpProvisioningSandbox();

  it('runs the whole lifecycle: grant at the start, activity, revoke', async () => {
    const { sandbox, seed, api, request, status, assigned, setNow } = env;
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

    setNow(env.now + 31 * MINUTE);
    await api.runTask('lifecycle');
    const active = await status(created.id);
    expect(active).toMatchObject({
      status: 'active',
      grantedAt: new Date(env.now).toISOString(),
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
          EventTime: (env.now + (i + 1) * MINUTE) / 1000,
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
        EventTime: (env.now + 4 * MINUTE) / 1000,
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
        EventTime: (env.now + 2 * MINUTE) / 1000,
        Username: 'bob',
      },
    ]);
    setNow(env.now + 5 * MINUTE);
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
    setNow(env.now + 11 * MINUTE);
    await api.runTask('activity');
    expect(
      (await api.get('alice', `/requests/${created.id}/activity`)).body
        .complete,
    ).toBe(true);
  });

  it('waits through IN_PROGRESS polls until Identity Center says SUCCEEDED', async () => {
    const { sandbox, api, request, status, assigned } = env;
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
    const { sandbox, api, request, status, assigned } = env;
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
    const { sandbox, api, request, status, assigned, setNow } = env;
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
      setNow(env.now + minute * MINUTE);
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
      setNow(env.now + minute * MINUTE);
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
});
