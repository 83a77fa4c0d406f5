/*
 * Organisation refresh at enterprise scale (issue 15 §1): the backend's own
 * refresh (TargetsService → AwsIdentityCenterProvider, built as the plugin
 * builds it, on PostgreSQL so the Organizations pace is the replicas' shared
 * one) against the AWS sandbox over the wire, holding 5,000 accounts in 300
 * OUs five levels deep and 100 permission sets, with the sandbox enforcing
 * Organizations' limits per API operation (an approximation: AWS publishes no
 * figure, see tools/aws-sandbox/README.md) and Identity Center's 20 calls/s.
 *
 * Prints the refresh time, the calls per API, the floor (the least time the
 * limits allow for those calls) and the ratio (goal <= 1.2).
 *
 * BENCH_ACCOUNTS (5000), BENCH_OUS (300), BENCH_PERMISSION_SETS (100),
 * BENCH_ORG_RATE (10/s per operation), BENCH_ORG_BURST (15), BENCH_REFRESHES
 * (2: the first also warms up), BENCH_PG as the other benches.
 */
import {
  CreatePermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import os from 'node:os';
import { createTestInstance } from '../src/__testUtils__/instance';
import {
  IDENTITY_CENTER_CALLS_PER_SECOND,
  IDENTITY_CENTER_LIMITS,
  rateLimitFloorSeconds,
  runSandboxBench,
  SandboxBenchRun,
} from './benchSandbox';

const DB = 'elevated_access_bench_org_refresh';
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 5000);
const OUS = Number(process.env.BENCH_OUS ?? 300);
const PERMISSION_SETS = Number(process.env.BENCH_PERMISSION_SETS ?? 100);
const ORG_RATE = Number(process.env.BENCH_ORG_RATE ?? 10);
const ORG_BURST = Number(process.env.BENCH_ORG_BURST ?? 15);
const REFRESHES = Number(process.env.BENCH_REFRESHES ?? 2);
/** The backend paces its Identity Center reads to the documented collective rate. */
const IDENTITY_CENTER_RATE = IDENTITY_CENTER_CALLS_PER_SECOND;
/** OUs per level, top down, as shares of OUS (5 levels, as deep as AWS allows). */
const LEVEL_SHARES = [5, 20, 50, 100, 125].map(n => n / 300);

/** OUs in five levels, each OU under one of the level above (round robin). */
function ouPlan(total: number) {
  const sizes = LEVEL_SHARES.map(s => Math.max(1, Math.round(s * total)));
  sizes[sizes.length - 1] += total - sizes.reduce((a, b) => a + b, 0);
  const plan: Array<{ name: string; parent: string; level: number }> = [];
  let previous: number[] = [];
  sizes.forEach((size, level) => {
    const current: number[] = [];
    for (let i = 0; i < size; i++) {
      const parent = level === 0 ? 'root' : `#${previous[i % previous.length]}`;
      current.push(plan.length);
      plan.push({ name: `ou-l${level + 1}-${i}`, parent, level: level + 1 });
    }
    previous = current;
  });
  return plan;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);

