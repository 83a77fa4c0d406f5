/*
 * Provisioning benchmarks (issue 4), against the AWS sandbox over the wire
 * with Identity Center's limits enforced by the sandbox (20 calls/s, 10 in
 * flight) and CloudTrail's LookupEvents limit (2 calls/s per account):
 *
 * 1. revocation storm: 1,000 grants ending in the same minute; time to revoke
 *    them all next to the floor the rate limit allows for the calls made,
 *    with deletions done at once and with Identity Center's IN_PROGRESS for
 *    one status poll per call (the polls count in the floor);
 * 2. start-to-grant and end-to-deletion lag, not under load, with each
 *    replica's due timer on and the lifecycle task at its default period
 *    (10 s): p50/p99/max;
 * 3. activity ingestion of 10,000 events for one session next to the floor of
 *    2 calls/s.
 *
 * PostgreSQL: BENCH_PG (default postgresql://postgres@127.0.0.1:5432).
 */
import {
  catalogUser,
  createSandboxUsers,
  createTestInstance,
} from '../src/__testUtils__/instance';
import { ActivityStore } from '../src/database/ActivityStore';
import { DatabaseRequestStore } from '../src/database/RequestStore';
import { ActivityStep } from '../src/jobs/ActivityStep';
import { percentile } from './benchDatabase';
import {
  IDENTITY_CENTER_CALLS_PER_SECOND,
  IDENTITY_CENTER_LIMITS,
  rateLimitFloorSeconds,
  runSandboxBench,
  SandboxBenchRun,
} from './benchSandbox';

const DB = 'elevated_access_bench_provisioning';
const STORM = Number(process.env.BENCH_STORM ?? 1000);
const LAG_GRANTS = Number(process.env.BENCH_LAG_GRANTS ?? 60);
// the lifecycle task's default period (schedule.frequency)
const FREQUENCY_S = Number(process.env.BENCH_FREQUENCY_S ?? 10);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const MINUTE = 60_000;
/** CloudTrail's LookupEvents limit per account (and region). */
const LOOKUP_EVENTS_PER_SECOND = 2;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));
const pct = percentile;

