import {
  CloudTrailClient,
  GetQueryResultsCommand,
  LookupEventsCommand,
  StartQueryCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ResourceNotFoundException,
  SSOAdminClient,
  ThrottlingException,
} from '@aws-sdk/client-sso-admin';
import { mockServices } from '@backstage/backend-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import {
  AwsIdentityCenterProvider,
  OperationPendingError,
} from './AwsIdentityCenterProvider';
import { CallQueue, RetriesExhaustedError, SharedRateGate } from './CallQueue';
import { CloudTrailLakeSource } from './CloudTrailLakeSource';
import {
  CloudTrailLookupEventsSource,
  matchesPermissionSet,
  toActivityEvent,
} from './CloudTrailLookupEventsSource';
import { AwsClients } from './clients';

/** A shared rate gate that never waits and counts the slots booked, per bucket. */
function countingGate() {
  const booked: string[] = [];
  return {
    booked,
    gateFor: (bucket: string): SharedRateGate => ({
      reserve: async () => {
        booked.push(bucket);
        return 0;
      },
    }),
  };
}

/** One mock per client class and file: a second mockClient would replace the first. */
const cloudtrail = mockClient(CloudTrailClient);

const throttled = () =>
  new ThrottlingException({
    message: 'Rate exceeded',
    $metadata: { httpStatusCode: 400 },
  });

describe('CallQueue', () => {
  it('retries throttling and server errors until the call succeeds', async () => {
    const queue = new CallQueue({
      maxInFlight: 2,
      callsPerSecond: 1000,
      sleep: async () => {},
    });
    let n = 0;
    const result = await queue.call(async () => {
      n++;
      if (n === 1) throw throttled();
      if (n === 2)
        throw Object.assign(new Error('boom'), {
          $metadata: { httpStatusCode: 503 },
        });
      return 'done';
    });
    expect(result).toBe('done');
    expect(queue.stats).toEqual({
      calls: 3,
      retries: 2,
      throttled: 1,
      serverErrors: 1,
    });
  });

  it('does not retry client errors', async () => {
    const queue = new CallQueue({
      maxInFlight: 1,
      callsPerSecond: 1000,
      sleep: async () => {},
    });
    const notFound = new ResourceNotFoundException({
      message: 'gone',
      $metadata: {},
    });
    await expect(
      queue.call(async () => {
        throw notFound;
      }),
    ).rejects.toBe(notFound);
    expect(queue.stats.calls).toBe(1);
  });

  it('gives up at its deadline with the last error', async () => {
    const queue = new CallQueue({
      maxInFlight: 1,
      callsPerSecond: 1000,
      retryDeadlineMs: 50,
      random: () => 1,
    });
    await expect(
      queue.call(async () => {
        throw throttled();
      }),
    ).rejects.toBeInstanceOf(RetriesExhaustedError);
  });

  it('never starts two calls closer than its interval, even when timers fire late or early', async () => {
    // a controlled clock: each sleep ends up to 15 ms late or 1 ms early,
    // as timers on a busy machine do
    let now = 0;
    const drift = [12, -1, 0, 15, 3, -1, 7, 0, 14, 2];
    let n = 0;
    const queue = new CallQueue({
      maxInFlight: 3,
      callsPerSecond: 50,
      now: () => now,
      sleep: async ms => {
        await Promise.resolve();
        now += Math.max(0, ms + drift[n++ % drift.length]);
      },
    });
    const starts: number[] = [];
    let inFlight = 0;
    let maxSeen = 0;
    await Promise.all(
      Array.from({ length: 30 }, () =>
        queue.operation(async () => {
          inFlight++;
          maxSeen = Math.max(maxSeen, inFlight);
          await queue.call(async () => starts.push(now));
          await Promise.resolve();
          inFlight--;
        }),
      ),
    );
    expect(starts).toHaveLength(30);
    expect(maxSeen).toBe(3);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(20);
  });

  it('books each call slot with the shared gate and waits for it', async () => {
    let now = 0;
    const booked: number[] = [];
    const queue = new CallQueue({
      maxInFlight: 10,
      callsPerSecond: 20,
      now: () => now,
      sleep: async ms => {
        now += ms;
      },
      // another replica holds the next 100 ms of the budget
      gate: {
        async reserve(intervalMs) {
          booked.push(intervalMs);
          return booked.length === 1 ? 100 : 0;
        },
      },
    });
    const starts: number[] = [];
    await queue.call(async () => starts.push(now));
    await queue.call(async () => starts.push(now));
    expect(booked).toEqual([52.5, 52.5]);
    expect(starts).toEqual([100, 150]);
  });

  it('books a new shared slot when it wakes too late for the one it had', async () => {
    let now = 0;
    const lateness = [40, 0];
    const booked: number[] = [];
    const queue = new CallQueue({
      maxInFlight: 1,
      callsPerSecond: 20,
      now: () => now,
      sleep: async ms => {
        now += ms + (lateness.shift() ?? 0);
      },
      gate: {
        async reserve() {
          booked.push(now);
          return 10;
        },
      },
    });
    const starts: number[] = [];
    await queue.call(async () => starts.push(now));
    // woke 40 ms late for the first slot (more than half an interval):
    // booked another and started on time for that one
    expect(booked).toEqual([0, 50]);
    expect(starts).toEqual([60]);
  });

  it('caps the wait between attempts', async () => {
    const waits: number[] = [];
    const queue = new CallQueue({
      maxInFlight: 1,
      callsPerSecond: 1000,
      random: () => 0.999,
      sleep: async ms => {
        waits.push(ms);
      },
    });
    let n = 0;
    await queue.call(async () => {
      if (++n < 8) throw throttled();
      return 'done';
    });
    expect(Math.max(...waits.slice(1))).toBeLessThanOrEqual(5_000);
    expect(Math.max(...waits.slice(1))).toBeGreaterThan(4_000);
  });

  it('stops waiting when its signal is aborted', async () => {
    const queue = new CallQueue({ maxInFlight: 1, callsPerSecond: 0.1 });
    await queue.call(async () => 'first');
    const controller = new AbortController();
    const second = queue.call(async () => 'second', {
      signal: controller.signal,
    });
    controller.abort(new Error('shutting down'));
    await expect(second).rejects.toThrow('shutting down');
  });
});