async function main({ sandbox, seed, knex }: SandboxBenchRun) {
  // ---- the organisation, seeded in bulk ---------------------------------
  let t = Date.now();
  const plan = ouPlan(OUS);
  const bulk = await sandbox.bulkOrganization({
    organizationalUnits: plan.map(({ name, parent }) => ({ name, parent })),
    accounts: Array.from({ length: ACCOUNTS }, (_, i) => ({
      name: `acct-${String(i).padStart(5, '0')}`,
      parent: `#${i % plan.length}`,
    })),
  });
  const sso = new SSOAdminClient(sandbox.clientConfig());
  const existingSets = Object.keys(seed.permissionSets).length;
  for (let i = existingSets; i < PERMISSION_SETS; i++) {
    await sso.send(
      new CreatePermissionSetCommand({
        InstanceArn: seed.instanceArn,
        Name: `Bench${String(i).padStart(3, '0')}`,
        SessionDuration: 'PT1H',
      }),
    );
  }
  const totalAccounts = ACCOUNTS + Object.keys(seed.accounts).length;
  const totalOus = OUS + Object.keys(seed.ous).length;
  console.log(
    `\nseeded ${bulk.accountIds.length} accounts in ${
      bulk.organizationalUnitIds.length
    } OUs (5 levels) and ${Math.max(
      0,
      PERMISSION_SETS - existingSets,
    )} permission sets in ${seconds(Date.now() - t)} s ` +
      `(the organisation then holds ${totalAccounts} accounts, ${totalOus} OUs)`,
  );

  // ---- the limits ----------------------------------------------------------
  const limits = {
    organizationsCallsPerSecond: ORG_RATE,
    organizationsBurst: ORG_BURST,
    ...IDENTITY_CENTER_LIMITS,
  };
  await sandbox.setFaults(limits);
  console.log(
    `limits enforced by the sandbox: Organizations ${ORG_RATE} calls/s per operation (burst ${ORG_BURST}), ` +
      `Identity Center ${IDENTITY_CENTER_RATE} calls/s on writes and status polls; ` +
      `the backend reads permission sets at ${IDENTITY_CENTER_RATE}/s through its own queue`,
  );

  // ---- the backend's refresh -------------------------------------------------
  for (let run = 1; run <= REFRESHES; run++) {
    const instance = await createTestInstance({
      knex,
      sandboxUrl: sandbox.url,
      instanceId: `bench-org-refresh-${run}`,
      entities: [],
      skipMigrations: run > 1,
    });
    // each run starts from full buckets, as a refresh 15 minutes after the last does
    await sandbox.setFaults(limits);
    await sandbox.clearCalls();
    const load = os.loadavg()[0];
    t = Date.now();
    const tree = await instance.services.targets.refresh();
    const elapsedMs = Date.now() - t;
    const accounts = tree.targets.accounts.length;
    const ous = tree.targets.organizationalUnits.length;
    if (accounts !== totalAccounts || ous !== totalOus) {
      throw new Error(
        `The refresh read ${accounts} accounts and ${ous} OUs, not ${totalAccounts} and ${totalOus}`,
      );
    }

    const calls = await sandbox.calls();
    const byOperation = new Map<
      string,
      { service: string; ok: number; throttled: number }
    >();
    for (const c of calls) {
      const row = byOperation.get(c.operation) ?? {
        service: c.service ?? '?',
        ok: 0,
        throttled: 0,
      };
      if (/Throttling|TooManyRequests/.test(c.error ?? '')) row.throttled++;
      else row.ok++;
      byOperation.set(c.operation, row);
    }
    // The floor: Organizations limits each operation on its own (a full
    // bucket lets the first `burst` calls through at once); Identity
    // Center's permission-set reads share its collective rate.
    const floorOf = (
      operation: string,
      row: { service: string; ok: number },
    ) => {
      if (row.service === 'organizations') {
        return rateLimitFloorSeconds(row.ok, ORG_RATE, ORG_BURST);
      }
      if (operation === 'DescribePermissionSet') {
        // the backend's own queue starts with no burst
        return rateLimitFloorSeconds(row.ok, IDENTITY_CENTER_RATE, 0);
      }
      return 0;
    };
    let floorS = 0;
    let busiest = '';
    console.log(
      `\nrefresh ${run}${
        run === 1 ? ' (first: also connects and warms up)' : ''
      }: ` +
        `${accounts} accounts, ${ous} OUs, ${tree.targets.permissionSets.length} permission sets ` +
        `(1-min load average before: ${load.toFixed(2)} on ${
          os.cpus().length
        } cores)`,
    );
    console.log(
      '| API | calls (answered) | throttled | floor alone (s) |\n|---|---:|---:|---:|',
    );
    for (const [operation, row] of [...byOperation].sort(
      (a, b) => b[1].ok - a[1].ok,
    )) {
      const floor = floorOf(operation, row);
      if (floor > floorS) {
        floorS = floor;
        busiest = operation;
      }
      console.log(
        `| ${row.service}:${operation} | ${row.ok} | ${
          row.throttled
        } | ${floor.toFixed(1)} |`,
      );
    }
    console.log(
      `refresh time ${seconds(elapsedMs)} s, floor ${floorS.toFixed(
        1,
      )} s (${busiest}), ratio ${(elapsedMs / 1000 / floorS).toFixed(
        2,
      )}x (goal <= 1.2x)`,
    );
    await instance.shutdown();
  }
}

runSandboxBench({ database: DB, poolMax: 5 }, main);
