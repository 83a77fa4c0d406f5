import {
  GetInlinePolicyForPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import {
  RunningSandbox,
  SandboxSeed,
  startSandbox,
} from '@internal/aws-sandbox';
import knexFactory, { Knex } from 'knex';
import { describeEachDatabase } from '../__testUtils__/databases';
import { catalogUser, createTestInstance } from '../__testUtils__/instance';
import { applyMigrations } from '../database/migrations';
import { DatabaseRequestStore } from '../database/RequestStore';
import { usesPostgres } from '../database/util';
import { SID_PREFIX } from '../domain/sessionBlocks';

jest.setTimeout(180_000);

/*
 * Revoked means revoked, over the wire: revoking access denies the sessions
 * the user already opened (a Deny statement in the permission set's inline
 * policy, next to the admin's own, provisioned to the account), and the
 * statement is lifted once those sessions have expired. Two replicas run on
 * one database the whole time; the clock is the test's.
 */

const MINUTE = 60_000;
const ADMIN_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AdminDenyBilling',
      Effect: 'Deny',
      Action: ['aws-portal:*', 'billing:*'],
      Resource: '*',
    },
  ],
};

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());

describeEachDatabase('ending open sessions on the AWS sandbox', init => {
  let knexA: Knex;
  let knexB: Knex;
  let seed: SandboxSeed;
  let sso: SSOAdminClient;

  beforeEach(async () => {
    knexA = await init();
    // PostgreSQL: a second connection pool, as another replica has; SQLite
    // in memory: the same database through the same pool
    knexB = usesPostgres(knexA) ? knexFactory(knexA.client.config) : knexA;
    await sandbox.reset();
    seed = await sandbox.seedDemo();
    sso = new SSOAdminClient({ ...sandbox.clientConfig(), maxAttempts: 1 });
    await applyMigrations(knexA);
  });
  afterEach(async () => {
    if (knexB !== knexA) await knexB.destroy();
    await sandbox.clearFaults();
  });

  const inlinePolicy = async () => {
    const res = await sso.send(
      new GetInlinePolicyForPermissionSetCommand({
        InstanceArn: seed.instanceArn,
        PermissionSetArn: seed.permissionSets.ReadOnlyAccess,
      }),
    );
    return res.InlinePolicy ? JSON.parse(res.InlinePolicy) : undefined;
  };

  it('revoking puts one deny for that user and account next to the admin statement, provisions it, and lifts it after the session duration', async () => {
    await sso.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn: seed.instanceArn,
        PermissionSetArn: seed.permissionSets.ReadOnlyAccess,
        InlinePolicy: JSON.stringify(ADMIN_POLICY),
      }),
    );
    let now = Date.UTC(2026, 10, 21, 9, 0, 0);
    const clock = { now: () => new Date(now) };
    const replica = (knex: Knex, instanceId: string) =>
      createTestInstance({
        knex,
        sandboxUrl: sandbox.url,
        instanceId,
        entities: [catalogUser('alice'), catalogUser('bob')],
        clock,
        skipMigrations: true,
      });
    const a = await replica(knexA, 'replica-a');
    const b = await replica(knexB, 'replica-b');
    const store = DatabaseRequestStore.create({ knex: knexA });
    const accountId = seed.accounts['data-dev'];
    const request = await store.create({
      requesterRef: 'user:default/alice',
      accountId,
      accountName: 'data-dev',
      permissionSetArn: seed.permissionSets.ReadOnlyAccess,
      permissionSetName: 'ReadOnlyAccess',
      status: 'approved',
      startTime: new Date(now),
      endTime: new Date(now + 60 * MINUTE),
      durationMinutes: 60,
      justification: 'Ending open sessions',
      approvalRequired: false,
      minApprovals: 0,
      approverRefs: [],
      policyIds: [],
      createdAt: new Date(now),
    });
    const status = async () => (await store.get(request.id))!.status;
    const both = (job: 'lifecycle' | 'endSessions') =>
      Promise.all([a[job].run(), b[job].run()]);
    for (let i = 0; i < 5 && (await status()) !== 'active'; i++) {
      await both('lifecycle');
    }
    expect(await status()).toBe('active');

    // revoked early, 20 minutes in
    now += 20 * MINUTE;
    const revokedAt = new Date(now);
    expect(
      (
        await store.revoke({
          id: request.id,
          from: 'active',
          to: 'revoking',
          action: 'revoke',
          actorRef: 'user:default/dave',
          now: revokedAt,
          message: 'Revoked by user:default/dave',
        })
      ).status,
    ).toBe('revoking');
    await sandbox.clearCalls();
    for (let i = 0; i < 5 && (await status()) !== 'revoked'; i++) {
      await both('lifecycle');
    }
    expect(await status()).toBe('revoked');
    // nothing is blocked before the assignment is gone
    expect(await inlinePolicy()).toEqual(ADMIN_POLICY);

    await Promise.all([both('endSessions'), both('endSessions')]);
    const blocked = await inlinePolicy();
    // the admin's statement is kept as written, first
    expect(blocked.Statement[0]).toEqual(ADMIN_POLICY.Statement[0]);
    const own = blocked.Statement.filter((s: any) =>
      s.Sid.startsWith(SID_PREFIX),
    );
    expect(blocked.Statement).toHaveLength(2);
    expect(own).toEqual([
      {
        Sid: expect.stringMatching(/^[A-Za-z0-9]+$/),
        Effect: 'Deny',
        Action: '*',
        Resource: '*',
        Condition: {
          StringLike: { 'aws:userid': 'AROA*:alice' },
          StringEquals: { 'aws:PrincipalAccount': accountId },
          DateLessThan: { 'aws:TokenIssueTime': '2026-11-21T09:20:00Z' },
        },
      },
    ]);
    const calls = await sandbox.calls({
      operations: [
        'PutInlinePolicyToPermissionSet',
        'DeleteInlinePolicyFromPermissionSet',
        'ProvisionPermissionSet',
        'DescribePermissionSetProvisioningStatus',
      ],
    });
    const ok = (op: string) =>
      calls.filter(c => c.operation === op && c.status === 200);
    // once, whichever replica did it
    expect(ok('PutInlinePolicyToPermissionSet')).toHaveLength(1);
    expect(ok('ProvisionPermissionSet').map(c => c.params)).toEqual([
      expect.objectContaining({
        PermissionSetArn: seed.permissionSets.ReadOnlyAccess,
        TargetType: 'AWS_ACCOUNT',
        TargetId: accountId,
      }),
    ]);
    const history = async () =>
      (await store.events(request.id)).map(e => [e.action, e.message]);
    expect(await history()).toContainEqual([
      'sessions-ended',
      expect.stringMatching(
        /^Open sessions were ended at 2026-11-21T09:20:00\.000Z: sessions of alice in account \d+ issued before 2026-11-21T09:20:00Z are denied .* until 2026-11-21T10:20:00\.000Z$/,
      ),
    ]);

    // still in place while sessions issued before the revocation may live
    now += 59 * MINUTE;
    await both('endSessions');
    expect((await inlinePolicy()).Statement).toHaveLength(2);

    // the permission set's session duration (PT1H) has passed
    now += 2 * MINUTE;
    await sandbox.clearCalls();
    await Promise.all([both('endSessions'), both('endSessions')]);
    expect(await inlinePolicy()).toEqual(ADMIN_POLICY);
    const lifted = await sandbox.calls({
      operations: ['PutInlinePolicyToPermissionSet', 'ProvisionPermissionSet'],
    });
    expect(lifted.filter(c => c.status === 200).map(c => c.operation)).toEqual([
      'PutInlinePolicyToPermissionSet',
      'ProvisionPermissionSet',
    ]);
    expect(await history()).toContainEqual([
      'sessions-block-removed',
      expect.stringContaining('Session block removed'),
    ]);
    // nothing more to do
    await sandbox.clearCalls();
    await both('endSessions');
    expect(await sandbox.calls()).toEqual([]);
  });

  it('a failed provisioning is retried until it succeeds, and said in the history', async () => {
    let now = Date.UTC(2026, 10, 21, 9, 0, 0);
    const clock = { now: () => new Date(now) };
    const a = await createTestInstance({
      knex: knexA,
      sandboxUrl: sandbox.url,
      instanceId: 'replica-a',
      entities: [catalogUser('alice')],
      clock,
      skipMigrations: true,
    });
    const store = DatabaseRequestStore.create({ knex: knexA });
    const request = await store.create({
      requesterRef: 'user:default/alice',
      accountId: seed.accounts['data-dev'],
      accountName: 'data-dev',
      permissionSetArn: seed.permissionSets.ReadOnlyAccess,
      permissionSetName: 'ReadOnlyAccess',
      status: 'approved',
      startTime: new Date(now),
      endTime: new Date(now + 30 * MINUTE),
      durationMinutes: 30,
      justification: 'Ending open sessions on time',
      approvalRequired: false,
      minApprovals: 0,
      approverRefs: [],
      policyIds: [],
      createdAt: new Date(now),
    });
    await a.lifecycle.run();
    expect((await store.get(request.id))!.status).toBe('active');
    // ends on time: blocked too (endSessions.onExpiry defaults to true)
    now += 31 * MINUTE;
    await a.lifecycle.run();
    expect((await store.get(request.id))!.status).toBe('ended');

    await sandbox.setFaults({
      failProvisioningReason: 'Role is being updated',
      inProgressPolls: 1,
    });
    await a.endSessions.run();
    const actions = async () =>
      (await store.events(request.id)).map(e => e.action);
    expect(await actions()).toContain('end-sessions-retry');
    expect(await actions()).not.toContain('sessions-ended');
    // the statement was put; only its provisioning has to be done again
    expect((await inlinePolicy()).Statement).toHaveLength(1);

    await sandbox.clearFaults();
    now += 10 * 1000; // past the first backoff (5 s)
    await a.endSessions.run();
    expect(await actions()).toContain('sessions-ended');
    // no statement of the admin's: the plugin's own inline policy goes at the end
    now += 61 * MINUTE;
    await a.endSessions.run();
    expect(await inlinePolicy()).toBeUndefined();
  });
});
