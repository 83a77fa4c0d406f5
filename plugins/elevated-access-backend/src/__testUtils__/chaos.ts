/*
 * The chaos scenario, shared by chaos.sandbox.test.ts and bench/chaos.bench.ts:
 * two plugin replicas as processes of their own (replicaWorker.ts) on one
 * PostgreSQL database, against the AWS sandbox throttling half of Identity
 * Center's assignment calls and enforcing its 20 calls/s. About 120 short
 * requests start over the first 20 s; replica A is killed (SIGKILL) at +15 s,
 * replica B is stopped gracefully (SIGTERM) at +35 s and started again as a
 * new process. The scenario runs until every request has ended (or a hard
 * bound) and returns what happened: the requests with their events, the
 * sandbox's call record, and when each replica came and went. It asserts
 * nothing; the test and the benchmark judge the result.
 */
import {
  IdentitystoreClient,
  ListUsersCommand,
} from '@aws-sdk/client-identitystore';
import {
  ListAccountAssignmentsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import {
  SandboxCall,
  SandboxControl,
  SandboxFaults,
} from '@internal/aws-sandbox';
import { Knex } from 'knex';
import { applyMigrations } from '../database/migrations';
import { userRef } from './fixtures';
import { DatabaseRequestStore } from '../database/RequestStore';
import { createSandboxUsers } from './instance';
import { ChaosReplica, ReplicaProcess, sleep } from './replicaProcess';

/** The Identity Center calls that count against its assignment limits. */
export const LIMITED_OPERATIONS = [
  'CreateAccountAssignment',
  'DeleteAccountAssignment',
  'DescribeAccountAssignmentCreationStatus',
  'DescribeAccountAssignmentDeletionStatus',
];

/** Half of the assignment calls throttled, one IN_PROGRESS poll, 20 calls/s. */
export const CHAOS_FAULTS: SandboxFaults = {
  throttleRate: 0.5,
  operations: LIMITED_OPERATIONS,
  inProgressPolls: 1,
  identityCenterCallsPerSecond: 20,
};

export const CHAOS_ACCOUNTS = [
  'payments-prod',
  'data-prod',
  'payments-dev',
  'data-dev',
  'audit',
];

export interface ChaosOptions {
  /** A database of the scenario's own on PostgreSQL (migrated here). */
  knex: Knex;
  sandbox: SandboxControl;
  /** Sandbox users; each gets one request per demo account (default 24: 120 requests). */
  users?: number;
  /** Start times spread over this long from T (default 20 s). */
  startSpreadMs?: number;
  /**
   * Windows between these lengths (default 110–125 s: long enough that work
   * the killed replica held, taken over after its lease, is still granted in
   * its window on a busy machine).
   */
  windowMs?: [number, number];
  /** When replica A is killed (default T+15 s). */
  killAtMs?: number;
  /** When replica B is stopped and started again (default T+35 s). */
  restartAtMs?: number;
  /** Give up waiting for every request to end after this long (default 5 min). */
  hardLimitMs?: number;
  /** The replicas' claim lease (default: the plugin's, 30 s). */
  leaseMs?: number;
  /** How often each replica runs the lifecycle (default 1 s) and the reconciler (default 5 s). */
  lifecycleEveryMs?: number;
  reconcileEveryMs?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface ChaosEvent {
  action: string;
  toStatus?: string;
  actorRef: string;
  /** epoch ms */
  at: number;
}

export interface ChaosRequest {
  id: string;
  user: string;
  accountId: string;
  permissionSetArn: string;
  /** The Identity Center user id of the requester. */
  principalId: string;
  /** epoch ms */
  start: number;
  end: number;
  grantedAt?: number;
  endedAt?: number;
  status: string;
  events: ChaosEvent[];
}

export interface ChaosResult {
  /** T: when the first request starts (epoch ms). */
  startedAt: number;
  /** When A was killed. */
  killAt: number;
  /** Requests A held a live claim on when it was killed (left for its lease to run out). */
  heldByKilled: string[];
  /** Assignment locks A held when it was killed. */
  locksOfKilled: number;
  /** When B was sent SIGTERM, when it had exited, when B2 was ready. */
  sigtermAt: number;
  stoppedAt: number;
  restartedAt: number;
  finishedAt: number;
  /** The bound was hit before every request had ended. */
  timedOut: boolean;
  requests: ChaosRequest[];
  /** Every AWS call the sandbox received from T on (`time` in epoch seconds). */
  calls: SandboxCall[];
  /** Assignments of the demo accounts left in the sandbox at the end. */
  remaining: Array<{ accountId: string; principalId: string }>;
  /** Ledger rows still saying the assignment is present. */
  ledgerPresent: Array<{ principal_id: string; account_id: string }>;
  replicas: ChaosReplica[];
}

/** epoch ms of a sandbox call */
export const callMs = (c: SandboxCall) => c.time * 1000;

export const tripleKey = (t: {
  principalId: string;
  accountId: string;
  permissionSetArn: string;
}) => `${t.principalId}|${t.accountId}|${t.permissionSetArn}`;

export const callTripleKey = (c: SandboxCall) =>
  tripleKey({
    principalId: c.params.PrincipalId,
    accountId: c.params.TargetId,
    permissionSetArn: c.params.PermissionSetArn,
  });

/** The most calls in any 1 s window [t, t + 1 s). */
export function peakPerSecond(calls: SandboxCall[]): number {
  const times = calls.map(callMs).sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (j < times.length && times[j] < times[i] + 1000) j++;
    peak = Math.max(peak, j - i);
  }
  return peak;
}

async function userIds(
  sandbox: SandboxControl,
  identityStoreId: string,
): Promise<Map<string, string>> {
  const client = new IdentitystoreClient(sandbox.clientConfig());
  const ids = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListUsersCommand({
        IdentityStoreId: identityStoreId,
        NextToken: token,
      }),
    );
    for (const u of page.Users ?? []) ids.set(u.UserName!, u.UserId!);
    token = page.NextToken;
  } while (token);
  return ids;
}