async function main({ sandbox, seed, knex }: SandboxBenchRun) {
  const store = DatabaseRequestStore.create({ knex });
  const accounts = [
    'payments-prod',
    'data-prod',
    'payments-dev',
    'data-dev',
    'audit',
  ];

  // Identity Center users and matching catalog users for 1,000 distinct assignments
  const users = Array.from(
    { length: Math.ceil(STORM / accounts.length) },
    (_, i) => `bench-${String(i).padStart(3, '0')}`,
  );
  await createSandboxUsers(sandbox, seed.identityStoreId, users);
  const entities = users.map(u => catalogUser(u));
  let now = Date.now();
  const clock = { now: () => new Date(now) };
  const createApproved = async (
    user: string,
    account: string,
    start: Date,
    endMs: number,
  ) =>
    store.create({
      requesterRef: `user:default/${user}`,
      accountId: seed.accounts[account],
      accountName: account,
      permissionSetArn: seed.permissionSets.ReadOnlyAccess,
      permissionSetName: 'ReadOnlyAccess',
      status: 'approved',
      startTime: start,
      endTime: new Date(endMs),
      durationMinutes: Math.max(
        1,
        Math.round((endMs - start.getTime()) / MINUTE),
      ),
      justification: 'Benchmark',
      approvalRequired: false,
      minApprovals: 0,
      approverRefs: [],
      policyIds: [],
      createdAt: start,
    });

  // ---- 1. revocation storm --------------------------------------------------
  const setup = await createTestInstance({
    knex,
    sandboxUrl: sandbox.url,
    instanceId: 'bench-setup',
    entities,
    clock,
    skipMigrations: true,
    limits: { maxInFlight: 50, callsPerSecond: 1000 },
  });
  const storm = await createTestInstance({
    knex,
    sandboxUrl: sandbox.url,
    instanceId: 'bench-storm',
    entities,
    clock,
    skipMigrations: true,
  });
  const stormRows: string[] = [];
  /** Grants STORM assignments without limits, then ends them all at once under the limits. */
  const runStorm = async (inProgressPolls: number) => {
    await sandbox.clearFaults();
    await knex('requests').delete();
    const endsAt = now + 30 * MINUTE;
    let made = 0;
    for (const user of users) {
      for (const account of accounts) {
        if (made++ < STORM)
          await createApproved(user, account, new Date(now), endsAt);
      }
    }
    let t = Date.now();
    await setup.lifecycle.run();
    const active = Number(
      (await knex('requests').where({ status: 'active' }).count({ n: '*' }))[0]
        .n,
    );
    console.log(
      `\nsetup: ${active} grants active in ${((Date.now() - t) / 1000).toFixed(
        1,
      )} s (no limits)`,
    );
    await sandbox.setFaults({ ...IDENTITY_CENTER_LIMITS, inProgressPolls });
    now = endsAt + 1000; // all of them ended a second ago
    await sandbox.clearCalls();
    t = Date.now();
    for (let i = 0; i < 20; i++) {
      await storm.lifecycle.run();
      const left = Number(
        (
          await knex('requests').whereNot({ status: 'ended' }).count({ n: '*' })
        )[0].n,
      );
      if (!left) break;
    }
    const stormSeconds = (Date.now() - t) / 1000;
    const limited = await sandbox.calls({
      operations: [
        'CreateAccountAssignment',
        'DeleteAccountAssignment',
        'DescribeAccountAssignmentCreationStatus',
        'DescribeAccountAssignmentDeletionStatus',
      ],
    });
    const ended = Number(
      (await knex('requests').where({ status: 'ended' }).count({ n: '*' }))[0]
        .n,
    );
    const throttled = limited.filter(
      c => c.error === 'ThrottlingException',
    ).length;
    const polls = limited.filter(c =>
      c.operation.startsWith('Describe'),
    ).length;
    // the first 20 calls fit in the sandbox's initial bucket, the rest at
    // 20/s; status polls count (they share the quota)
    const floor = rateLimitFloorSeconds(
      limited.length,
      IDENTITY_CENTER_CALLS_PER_SECOND,
    );
    stormRows.push(
      `| ${
        inProgressPolls
          ? `IN_PROGRESS for ${inProgressPolls} poll per call`
          : 'done at once'
      } | ${STORM} | ${ended} | ${
        limited.length
      } | ${polls} | ${throttled} | ${stormSeconds.toFixed(
        1,
      )} s | ${floor.toFixed(1)} s | ${(stormSeconds / floor).toFixed(2)}x |`,
    );
  };
  await runStorm(0);
  await runStorm(1);
  console.log(
    '\n1. Revocation storm (sandbox enforcing 20 calls/s and 10 in flight)',
  );
  console.log(
    '| status answers | grants ended | revoked | Identity Center calls | of which status polls | throttled | time | rate-limit floor (polls counted) | time / floor |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const row of stormRows) console.log(row);
  console.log('Goal: within 1.15x of the floor.');

  // ---- 2. lag from start to grant and from end to deletion, not under load --
  await sandbox.clearFaults();
  await knex('requests').delete();
  await knex('events').delete();
  now = Date.now();
  const lagUsers = users.slice(0, LAG_GRANTS);
  const spreadMs = 60_000;
  const lagStarted = Date.now();
  for (let i = 0; i < lagUsers.length; i++) {
    // starts spread over a minute, at odd milliseconds; each lasts a minute
    const start = now + 15_000 + Math.floor((i / lagUsers.length) * spreadMs);
    await createApproved(
      lagUsers[i],
      'payments-prod',
      new Date(start),
      start + MINUTE,
    );
  }
  const realtime = await createTestInstance({
    knex,
    sandboxUrl: sandbox.url,
    instanceId: 'bench-lag',
    entities,
    skipMigrations: true,
  });
  await sandbox.clearCalls();
  // each replica's due timer, as the plugin starts it
  realtime.dueTimer.start();
  const stopAt = now + 15_000 + spreadMs + MINUTE + FREQUENCY_S * 1000 + 5_000;
  // the lifecycle task at its frequency, as the scheduler runs it
  while (Date.now() < stopAt) {
    const started = Date.now();
    await realtime.lifecycle.run();
    await sleep(Math.max(0, FREQUENCY_S * 1000 - (Date.now() - started)));
  }
  await realtime.shutdown();
  const rows: Array<{
    principal_id: string;
    start_time: Date;
    end_time: Date;
    granted_at: Date;
    ended_at: Date;
  }> = await knex('requests').select(
    'principal_id',
    'start_time',
    'end_time',
    'granted_at',
    'ended_at',
  );
  const byPrincipal = new Map(rows.map(r => [r.principal_id, r]));
  const ms = (d: Date | string | number) => new Date(d).getTime();
  const callLags = async (operation: string, due: (r: any) => number) =>
    (await sandbox.calls({ operations: [operation] }))
      .filter(c => c.status === 200 && byPrincipal.has(c.params.PrincipalId))
      .map(
        c =>
          (c.time * 1000 - due(byPrincipal.get(c.params.PrincipalId))) / 1000,
      );
  const startToCreate = await callLags('CreateAccountAssignment', r =>
    ms(r.start_time),
  );
  const endToDelete = await callLags('DeleteAccountAssignment', r =>
    ms(r.end_time),
  );
  const startToGranted = rows
    .filter(r => r.granted_at)
    .map(r => (ms(r.granted_at) - ms(r.start_time)) / 1000);
  const endToEnded = rows
    .filter(r => r.ended_at)
    .map(r => (ms(r.ended_at) - ms(r.end_time)) / 1000);
  const line = (what: string, lags: number[]) =>
    `| ${what} | ${lags.length} of ${LAG_GRANTS} | ${pct(lags, 50).toFixed(
      2,
    )} s | ${pct(lags, 99).toFixed(2)} s | ${Math.max(...lags).toFixed(2)} s |`;
  console.log(
    `\n2. Lag from a grant's start and end to the AWS call and to the confirmed state (due timers on, task every ${FREQUENCY_S} s, no load, ${(
      (Date.now() - lagStarted) /
      1000
    ).toFixed(0)} s run)`,
  );
  console.log('| from → to | grants | p50 | p99 | max |');
  console.log('|---|---|---|---|---|');
  console.log(line('start → CreateAccountAssignment received', startToCreate));
  console.log(
    line('start → granted (confirmed, in the database)', startToGranted),
  );
  console.log(line('end → DeleteAccountAssignment received', endToDelete));
  console.log(line('end → ended (confirmed, in the database)', endToEnded));
  console.log(
    'Goal: p99 under 1 s to the AWS call; the confirmed state adds the sandbox round trips (read, write, status).',
  );

  // ---- 3. activity ingestion -------------------------------------------------
  await knex('requests').delete();
  now = Date.now();
  const session = await createApproved(
    'bench-000',
    'data-prod',
    new Date(now - 120 * MINUTE),
    now - 60 * MINUTE,
  );
  await knex('requests')
    .where({ id: session.id })
    .update({
      status: 'ended',
      granted_at: new Date(now - 120 * MINUTE),
      ended_at: new Date(now - 60 * MINUTE),
      principal_id: seed.users['bench-000'],
      principal_name: 'bench-000',
    });
  const batch = 2_000;
  const sessionNow = now;
  for (let i = 0; i < EVENTS; i += batch) {
    await sandbox.putCloudTrailEvents(
      seed.accounts['data-prod'],
      Array.from({ length: Math.min(batch, EVENTS - i) }, (_, j) => ({
        EventId: `bench-evt-${i + j}`,
        EventName: 'GetObject',
        EventSource: 's3.amazonaws.com',
        EventTime: (sessionNow - 110 * MINUTE + (i + j) * 300) / 1000,
        Username: 'bench-000',
        // made by the session's own reserved role, issued during the grant
        Detail: {
          userIdentity: {
            type: 'AssumedRole',
            arn: `arn:aws:sts::${seed.accounts['data-prod']}:assumed-role/AWSReservedSSO_ReadOnlyAccess_0123456789abcdef/bench-000`,
            sessionContext: {
              sessionIssuer: {
                arn: `arn:aws:iam::${seed.accounts['data-prod']}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnlyAccess_0123456789abcdef`,
              },
              attributes: {
                creationDate: new Date(sessionNow - 115 * MINUTE).toISOString(),
              },
            },
          },
        },
      })),
    );
  }
  await sandbox.setFaults({
    lookupEventsPerSecond: LOOKUP_EVENTS_PER_SECOND,
  });
  await sandbox.clearCalls();
  const step = new ActivityStep({
    requests: store,
    activity: new ActivityStore(knex),
    source: realtime.aws.activitySource,
    clock: { now: () => new Date() },
    logger: {
      info() {},
      warn() {},
      error() {},
      debug() {},
      child() {
        return this;
      },
    } as any,
    owner: 'bench',
    paddingMinutes: 60,
    settleMinutes: 0,
  });
  const t = Date.now();
  const added = await step.collect((await store.get(session.id))!);
  const activitySeconds = (Date.now() - t) / 1000;
  const lookups = await sandbox.calls({ operations: ['LookupEvents'] });
  // regions are read side by side; the busiest region sets the floor
  const perRegion = new Map<string, number>();
  for (const c of lookups) {
    perRegion.set(c.region ?? '', (perRegion.get(c.region ?? '') ?? 0) + 1);
  }
  const activityFloor = Math.max(
    0,
    ...[...perRegion.values()].map(n =>
      rateLimitFloorSeconds(n, LOOKUP_EVENTS_PER_SECOND),
    ),
  );
  console.log(
    '\n3. Activity ingestion for one session (sandbox enforcing 2 LookupEvents calls/s per account)',
  );
  console.log(
    '| events stored | LookupEvents calls | throttled | time | 2 calls/s floor | time / floor | events/s |',
  );
  console.log('|---|---|---|---|---|---|---|');
  console.log(
    `| ${added} | ${lookups.length} | ${
      lookups.filter(c => c.error).length
    } | ${activitySeconds.toFixed(1)} s | ${activityFloor.toFixed(1)} s | ${(
      activitySeconds / activityFloor
    ).toFixed(2)}x | ${(added / activitySeconds).toFixed(0)} |`,
  );
}

runSandboxBench({ database: DB, poolMax: 10 }, main);
