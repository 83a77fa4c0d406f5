/*
 * What the benchmarks against the AWS sandbox share: the run itself (the
 * seeded sandbox and a database of their own, both gone afterwards whatever
 * happens; a failure exits non-zero), Identity Center's documented limits for
 * the sandbox to enforce, and the rate-limit floor the figures are set against.
 */
import {
  RunningSandbox,
  SandboxFaults,
  SandboxSeed,
  startSandbox,
} from '@internal/aws-sandbox';
import { Knex } from 'knex';
import { runBench, withBenchDatabase } from './benchDatabase';

/** Identity Center's documented collective rate for writes and status polls. */
export const IDENTITY_CENTER_CALLS_PER_SECOND = 20;

/** Identity Center's limits, as the sandbox's fault modes enforce them. */
export const IDENTITY_CENTER_LIMITS: SandboxFaults = {
  identityCenterCallsPerSecond: IDENTITY_CENTER_CALLS_PER_SECOND,
  identityCenterMaxInFlight: 10,
};

/**
 * The least time, in seconds, a token bucket allows for `calls`: it starts
 * full with `burst` calls (which go through at once) and refills at
 * `callsPerSecond`.
 */
export function rateLimitFloorSeconds(
  calls: number,
  callsPerSecond: number,
  burst: number = callsPerSecond,
): number {
  return Math.max(0, calls - burst) / callsPerSecond;
}

/** What a sandbox benchmark runs with. */
export interface SandboxBenchRun {
  sandbox: RunningSandbox;
  seed: SandboxSeed;
  knex: Knex;
}

/**
 * Runs `bench` against a freshly started, seeded AWS sandbox and a new
 * migrated database `database` on the benchmark PostgreSQL server.
 */
export function runSandboxBench(
  options: { database: string; poolMax: number },
  bench: (run: SandboxBenchRun) => Promise<void>,
): void {
  runBench(async () => {
    // the sandbox takes any credentials; never a real profile's
    process.env.AWS_ACCESS_KEY_ID = 'sandbox';
    process.env.AWS_SECRET_ACCESS_KEY = 'sandbox';
    const sandbox = await startSandbox();
    try {
      await withBenchDatabase(options, knex =>
        bench({ sandbox, seed: sandbox.seed!, knex }),
      );
    } finally {
      await sandbox.stop();
    }
  });
}
