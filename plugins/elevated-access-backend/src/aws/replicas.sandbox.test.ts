import {
  ListAccountAssignmentsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import {
  RunningSandbox,
  SandboxCall,
  startSandbox,
} from '@internal/aws-sandbox';
import knexFactory, { Knex } from 'knex';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describePostgres, testDatabases } from '../__testUtils__/databases';
import { userRef } from '../__testUtils__/fixtures';
import {
  catalogUser,
  createSandboxUsers,
  createTestInstance,
} from '../__testUtils__/instance';
import { applyMigrations } from '../database/migrations';
import { DatabaseRequestStore, NewRequest } from '../database/RequestStore';

jest.setTimeout(300_000);

/*
 * Replicas and crashes: several plugin instances on one database never act
 * twice, and a process killed between the AWS call and the database write is
 * repaired by the next run, with nothing lost.
 */

const MINUTE = 60_000;
testDatabases();

function approvedRequest(
  user: string,
  accountId: string,
  accountName: string,
  permissionSetArn: string,
  start: Date,
  minutes: number,
): NewRequest {
  return {
    requesterRef: userRef(user),
    accountId,
    accountName,
    permissionSetArn,
    permissionSetName: 'ReadOnlyAccess',
    status: 'approved',
    startTime: start,
    endTime: new Date(start.getTime() + minutes * MINUTE),
    durationMinutes: minutes,
    justification: 'Replica and crash tests',
    approvalRequired: false,
    minApprovals: 0,
    approverRefs: [],
    policyIds: [],
    createdAt: start,
  };
}

const tripleKey = (c: SandboxCall) =>
  `${c.params.PrincipalId}|${c.params.TargetId}|${c.params.PermissionSetArn}`;

function countBy(calls: SandboxCall[]) {
  const counts = new Map<string, number>();
  for (const c of calls.filter(x => x.status === 200)) {
    counts.set(tripleKey(c), (counts.get(tripleKey(c)) ?? 0) + 1);
  }
  return counts;
}

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(() => sandbox?.stop());

describePostgres('two replicas running the lifecycle of 200 requests', init => {
  it('create each assignment once and delete it once, leaving nothing behind', async () => {
    const knexA = await init();
    const knexB = knexFactory(knexA.client.config);
    await sandbox.reset();
    const seed = await sandbox.seedDemo();
    const users = Array.from(
      { length: 40 },
      (_, i) => `replica-user-${String(i).padStart(2, '0')}`,
    );
    await createSandboxUsers(sandbox, seed.identityStoreId, users);
    const accounts = [
      'payments-prod',
      'data-prod',
      'payments-dev',
      'data-dev',
      'audit',
    ];
    let now = Date.now();
    const clock = { now: () => new Date(now) };
    const entities = users.map(u => catalogUser(u));
    await applyMigrations(knexA);
    const a = await createTestInstance({
      knex: knexA,
      sandboxUrl: sandbox.url,
      instanceId: 'replica-a',
      entities,
      clock,
      skipMigrations: true,
    });
    const b = await createTestInstance({
      knex: knexB,
      sandboxUrl: sandbox.url,
      instanceId: 'replica-b',
      entities,
      clock,
      skipMigrations: true,
    });

    const store = DatabaseRequestStore.create({ knex: knexA });
    for (const user of users) {
      for (const account of accounts) {
        await store.create(
          approvedRequest(
            user,
            seed.accounts[account],
            account,
            seed.permissionSets.ReadOnlyAccess,
            new Date(now),
            30,
          ),
        );
      }
    }
    const count = async (status: string) =>
      Number(
        (await knexA('requests').where({ status }).count({ n: '*' }))[0].n,
      );
    /**
     * Runs both replicas' lifecycle (10 rounds at most) until all 200
     * requests are `status`.
     */
    const runBothUntilAll = async (status: string) => {
      for (let round = 0; round < 10 && (await count(status)) < 200; round++) {
        await Promise.all([a.lifecycle.run(), b.lifecycle.run()]);
      }
      expect(await count(status)).toBe(200);
    };
    /** Each of the 200 assignments had exactly one successful `operation` call. */
    const expectOnceEach = async (operation: string) => {
      const calls = countBy(await sandbox.calls({ operations: [operation] }));
      expect(calls.size).toBe(200);
      expect([...calls.values()].every(n => n === 1)).toBe(true);
    };
    await sandbox.clearCalls();

    await runBothUntilAll('active');
    await expectOnceEach('CreateAccountAssignment');
    // both replicas did part of the work
    expect(a.aws.queue.stats.calls).toBeGreaterThan(0);
    expect(b.aws.queue.stats.calls).toBeGreaterThan(0);

    now += 31 * MINUTE;
    await runBothUntilAll('ended');
    await expectOnceEach('DeleteAccountAssignment');

    const sso = new SSOAdminClient(sandbox.clientConfig());
    for (const account of accounts) {
      const left = await sso.send(
        new ListAccountAssignmentsCommand({
          InstanceArn: seed.instanceArn,
          AccountId: seed.accounts[account],
          PermissionSetArn: seed.permissionSets.ReadOnlyAccess,
        }),
      );
      expect(left.AccountAssignments).toEqual([]);
    }
    // every assignment is remembered as plugin-made and known to be gone
    expect(
      await knexA('assignments')
        .select('present')
        .count({ n: '*' })
        .groupBy('present'),
    ).toEqual([{ present: false, n: '200' }]);
    await knexB.destroy();
  });
});

