/*
 * Activity ingestion across accounts and regions (issue 12), against the AWS
 * sandbox over the wire with CloudTrail's LookupEvents limit enforced per
 * account and region (2 calls/s): one ended session in each of 20 accounts,
 * each with events in 4 regions, collected by the real activity step (every
 * session side by side, every region side by side). The floor is the time
 * the busiest account-region needs at 2 calls/s; the goal is 1.2x of it.
 *
 * PostgreSQL: BENCH_PG (default postgresql://postgres@127.0.0.1:5432).
 * BENCH_ACCOUNTS (20), BENCH_REGION_EVENTS (events per account and region, 1000).
 */
import { CloudTrailLookupEventsSource } from '../src/aws/CloudTrailLookupEventsSource';
import { AwsClients } from '../src/aws/clients';
import { ActivityStore } from '../src/database/ActivityStore';
import { DatabaseRequestStore } from '../src/database/RequestStore';
import { ActivityStep } from '../src/jobs/ActivityStep';
import { runSandboxBench, SandboxBenchRun } from './benchSandbox';

const DB = 'elevated_access_bench_activity_regions';
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 20);
const EVENTS = Number(process.env.BENCH_REGION_EVENTS ?? 1000);
const REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const PAGE = 50; // LookupEvents' largest page
const MINUTE = 60_000;

const quietLogger = {
  info() {},
  warn(message: string, meta?: unknown) {
    console.warn(message, meta);
  },
  error() {},
  debug() {},
  child() {
    return this;
  },
} as any;

async function main({ sandbox, knex }: SandboxBenchRun) {
  const store = DatabaseRequestStore.create({ knex });
  const now = Date.now();
  const grantedAt = now - 180 * MINUTE;
  const endedAt = now - 120 * MINUTE;
  const accounts = Array.from(
    { length: ACCOUNTS },
    (_, i) => `${String(400000000000 + i)}`,
  );

  for (const [i, accountId] of accounts.entries()) {
    const user = `bench-user-${i}`;
    const session = await store.create({
      requesterRef: `user:default/${user}`,
      accountId,
      accountName: `bench-${i}`,
      permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-bench/ps-bench',
      permissionSetName: 'ReadOnlyAccess',
      status: 'approved',
      startTime: new Date(grantedAt),
      endTime: new Date(endedAt),
      durationMinutes: 60,
      justification: 'Benchmark',
      approvalRequired: false,
      minApprovals: 0,
      approverRefs: [],
      policyIds: [],
      createdAt: new Date(grantedAt),
    });
    await knex('requests')
      .where({ id: session.id })
      .update({
        status: 'ended',
        granted_at: new Date(grantedAt),
        ended_at: new Date(endedAt),
        principal_id: `principal-${i}`,
        principal_name: user,
      });
    const role = `AWSReservedSSO_ReadOnlyAccess_0123456789abcdef`;
    for (const region of REGIONS) {
      await sandbox.putCloudTrailEvents(
        accountId,
        Array.from({ length: EVENTS }, (_, j) => ({
          EventId: `bench-${i}-${region}-${j}`,
          EventName: 'GetObject',
          EventSource: 's3.amazonaws.com',
          EventTime: (grantedAt + 5 * MINUTE + j * 2000) / 1000,
          Username: user,
          Detail: {
            userIdentity: {
              type: 'AssumedRole',
              arn: `arn:aws:sts::${accountId}:assumed-role/${role}/${user}`,
              sessionContext: {
                sessionIssuer: {
                  arn: `arn:aws:iam::${accountId}:role/aws-reserved/sso.amazonaws.com/${role}`,
                },
                attributes: {
                  creationDate: new Date(grantedAt + MINUTE).toISOString(),
                },
              },
            },
          },
        })),
        region,
      );
    }
  }

  const clients = new AwsClients({
    region: 'us-east-1',
    endpoint: sandbox.url,
  });
  const source = new CloudTrailLookupEventsSource({
    clients,
    roleName: 'ElevatedAccessActivityReader',
    callsPerSecond: 2,
    region: 'us-east-1',
    regions: REGIONS,
  });
  const step = new ActivityStep({
    requests: store,
    activity: new ActivityStore(knex),
    source,
    clock: { now: () => new Date() },
    logger: quietLogger,
    owner: 'bench',
    paddingMinutes: 60,
    settleMinutes: 0,
    concurrency: ACCOUNTS,
  });

  await sandbox.setFaults({ lookupEventsPerSecond: 2 });
  await sandbox.clearCalls();
  const started = Date.now();
  await step.run();
  const seconds = (Date.now() - started) / 1000;

  const lookups = await sandbox.calls({ operations: ['LookupEvents'] });
  const perBucket = new Map<string, number>();
  for (const call of lookups) {
    const key = `${call.accessKeyId}/${call.region}`;
    perBucket.set(key, (perBucket.get(key) ?? 0) + 1);
  }
  // each account-region bucket starts with 2 calls, then 2 per second
  const floor = Math.max(...[...perBucket.values()].map(n => (n - 2) / 2));
  const stored = Number((await knex('activity_events').count({ n: '*' }))[0].n);
  const complete = Number(
    (
      await knex('requests')
        .where({ activity_complete: true })
        .count({ n: '*' })
    )[0].n,
  );
  const expectedCalls = ACCOUNTS * REGIONS.length * Math.ceil(EVENTS / PAGE);
  console.log(
    `\nActivity ingestion: ${ACCOUNTS} accounts x ${REGIONS.length} regions, ${EVENTS} events each (sandbox enforcing 2 LookupEvents calls/s per account and region)`,
  );
  console.log(
    '| sessions complete | events stored | LookupEvents calls (needed) | throttled | time | floor | time / floor | events/s |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  console.log(
    `| ${complete}/${ACCOUNTS} | ${stored} | ${
      lookups.length
    } (${expectedCalls}) | ${
      lookups.filter(c => c.error === 'ThrottlingException').length
    } | ${seconds.toFixed(1)} s | ${floor.toFixed(1)} s | ${(
      seconds / floor
    ).toFixed(2)}x | ${(stored / seconds).toFixed(0)} |`,
  );
  console.log('Goal: within 1.2x of the floor.');
}

runSandboxBench({ database: DB, poolMax: 20 }, main);