/** Runs the scenario; always stops every replica it started. */
export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const { knex, sandbox } = options;
  const log = options.log ?? (() => {});
  const userCount = options.users ?? 24;
  const spreadMs = options.startSpreadMs ?? 20_000;
  const [minWindow, maxWindow] = options.windowMs ?? [110_000, 125_000];
  const killAtMs = options.killAtMs ?? 15_000;
  const restartAtMs = options.restartAtMs ?? 35_000;
  const hardLimitMs = options.hardLimitMs ?? 300_000;

  await applyMigrations(knex);
  await sandbox.reset();
  const seed = await sandbox.seedDemo();
  const users = Array.from(
    { length: userCount },
    (_, i) => `chaos-user-${String(i).padStart(2, '0')}`,
  );
  await createSandboxUsers(sandbox, seed.identityStoreId, users);
  const principals = await userIds(sandbox, seed.identityStoreId);
  await sandbox.setFaults(CHAOS_FAULTS);

  const replicaEnv: Record<string, string> = {
    REPLICA_DB: JSON.stringify({
      client: knex.client.config.client,
      connection: knex.client.config.connection,
    }),
    REPLICA_SANDBOX: sandbox.url,
    REPLICA_USERS: JSON.stringify(users),
  };
  if (options.leaseMs) replicaEnv.REPLICA_LEASE_MS = String(options.leaseMs);
  if (options.lifecycleEveryMs)
    replicaEnv.REPLICA_LIFECYCLE_MS = String(options.lifecycleEveryMs);
  if (options.reconcileEveryMs)
    replicaEnv.REPLICA_RECONCILE_MS = String(options.reconcileEveryMs);
  const replicas: ReplicaProcess[] = [];
  const startReplica = (name: string, instanceId: string) => {
    const replica = new ReplicaProcess(name, instanceId, replicaEnv);
    replicas.push(replica);
    return replica;
  };

  try {
    const a = startReplica('A', 'replica-a');
    const b = startReplica('B', 'replica-b');
    await Promise.all([a.ready, b.ready]);
    log(
      `replicas ready after ${((Date.now() - a.info.spawnedAt) / 1000).toFixed(
        1,
      )} s`,
    );

    // every (user, account) once: each assignment is created exactly once
    await sandbox.clearCalls();
    const startedAt = Date.now();
    const store = DatabaseRequestStore.create({ knex });
    const planned: Omit<ChaosRequest, 'events' | 'status'>[] = [];
    const total = users.length * CHAOS_ACCOUNTS.length;
    for (let i = 0; i < total; i++) {
      const user = users[i % users.length];
      const account = CHAOS_ACCOUNTS[Math.floor(i / users.length)];
      const start = startedAt + Math.floor((i / total) * spreadMs);
      // window lengths spread evenly over [minWindow, maxWindow]
      const end =
        start +
        minWindow +
        Math.round((((i * 7) % 16) / 15) * (maxWindow - minWindow));
      const created = await store.create({
        requesterRef: userRef(user),
        accountId: seed.accounts[account],
        accountName: account,
        permissionSetArn: seed.permissionSets.ReadOnlyAccess,
        permissionSetName: 'ReadOnlyAccess',
        status: 'approved',
        startTime: new Date(start),
        endTime: new Date(end),
        durationMinutes: Math.ceil((end - start) / 60_000),
        justification: 'Chaos scenario',
        approvalRequired: false,
        minApprovals: 0,
        approverRefs: [],
        policyIds: [],
        createdAt: new Date(startedAt),
      });
      planned.push({
        id: created.id,
        user,
        accountId: seed.accounts[account],
        permissionSetArn: seed.permissionSets.ReadOnlyAccess,
        principalId: principals.get(user)!,
        start,
        end,
      });
    }
    log(`${total} requests inserted in ${Date.now() - startedAt} ms`);
    const at = (ms: number) => sleep(Math.max(0, startedAt + ms - Date.now()));

    // T+15 s: A dies with whatever it holds
    await at(killAtMs);
    a.kill('SIGKILL');
    const killAt = Date.now();
    await a.exited;
    const held = await knex('requests')
      .whereIn('claimed_by', ['replica-a', 'replica-a/reconcile'])
      .where('claimed_until', '>', new Date())
      .select('id', 'status');
    const locks = await knex('assignments')
      .where('locked_by', 'like', 'replica-a%')
      .where('locked_until', '>', new Date())
      .count({ n: '*' });
    log(
      `A killed at +${((killAt - startedAt) / 1000).toFixed(1)} s holding ${
        held.length
      } requests (${held.map(h => h.status).join(', ')}) and ${
        locks[0].n
      } assignment locks`,
    );

    // T+35 s: B stops gracefully and comes back as a new process
    await at(restartAtMs);
    const sigtermAt = Date.now();
    await b.stop();
    const stoppedAt = Date.now();
    log(
      `B stopped in ${stoppedAt - sigtermAt} ms (code ${b.info.code}, signal ${
        b.info.signal
      })`,
    );
    const b2 = startReplica('B2', 'replica-b2');
    await b2.ready;
    const restartedAt = Date.now();
    log(`B2 ready at +${((restartedAt - startedAt) / 1000).toFixed(1)} s`);

    let timedOut = false;
    for (;;) {
      const open = Number(
        (
          await knex('requests').whereNot({ status: 'ended' }).count({ n: '*' })
        )[0].n,
      );
      if (open === 0) break;
      if (Date.now() - startedAt > hardLimitMs) {
        timedOut = true;
        log(`gave up with ${open} requests not ended`);
        break;
      }
      await sleep(1000);
    }
    const finishedAt = Date.now();
    log(`all ended at +${((finishedAt - startedAt) / 1000).toFixed(1)} s`);
    await Promise.all(replicas.map(r => r.stop()));

    const calls = await sandbox.calls({ since: startedAt / 1000 - 1 });
    const sso = new SSOAdminClient(sandbox.clientConfig());
    const remaining: ChaosResult['remaining'] = [];
    for (const account of CHAOS_ACCOUNTS) {
      let token: string | undefined;
      do {
        const page = await sso.send(
          new ListAccountAssignmentsCommand({
            InstanceArn: seed.instanceArn,
            AccountId: seed.accounts[account],
            PermissionSetArn: seed.permissionSets.ReadOnlyAccess,
            NextToken: token,
          }),
        );
        for (const x of page.AccountAssignments ?? []) {
          remaining.push({
            accountId: x.AccountId!,
            principalId: x.PrincipalId!,
          });
        }
        token = page.NextToken;
      } while (token);
    }
    const ledgerPresent = await knex('assignments')
      .where({ present: true })
      .select('principal_id', 'account_id');

    const requests: ChaosRequest[] = [];
    for (const p of planned) {
      const row = (await store.get(p.id))!;
      requests.push({
        ...p,
        status: row.status,
        grantedAt: row.grantedAt ? Date.parse(row.grantedAt) : undefined,
        endedAt: row.endedAt ? Date.parse(row.endedAt) : undefined,
        events: (await store.events(p.id)).map(e => ({
          action: e.action,
          toStatus: e.toStatus,
          actorRef: e.actorRef,
          at: Date.parse(e.createdAt),
        })),
      });
    }

    return {
      startedAt,
      killAt,
      heldByKilled: held.map(h => h.id),
      locksOfKilled: Number(locks[0].n),
      sigtermAt,
      stoppedAt,
      restartedAt,
      finishedAt,
      timedOut,
      requests,
      calls,
      remaining,
      ledgerPresent,
      replicas: replicas.map(r => r.info),
    };
  } finally {
    for (const r of replicas) r.kill('SIGKILL');
    await Promise.all(replicas.map(r => r.exited));
  }
}