describe('a process killed between the AWS call and the database write', () => {
  const LEASE_MS = 1_500;
  let dir: string;
  let knex: Knex;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'elevated-access-crash-'));
    knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'db.sqlite') },
      useNullAsDefault: true,
    });
    await applyMigrations(knex);
  });
  afterAll(async () => {
    await knex.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function runDoomedReplica(phase: 'grant' | 'revoke') {
    return new Promise<{
      code: number | null;
      signal: NodeJS.Signals | null;
      stderr: string;
    }>(resolve => {
      const child = spawn(
        process.execPath,
        [
          '--require',
          require.resolve('@backstage/cli/config/nodeTransform.cjs'),
          path.join(__dirname, '..', '__testUtils__', 'crashWorker.ts'),
        ],
        {
          env: {
            ...process.env,
            CRASH_AFTER: phase,
            CRASH_DB: path.join(dir, 'db.sqlite'),
            CRASH_SANDBOX: sandbox.url,
            CRASH_LEASE_MS: String(LEASE_MS),
          },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      child.stderr!.on('data', d => {
        stderr += d;
      });
      child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
    });
  }

  it('is repaired on restart: the grant completes once, the revocation completes', async () => {
    await sandbox.reset();
    const seed = await sandbox.seedDemo();
    const store = DatabaseRequestStore.create({ knex });
    const request = await store.create(
      approvedRequest(
        'alice',
        seed.accounts['data-dev'],
        'data-dev',
        seed.permissionSets.ReadOnlyAccess,
        new Date(),
        30,
      ),
    );
    const assignment = async () => {
      const res = await new SSOAdminClient(sandbox.clientConfig()).send(
        new ListAccountAssignmentsCommand({
          InstanceArn: seed.instanceArn,
          AccountId: seed.accounts['data-dev'],
          PermissionSetArn: seed.permissionSets.ReadOnlyAccess,
        }),
      );
      return res.AccountAssignments?.filter(
        x => x.PrincipalId === seed.users.alice,
      ).length;
    };
    await sandbox.clearCalls();

    // 1. killed right after CreateAccountAssignment succeeded
    const grantCrash = await runDoomedReplica('grant');
    expect({
      signal: grantCrash.signal,
      code: grantCrash.code,
      stderr: grantCrash.stderr,
    }).toEqual({ signal: 'SIGKILL', code: null, stderr: '' });
    expect(await store.get(request.id)).toMatchObject({ status: 'granting' });
    expect(await assignment()).toBe(1);

    // 2. a restarted replica takes over once the dead one's lease has run out
    await new Promise(r => setTimeout(r, LEASE_MS + 200));
    const restarted = await createTestInstance({
      knex,
      sandboxUrl: sandbox.url,
      instanceId: 'restarted-replica',
      entities: [catalogUser('alice')],
      skipMigrations: true,
    });
    await restarted.lifecycle.run();
    expect(await store.get(request.id)).toMatchObject({ status: 'active' });
    expect(await assignment()).toBe(1);
    // created once: the retry saw the assignment and did not make it again,
    // and did not take the plugin's own assignment for a pre-existing one
    expect(
      await sandbox.calls({ operations: ['CreateAccountAssignment'] }),
    ).toHaveLength(1);
    expect(await knex('assignments').first('pre_existing')).toMatchObject({
      pre_existing: 0,
    });

    // 3. the access ends; killed right after DeleteAccountAssignment succeeded
    await knex('requests')
      .where({ id: request.id })
      .update({ end_time: new Date(Date.now() - 1000) });
    const revokeCrash = await runDoomedReplica('revoke');
    expect(revokeCrash.signal).toBe('SIGKILL');
    expect(await store.get(request.id)).toMatchObject({ status: 'revoking' });
    expect(await assignment()).toBe(0);

    await new Promise(r => setTimeout(r, LEASE_MS + 200));
    await restarted.lifecycle.run();
    const ended = (await store.get(request.id))!;
    expect(ended.status).toBe('ended');
    expect(await assignment()).toBe(0);
    expect(await knex('assignments').select('pre_existing', 'present')).toEqual(
      [{ pre_existing: 0, present: 0 }],
    );
    const history = (await store.events(request.id)).map(e => [
      e.action,
      e.toStatus,
    ]);
    expect(history).toEqual([
      ['create', 'approved'],
      ['start-grant', 'granting'],
      ['grant-succeeded', 'active'],
      ['end', 'revoking'],
      ['revoke-succeeded', 'ended'],
    ]);
  });
});
