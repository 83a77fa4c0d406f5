import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { ACCOUNT, PS, userRef } from '../__testUtils__/fixtures';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/startElevatedAccess';
import {
  checkpointKey,
  createElevatedAccessRequestAction,
} from './requestElevatedAccess';

jest.setTimeout(60_000);

const APP = 'https://backstage.example.com';

type Checkpoints = Record<
  string,
  { status: 'success'; value: unknown } | { status: 'failed'; reason: string }
>;

/**
 * The scaffolder's checkpoint semantics (NunjucksWorkflowRunner): keys are
 * scoped to the step; a key that succeeded before returns its stored value
 * instead of running again; a failure is recorded and the next attempt runs.
 */
function checkpointsIn(state: Checkpoints, stepId: string) {
  return (async ({ key, fn }: { key: string; fn: () => Promise<unknown> }) => {
    const scoped = `v1.task.checkpoint.${stepId}.${key}`;
    const prev = state[scoped];
    if (prev?.status === 'success') {
      return JSON.parse(JSON.stringify(prev.value));
    }
    try {
      const value = await fn();
      state[scoped] = { status: 'success', value: value ?? {} };
      return value;
    } catch (error) {
      state[scoped] = { status: 'failed', reason: String(error) };
      throw error;
    }
  }) as ActionContext<{}>['checkpoint'];
}

