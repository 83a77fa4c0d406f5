import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  ListAccountAssignmentsForPrincipalCommand,
  ResourceNotFoundException,
  SSOAdminClient,
  StatusValues,
} from '@aws-sdk/client-sso-admin';
import { mockServices } from '@backstage/backend-test-utils';
import { mockClient } from 'aws-sdk-client-mock';
import { countingGate, throttled } from '../__testUtils__/awsCalls';
import {
  AwsIdentityCenterProvider,
  AwsIdentityCenterProviderOptions,
  OperationPendingError,
} from './AwsIdentityCenterProvider';
import { CallQueue } from './CallQueue';
import { AwsClients } from './clients';

describe('AwsIdentityCenterProvider (paths the sandbox cannot take)', () => {
  const sso = mockClient(SSOAdminClient);
  const assignment = {
    principalId: 'u-1',
    accountId: '111122223333',
    permissionSetArn:
      'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-2222222222222222',
  };
  /** The provider under test, polling without waiting; `options` replaces any part. */
  const provider = (options: Partial<AwsIdentityCenterProviderOptions> = {}) =>
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
      pollTimeoutMs: 5_000,
      sleep: async () => {},
      ...options,
    });
  /** Identity Center's answer about creating the assignment (request `RequestId`). */
  const creation = (
    RequestId: string,
    Status: StatusValues,
    more: { FailureReason?: string } = {},
  ) => ({ AccountAssignmentCreationStatus: { Status, RequestId, ...more } });
  /**
   * Creating the assignment answers IN_PROGRESS (request `requestId`) and
   * every status poll answers `polled`.
   */
  const createsInProgress = (requestId: string, polled: StatusValues) => {
    sso
      .on(CreateAccountAssignmentCommand)
      .resolves(creation(requestId, 'IN_PROGRESS'));
    sso
      .on(DescribeAccountAssignmentCreationStatusCommand)
      .resolves(creation(requestId, polled));
  };
  beforeEach(() => sso.reset());

  it('reports FAILED with the reason after IN_PROGRESS polls', async () => {
    sso
      .on(CreateAccountAssignmentCommand)
      .resolves(creation('req-1', 'IN_PROGRESS'));
    sso
      .on(DescribeAccountAssignmentCreationStatusCommand)
      .resolvesOnce(creation('req-1', 'IN_PROGRESS'))
      .resolves(
        creation('req-1', 'FAILED', {
          FailureReason:
            'Received a 404 status error: Not supported policy arn',
        }),
      );
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
    createsInProgress('req-2', 'IN_PROGRESS');
    await expect(
      provider({ pollTimeoutMs: 0 }).grant(assignment),
    ).rejects.toBeInstanceOf(OperationPendingError);
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
    // listing polls nothing: the provider's own sleep is never used
    const found = await provider({ queue }).hasAssignment(assignment);

    expect(found).toBe(true);
    expect(tokens).toEqual([undefined, 'page-2', 'page-2']);
    // each attempt took a paced turn, and the queue (not the SDK) retried
    expect(booked).toHaveLength(3);
    expect(queue.stats).toMatchObject({ calls: 3, retries: 1, throttled: 1 });
  });

  it("hands the grant's signal to every AWS call it makes", async () => {
    createsInProgress('req-3', 'SUCCEEDED');
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
    createsInProgress('req-4', 'IN_PROGRESS');
    const controller = new AbortController();
    const slept: number[] = [];
    const grant = provider({
      // the class default poll timeout, as before; the abort comes first
      pollTimeoutMs: undefined,
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