describe('AwsIdentityCenterProvider (paths the sandbox cannot take)', () => {
  const sso = mockClient(SSOAdminClient);
  const assignment = {
    principalId: 'u-1',
    accountId: '111122223333',
    permissionSetArn:
      'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-2222222222222222',
  };
  const provider = (pollTimeoutMs = 5_000) =>
    new AwsIdentityCenterProvider({
      clients: new AwsClients({
        region: 'eu-west-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      }),
      queue: new CallQueue({
        maxInFlight: 10,
        callsPerSecond: 1000,
        sleep: async () => {},
      }),
      logger: mockServices.logger.mock(),
      instanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111',
      identityStoreId: 'd-1',
      userMapping: 'email',
      pollTimeoutMs,
      sleep: async () => {},
    });
  beforeEach(() => sso.reset());

  it('reports FAILED with the reason after IN_PROGRESS polls', async () => {
    sso.on(CreateAccountAssignmentCommand).resolves({
      AccountAssignmentCreationStatus: {
        Status: 'IN_PROGRESS',
        RequestId: 'req-1',
      },
    });
    sso
      .on(DescribeAccountAssignmentCreationStatusCommand)
      .resolvesOnce({
        AccountAssignmentCreationStatus: {
          Status: 'IN_PROGRESS',
          RequestId: 'req-1',
        },
      })
      .resolves({
        AccountAssignmentCreationStatus: {
          Status: 'FAILED',
          RequestId: 'req-1',
          FailureReason:
            'Received a 404 status error: Not supported policy arn',
        },
      });
    await expect(provider().grant(assignment)).resolves.toEqual({
      status: 'failed',
      reason: 'Received a 404 status error: Not supported policy arn',
      requestId: 'req-1',
    });
    expect(
      sso.commandCalls(DescribeAccountAssignmentCreationStatusCommand),
    ).toHaveLength(2);
  });

  it('leaves an operation that stays IN_PROGRESS for a later run instead of guessing', async () => {
    sso.on(CreateAccountAssignmentCommand).resolves({
      AccountAssignmentCreationStatus: {
        Status: 'IN_PROGRESS',
        RequestId: 'req-2',
      },
    });
    sso.on(DescribeAccountAssignmentCreationStatusCommand).resolves({
      AccountAssignmentCreationStatus: {
        Status: 'IN_PROGRESS',
        RequestId: 'req-2',
      },
    });
    await expect(provider(0).grant(assignment)).rejects.toBeInstanceOf(
      OperationPendingError,
    );
  });

  it('reads every page of the assignments through the queue, retrying a throttled page', async () => {
    const { booked, gateFor } = countingGate();
    // the test's clock: sleeping moves it on
    let clock = 0;
    const queue = new CallQueue({
      maxInFlight: 10,
      callsPerSecond: 1000,
      gate: gateFor('identity-center'),
      now: () => clock,
      sleep: async ms => {
        clock += ms;
      },
    });
    const other = {
      AccountId: assignment.accountId,
      PermissionSetArn: `${assignment.permissionSetArn}-other`,
    };
    const answers = [
      async () => ({ AccountAssignments: [other], NextToken: 'page-2' }),
      async () => {
        throw throttled();
      },
      async () => ({
        AccountAssignments: [
          {
            AccountId: assignment.accountId,
            PermissionSetArn: assignment.permissionSetArn,
          },
        ],
      }),
    ];
    // the token as sent (the paginator reuses one input object)
    const tokens: Array<string | undefined> = [];
    sso.on(ListAccountAssignmentsForPrincipalCommand).callsFake(input => {
      tokens.push(input.NextToken);
      return answers[tokens.length - 1]();
    });
    const found = await new AwsIdentityCenterProvider({
      clients: new AwsClients({
        region: 'eu-west-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      }),
      queue,
      logger: mockServices.logger.mock(),
      instanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111',
      identityStoreId: 'd-1',
      userMapping: 'email',
    }).hasAssignment(assignment);

    expect(found).toBe(true);
    expect(tokens).toEqual([undefined, 'page-2', 'page-2']);
    // each attempt took a paced turn, and the queue (not the SDK) retried
    expect(booked).toHaveLength(3);
    expect(queue.stats).toMatchObject({ calls: 3, retries: 1, throttled: 1 });
  });

  it("hands the grant's signal to every AWS call it makes", async () => {
    sso.on(CreateAccountAssignmentCommand).resolves({
      AccountAssignmentCreationStatus: {
        Status: 'IN_PROGRESS',
        RequestId: 'req-3',
      },
    });
    sso.on(DescribeAccountAssignmentCreationStatusCommand).resolves({
      AccountAssignmentCreationStatus: {
        Status: 'SUCCEEDED',
        RequestId: 'req-3',
      },
    });
    const { signal } = new AbortController();
    await expect(provider().grant(assignment, { signal })).resolves.toEqual({
      status: 'succeeded',
      requestId: 'req-3',
    });
    const calls = [
      ...sso.commandCalls(CreateAccountAssignmentCommand),
      ...sso.commandCalls(DescribeAccountAssignmentCreationStatusCommand),
    ];
    expect(calls).toHaveLength(2);
    // the mock's types know only the command; the SDK's send takes options
    for (const call of calls) {
      const [, requestOptions] = call.args as unknown as [
        unknown,
        { abortSignal?: AbortSignal } | undefined,
      ];
      // the very signal (any two AbortSignals would be toEqual)
      expect(requestOptions?.abortSignal).toBe(signal);
    }
  });

  it("stops a grant's status polling when its signal is aborted", async () => {
    sso.on(CreateAccountAssignmentCommand).resolves({
      AccountAssignmentCreationStatus: {
        Status: 'IN_PROGRESS',
        RequestId: 'req-4',
      },
    });
    sso.on(DescribeAccountAssignmentCreationStatusCommand).resolves({
      AccountAssignmentCreationStatus: {
        Status: 'IN_PROGRESS',
        RequestId: 'req-4',
      },
    });
    const controller = new AbortController();
    const slept: number[] = [];
    const grant = new AwsIdentityCenterProvider({
      clients: new AwsClients({
        region: 'eu-west-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      }),
      queue: new CallQueue({
        maxInFlight: 10,
        callsPerSecond: 1000,
        sleep: async () => {},
      }),
      logger: mockServices.logger.mock(),
      instanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111',
      identityStoreId: 'd-1',
      userMapping: 'email',
      // the shutdown comes during the second wait between polls; the
      // poll's sleep ends with the signal's reason, as abortableSleep does
      sleep: async (ms, signal) => {
        slept.push(ms);
        if (slept.length === 2) controller.abort(new Error('shutting down'));
        signal?.throwIfAborted();
      },
    }).grant(assignment, { signal: controller.signal });

    await expect(grant).rejects.toThrow('shutting down');
    expect(slept).toEqual([200, 400]);
    // one poll after the first wait, none after the aborted one
    expect(
      sso.commandCalls(DescribeAccountAssignmentCreationStatusCommand),
    ).toHaveLength(1);
  });

  it('treats deleting an assignment that is already gone as done', async () => {
    sso
      .on(DeleteAccountAssignmentCommand)
      .rejects(
        new ResourceNotFoundException({ message: 'not found', $metadata: {} }),
      );
    await expect(provider().revoke(assignment)).resolves.toEqual({
      status: 'succeeded',
    });
  });
});

describe('CloudTrail event mapping', () => {
  const event = (issuer?: string) =>
    toActivityEvent({
      EventId: 'e1',
      EventName: 'PutObject',
      EventSource: 's3.amazonaws.com',
      EventTime: new Date('2026-11-21T10:00:00Z'),
      ReadOnly: 'false',
      Resources: [{ ResourceName: 'arn:aws:s3:::b' }],
      CloudTrailEvent: JSON.stringify({
        sourceIPAddress: '198.51.100.1',
        userAgent: 'console.amazonaws.com',
        errorCode: 'AccessDenied',
        userIdentity: issuer
          ? { sessionContext: { sessionIssuer: { arn: issuer } } }
          : {},
      }),
    });

  it('keeps the fields auditors need', () => {
    expect(event()).toMatchObject({
      eventId: 'e1',
      eventTime: '2026-11-21T10:00:00.000Z',
      eventName: 'PutObject',
      resources: ['arn:aws:s3:::b'],
      sourceIpAddress: '198.51.100.1',
      userAgent: 'console.amazonaws.com',
      readOnly: false,
      errorCode: 'AccessDenied',
    });
  });

  it('matches the permission set by its exact reserved role name', () => {
    const role = (name: string) =>
      `arn:aws:iam::1:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${name}_abc123`;
    const match = (e: ReturnType<typeof event>) =>
      matchesPermissionSet(e, 'alice', 'Admin');
    expect(match(event(role('Admin')))).toBe(true);
    expect(match(event(role('AdminReadOnly')))).toBe(false);
    expect(match(event(role('Admin_ReadOnly')))).toBe(false);
    // an IAM user of the same name: no role issued the session
    expect(match(event())).toBe(false);
  });
});

describe('CloudTrailLookupEventsSource (paths the sandbox cannot take)', () => {
  const accountId = '111122223333';
  const role =
    'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef';
  const sessionEvent = (id: string) => ({
    EventId: id,
    EventName: 'GetObject',
    EventTime: new Date('2026-11-21T10:00:00Z'),
    CloudTrailEvent: JSON.stringify({
      userIdentity: {
        arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice',
        sessionContext: { sessionIssuer: { arn: role } },
      },
    }),
  });
  const query = {
    accountId,
    region: 'eu-west-1',
    userName: 'alice',
    permissionSetArn: 'x',
    permissionSetName: 'Admin',
    startTime: '2026-11-21T09:00:00.000Z',
    endTime: '2026-11-21T12:00:00.000Z',
  };
  const source = (gateFor: (bucket: string) => SharedRateGate) => {
    const clients = new AwsClients({
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    });
    const assumedRole = jest
      .spyOn(clients, 'assumedRole')
      .mockReturnValue(async () => ({
        accessKeyId: 'reader',
        secretAccessKey: 'reader',
      }));
    return {
      assumedRole,
      source: new CloudTrailLookupEventsSource({
        clients,
        roleName: 'ElevatedAccessActivityReader',
        callsPerSecond: 1000,
        region: 'us-east-1',
        regions: ['eu-west-1'],
        gateFor,
      }),
    };
  };
  /** Token and page size of each LookupEvents call, as sent. */
  let sent: Array<[string | undefined, number | undefined]>;
  beforeEach(() => {
    cloudtrail.reset();
    sent = [];
    const answers = [
      { Events: [sessionEvent('e-1')], NextToken: 't-1' },
      { Events: [sessionEvent('e-2')], NextToken: 't-2' },
      { Events: [sessionEvent('e-3')] },
    ];
    cloudtrail.on(LookupEventsCommand).callsFake(async input => {
      sent.push([input.NextToken, input.MaxResults]);
      return answers[sent.length - 1];
    });
  });

  it("reads every page through the account and region's paced queue, as the reader role", async () => {
    const { booked, gateFor } = countingGate();
    const { source: lookup, assumedRole } = source(gateFor);
    const pages = [];
    for await (const page of lookup.collect(query)) pages.push(page);

    expect(pages.map(p => p.map(e => e.eventId))).toEqual([
      ['e-1'],
      ['e-2'],
      ['e-3'],
    ]);
    expect(sent).toEqual([
      [undefined, 50],
      ['t-1', 50],
      ['t-2', 50],
    ]);
    // every call booked a slot of the account and region's bucket (on a
    // busy machine a call that wakes late for its slot books another)
    expect(new Set(booked)).toEqual(
      new Set([`lookup-events:${accountId}/eu-west-1`]),
    );
    expect(booked.length).toBeGreaterThanOrEqual(sent.length);
    expect(assumedRole).toHaveBeenCalledWith(
      `arn:aws:iam::${accountId}:role/ElevatedAccessActivityReader`,
      'elevated-access-activity',
    );
  });

  it('stops quietly when aborted between pages', async () => {
    const { gateFor } = countingGate();
    const controller = new AbortController();
    const pages = [];
    for await (const page of source(gateFor).source.collect(query, {
      signal: controller.signal,
    })) {
      pages.push(page);
      controller.abort(new Error('shutting down'));
    }
    expect(pages).toHaveLength(1);
    expect(sent).toHaveLength(1);
  });
});

describe('CloudTrailLakeSource', () => {
  const source = () =>
    new CloudTrailLakeSource({
      client: new CloudTrailClient({
        region: 'eu-west-1',
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      }),
      eventDataStore:
        'arn:aws:cloudtrail:eu-west-1:111122223333:eventdatastore/eds-0123-abcd',
      sleep: async () => {},
    });
  const query = {
    accountId: '111122223333',
    userName: 'bob_smith',
    permissionSetArn: 'x',
    permissionSetName: 'Admin',
    startTime: '2026-11-21T10:00:00.000Z',
    endTime: '2026-11-21T12:00:00.000Z',
  };
  beforeEach(() => cloudtrail.reset());

  it('matches the user exactly and escapes what could change the query', () => {
    const sql = source().buildQuery(query);
    expect(sql).toContain("recipientAccountId = '111122223333'");
    expect(sql).toContain(
      "userIdentity.principalId LIKE '%:bob\\_smith' ESCAPE '\\'",
    );
    expect(sql).toContain("eventTime >= '2026-11-21 10:00:00'");
    expect(sql).toContain('FROM eds-0123-abcd');
    expect(() =>
      source().buildQuery({ ...query, userName: "x' OR '1'='1" }),
    ).toThrow(/Refusing/);
    expect(() =>
      source().buildQuery({ ...query, accountId: "1' OR 1=1 --" }),
    ).toThrow(/Refusing/);
  });

  it('polls a query to completion and maps its rows', async () => {
    cloudtrail.on(StartQueryCommand).resolves({ QueryId: 'q-1' });
    cloudtrail
      .on(GetQueryResultsCommand)
      .resolvesOnce({ QueryStatus: 'RUNNING' })
      .resolvesOnce({
        QueryStatus: 'FINISHED',
        QueryResultRows: [
          [
            { eventID: 'e-9' },
            { eventTime: '2026-11-21 10:30:00.000' },
            { eventName: 'DeleteBucket' },
            { eventSource: 's3.amazonaws.com' },
            { readOnly: 'false' },
            {
              userIdentity: JSON.stringify({
                type: 'AssumedRole',
                arn: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/bob_smith',
                sessionContext: {
                  sessionIssuer: {
                    arn: 'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef',
                  },
                },
              }),
            },
            { awsRegion: 'eu-central-1' },
          ],
          // an IAM user of the same name is not the session
          [
            { eventID: 'e-iam-user' },
            { eventTime: '2026-11-21 10:31:00.000' },
            { eventName: 'DeleteBucket' },
            { eventSource: 's3.amazonaws.com' },
            {
              userIdentity: JSON.stringify({
                type: 'IAMUser',
                arn: 'arn:aws:iam::111122223333:user/bob_smith',
              }),
            },
          ],
        ],
        NextToken: 'n',
      })
      .resolves({ QueryStatus: 'FINISHED', QueryResultRows: [] });
    const pages = [];
    for await (const page of source().collect(query)) pages.push(page);
    expect(pages.flat()).toEqual([
      expect.objectContaining({
        eventId: 'e-9',
        eventTime: '2026-11-21T10:30:00.000Z',
        eventName: 'DeleteBucket',
        readOnly: false,
        region: 'eu-central-1',
      }),
    ]);
    expect(cloudtrail.commandCalls(GetQueryResultsCommand)).toHaveLength(3);
  });

  it('fails clearly when the query fails', async () => {
    cloudtrail.on(StartQueryCommand).resolves({ QueryId: 'q-2' });
    cloudtrail
      .on(GetQueryResultsCommand)
      .resolves({ QueryStatus: 'FAILED', ErrorMessage: 'Access denied' });
    const iterate = async () => {
      for await (const _ of source().collect(query)) {
        // drain
      }
    };
    await expect(iterate()).rejects.toThrow(/ended FAILED: Access denied/);
  });
});