describe('elevated-access:request', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let ea: ElevatedAccessTestBackend;
  let fetchSpy: jest.SpyInstance;

  beforeEach(async () => {
    ea = await startElevatedAccess(await databases.init('SQLITE_3'));
    fetchSpy = jest.spyOn(globalThis, 'fetch');
  });

  afterEach(async () => {
    fetchSpy.mockRestore();
    await ea.stop();
  });

  const action = () =>
    createElevatedAccessRequestAction({
      auth: mockServices.auth({ pluginId: 'scaffolder' }),
      discovery: ea.discovery,
      config: mockServices.rootConfig({ data: { app: { baseUrl: APP } } }),
    });

  /** A step run by `user`: what the scaffolder hands the action. */
  function context(
    input: Record<string, string | number | undefined>,
    options: {
      user?: string;
      isDryRun?: boolean;
      checkpoints?: Checkpoints;
    } = {},
  ) {
    const user = userRef(options.user ?? 'alice');
    const base = createMockActionContext<any>({ input, user: { ref: user } });
    return {
      ...base,
      isDryRun: options.isDryRun,
      signal: new AbortController().signal,
      getInitiatorCredentials: async () => mockCredentials.user(user),
      checkpoint: options.checkpoints
        ? checkpointsIn(options.checkpoints, 'request-access')
        : base.checkpoint,
    } as ActionContext<any, any>;
  }

  const outputs = (ctx: ActionContext<any, any>) =>
    Object.fromEntries((ctx.output as jest.Mock).mock.calls);

  const readOnlyNow = {
    account: 'payments-dev',
    permissionSet: 'ReadOnlyAccess',
    durationMinutes: 60,
    justification: 'Look at the failing reconciliation job logs',
  };

  /** The calls the action made to the plugin (not the test's own calls, nor the plugin's notifications). */
  const pluginCalls = () =>
    fetchSpy.mock.calls
      .map(([url, init]) => ({
        url: String(url),
        method: (init?.method as string) ?? 'GET',
        authorization: (init?.headers as Record<string, string>)?.Authorization,
      }))
      .filter(
        c =>
          c.url.includes('/api/elevated-access/') &&
          c.authorization?.startsWith('Bearer mock-service-token'),
      );

  it('creates the request as the user and outputs its id, status and link', async () => {
    const ctx = context({
      account: ACCOUNT['payments-prod'],
      permissionSet: PS.PowerUserAccess,
      durationMinutes: 90,
      justification: 'Restart the stuck payment reconciliation job',
      ticketId: 'OPS-1234',
    });
    await action().handler(ctx);

    const [request] = await ea.allRequests();
    expect(request).toMatchObject({
      requesterRef: 'user:default/alice',
      accountId: ACCOUNT['payments-prod'],
      permissionSetArn: PS.PowerUserAccess,
      status: 'pending',
      durationMinutes: 90,
      ticketId: 'OPS-1234',
    });
    expect(outputs(ctx)).toEqual({
      requestId: request.id,
      status: 'pending',
      link: `${APP}/elevated-access/requests/${request.id}`,
      accountId: ACCOUNT['payments-prod'],
      accountName: 'payments-prod',
      permissionSetArn: PS.PowerUserAccess,
      permissionSetName: 'PowerUserAccess',
      startTime: request.startTime,
      endTime: request.endTime,
    });

    // ids and ARNs need no lookup: one POST, on alice's behalf, to the plugin
    expect(pluginCalls()).toEqual([
      {
        url: expect.stringMatching(/\/api\/elevated-access\/requests$/),
        method: 'POST',
        authorization: mockCredentials.service.header({
          onBehalfOf: mockCredentials.user('user:default/alice'),
          targetPluginId: 'elevated-access',
        }),
      },
    ]);
  });

  it('resolves the account and permission set by name', async () => {
    const ctx = context({
      ...readOnlyNow,
      account: 'payments-dev',
      permissionSet: 'readonlyaccess',
    });
    await action().handler(ctx);

    const [request] = await ea.allRequests();
    expect(request).toMatchObject({
      requesterRef: 'user:default/alice',
      accountId: ACCOUNT['payments-dev'],
      permissionSetArn: PS.ReadOnlyAccess,
      // no approval needed for read-only
      status: 'approved',
    });
    expect(outputs(ctx)).toMatchObject({
      requestId: request.id,
      status: 'approved',
      accountName: 'payments-dev',
      permissionSetName: 'ReadOnlyAccess',
    });
    expect(pluginCalls().map(c => `${c.method} ${c.url}`)).toEqual([
      expect.stringMatching(/^GET .*\/api\/elevated-access\/eligibility$/),
      expect.stringMatching(/^POST .*\/api\/elevated-access\/requests$/),
    ]);
  });

  it('in a dry run validates against the eligibility but creates nothing', async () => {
    const ctx = context(
      {
        account: 'payments-prod',
        permissionSet: 'PowerUserAccess',
        startTime: '2099-01-01T09:00:00+01:00',
        durationMinutes: 120,
        justification: 'Restart the stuck payment reconciliation job',
        ticketId: 'OPS-1234',
      },
      { isDryRun: true },
    );
    await action().handler(ctx);

    expect(await ea.allRequests()).toEqual([]);
    expect(pluginCalls().map(c => c.method)).toEqual(['GET']);
    expect(outputs(ctx)).toEqual({
      status: 'dry-run',
      link: `${APP}/elevated-access`,
      accountId: ACCOUNT['payments-prod'],
      accountName: 'payments-prod',
      permissionSetArn: PS.PowerUserAccess,
      permissionSetName: 'PowerUserAccess',
      startTime: '2099-01-01T08:00:00.000Z',
      endTime: '2099-01-01T10:00:00.000Z',
    });
    expect(outputs(ctx).requestId).toBeUndefined();
  });

  it.each([
    [
      'a duration over the policy maximum',
      { durationMinutes: 300 },
      'Invalid input: durationMinutes: PowerUserAccess on payments-prod can be requested for at most 4 h',
    ],
    [
      'a missing ticket where one is required',
      { ticketId: undefined },
      'Invalid input: ticketId: A ticket is required for this access',
    ],
    [
      'a pair no policy covers',
      { permissionSet: 'AdministratorAccess' },
      'You are not eligible for any permission set named "AdministratorAccess" on payments-prod (111111111111). You may request: PowerUserAccess, ReadOnlyAccess on payments-prod (111111111111)',
    ],
    [
      'input the plugin would refuse',
      { justification: 'short' },
      'Invalid input: justification: Justification must be at least 10 characters',
    ],
  ])('a dry run fails on %s', async (_what, change, message) => {
    const ctx = context(
      {
        account: 'payments-prod',
        permissionSet: 'PowerUserAccess',
        durationMinutes: 60,
        justification: 'Restart the stuck payment reconciliation job',
        ticketId: 'OPS-1234',
        ...change,
      },
      { isDryRun: true },
    );
    await expect(action().handler(ctx)).rejects.toThrow(message);
    expect(await ea.allRequests()).toEqual([]);
  });

  it('a dry run names a pair the user is not eligible for as the plugin does', async () => {
    const ctx = context(
      {
        ...readOnlyNow,
        account: ACCOUNT.audit,
        permissionSet: PS.ReadOnlyAccess,
      },
      { isDryRun: true },
    );
    await expect(action().handler(ctx)).rejects.toThrow(
      'You are not eligible to request ReadOnlyAccess on account 555555555555; no eligibility policy covers it for you',
    );
  });

  it("fails the step with the plugin's message when the user is not eligible", async () => {
    const ctx = context({
      account: ACCOUNT['payments-prod'],
      permissionSet: PS.AdministratorAccess,
      durationMinutes: 60,
      justification: 'Rotate the production database credentials',
    });
    const failure = action().handler(ctx);
    await expect(failure).rejects.toThrow(
      'You are not eligible to request AdministratorAccess on payments-prod; no eligibility policy covers it for you',
    );
    await expect(failure).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(ctx.output).not.toHaveBeenCalled();
    expect(await ea.allRequests()).toEqual([]);
  });

  it("fails the step with the plugin's message on rules only the plugin checks", async () => {
    // bob is in no eligibility policy; the plugin refuses it as it would him
    const ctx = context(
      {
        ...readOnlyNow,
        account: ACCOUNT['payments-dev'],
        permissionSet: PS.ReadOnlyAccess,
      },
      { user: 'bob' },
    );
    await expect(action().handler(ctx)).rejects.toThrow(
      'You are not eligible to request ReadOnlyAccess on payments-dev; no eligibility policy covers it for you',
    );

    // a start time in the past is only checked on create
    const past = context({
      ...readOnlyNow,
      startTime: '2020-01-01T00:00:00Z',
    });
    await expect(action().handler(past)).rejects.toThrow(
      'Invalid input: startTime: Start time is in the past; leave it empty to start now',
    );
    expect(await ea.allRequests()).toEqual([]);
  });

  it('lists what the user may request when an account name matches nothing', async () => {
    const ctx = context({ ...readOnlyNow, account: 'payments-staging' });
    await expect(action().handler(ctx)).rejects.toThrow(
      'You are not eligible for any account named "payments-staging". You may request: PowerUserAccess, ReadOnlyAccess on payments-dev (333333333333); PowerUserAccess, ReadOnlyAccess on payments-prod (111111111111)',
    );
    expect(pluginCalls().map(c => c.method)).toEqual(['GET']);

    const bob = context(
      { ...readOnlyNow, account: 'payments-staging' },
      { user: 'bob' },
    );
    await expect(action().handler(bob)).rejects.toThrow(
      'You are not eligible for any account named "payments-staging". You may not request any elevated access; no eligibility policy names you',
    );
  });

  it('creates exactly one request when the scaffolder retries the step', async () => {
    const checkpoints: Checkpoints = {};
    const input = {
      ...readOnlyNow,
      ticketId: 'OPS-99',
    };

    // the first attempt creates the request, then the task dies before the
    // step finishes (here: while writing the outputs)
    const first = context(input, { checkpoints });
    (first.output as jest.Mock).mockImplementationOnce(() => {
      throw new Error('The scaffolder worker was restarted');
    });
    await expect(action().handler(first)).rejects.toThrow(
      'The scaffolder worker was restarted',
    );
    expect(await ea.allRequests()).toHaveLength(1);

    // the retry of the step finds the request in its checkpoint
    const retry = context(input, { checkpoints });
    await action().handler(retry);
    const again = context(input, { checkpoints });
    await action().handler(again);

    const requests = await ea.allRequests();
    expect(requests).toHaveLength(1);
    expect(outputs(retry)).toMatchObject({
      requestId: requests[0].id,
      status: 'approved',
      link: `${APP}/elevated-access/requests/${requests[0].id}`,
    });
    expect(outputs(again).requestId).toBe(requests[0].id);
    expect(pluginCalls().filter(c => c.method === 'POST')).toHaveLength(1);

    // a new task (its own checkpoints) is a new request; it asks for a
    // later window, as one user's live windows for a pair may not overlap
    await action().handler(
      context(
        {
          ...input,
          startTime: new Date(Date.now() + 3 * 3600_000).toISOString(),
        },
        { checkpoints: {} },
      ),
    );
    expect(await ea.allRequests()).toHaveLength(2);
  });

  it('retries a step whose first attempt failed', async () => {
    const checkpoints: Checkpoints = {};
    const tooLong = { ...readOnlyNow, durationMinutes: 9 * 60 };
    await expect(
      action().handler(context(tooLong, { checkpoints })),
    ).rejects.toThrow(
      'Invalid input: durationMinutes: ReadOnlyAccess on payments-dev can be requested for at most 8 h',
    );
    expect(Object.values(checkpoints)).toEqual([
      expect.objectContaining({ status: 'failed' }),
    ]);

    const ctx = context(tooLong, { checkpoints });
    await expect(action().handler(ctx)).rejects.toThrow('at most 8 h');
    expect(await ea.allRequests()).toEqual([]);
  });

  it('refuses a task without a user', async () => {
    const ctx = {
      ...context(readOnlyNow),
      getInitiatorCredentials: async () => mockCredentials.service(),
    };
    await expect(action().handler(ctx)).rejects.toThrow(
      'elevated-access:request requests access for the user who runs the template, but this task was not started by a signed-in user',
    );
    expect(pluginCalls()).toEqual([]);
  });
});

describe('checkpointKey', () => {
  const input = {
    account: 'payments-dev',
    permissionSet: 'ReadOnlyAccess',
    durationMinutes: 60,
    justification: 'Look at the failing reconciliation job logs',
  };

  it('is the same for the same request and differs for another', () => {
    expect(checkpointKey(input)).toBe(
      checkpointKey({ ...input, account: ' payments-dev ', ticketId: '' }),
    );
    expect(checkpointKey(input)).toMatch(
      /^elevated-access-request-[0-9a-f]{32}$/,
    );
    for (const change of [
      { account: 'payments-prod' },
      { permissionSet: 'PowerUserAccess' },
      { durationMinutes: 61 },
      { justification: 'Look at the failing reconciliation job' },
      { ticketId: 'OPS-1' },
      { startTime: '2099-01-01T00:00:00Z' },
    ]) {
      expect(checkpointKey({ ...input, ...change })).not.toBe(
        checkpointKey(input),
      );
    }
  });
});
