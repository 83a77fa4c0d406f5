/*
 * The chaos scenario (src/__testUtils__/chaos.ts) as a benchmark: 120 short
 * requests on two replica processes sharing PostgreSQL, the sandbox throttling
 * half of Identity Center's assignment calls and enforcing 20 calls/s;
 * replica A killed (SIGKILL) at +15 s, replica B stopped (SIGTERM) at +35 s
 * and restarted. Prints:
 *
 * 1. the lag from a request's end to its successful DeleteAccountAssignment,
 *    for requests whose end came after the kill: p50/p99/max (goal p99 < 45 s);
 * 2. the Identity Center calls per second of all replicas together: the most
 *    calls of the four limited operations in any sliding 1 s window, counting
 *    every call that reached the sandbox (throttled ones too) and only the
 *    successful ones (goal: at most 20);
 * 3. throttled calls and the total run time.
 *
 * PostgreSQL: BENCH_PG (default postgresql://postgres@127.0.0.1:5432).
 * BENCH_CHAOS_VERBOSE=1 prints the scenario's progress.
 */
import {
  callMs,
  callTripleKey,
  LIMITED_OPERATIONS,
  peakPerSecond,
  runChaos,
  tripleKey,
} from '../src/__testUtils__/chaos';
import { percentile } from './benchDatabase';
import { runSandboxBench, SandboxBenchRun } from './benchSandbox';

const DB = 'elevated_access_bench_chaos';

async function main({ sandbox, knex }: SandboxBenchRun) {
  const t = Date.now();
  const result = await runChaos({
    knex,
    sandbox,
    log: process.env.BENCH_CHAOS_VERBOSE
      ? line => console.log(`  ${line}`)
      : undefined,
  });
  const seconds = (Date.now() - t) / 1000;
  const runSeconds = (result.finishedAt - result.startedAt) / 1000;

  const limited = result.calls.filter(c =>
    LIMITED_OPERATIONS.includes(c.operation),
  );
  const ok = limited.filter(c => c.status === 200);
  const throttled = limited.filter(c => c.error === 'ThrottlingException');

  const deletedAt = new Map<string, number>();
  for (const c of ok) {
    if (c.operation === 'DeleteAccountAssignment')
      deletedAt.set(callTripleKey(c), callMs(c));
  }
  const afterKill = result.requests.filter(r => r.end > result.killAt);
  const lags = afterKill
    .map(r => deletedAt.get(tripleKey(r)))
    .map((at, i) => (at === undefined ? NaN : (at - afterKill[i].end) / 1000))
    .filter(x => !Number.isNaN(x));
  const ended = result.requests.filter(r => r.status === 'ended').length;
  const grantedInWindow = result.requests.filter(
    r => r.grantedAt !== undefined && r.grantedAt < r.end,
  ).length;
  // the shared budget also carries the assignment reads (grants' checks, the reconciler)
  const reads = result.calls.filter(
    c => c.operation === 'ListAccountAssignmentsForPrincipal',
  );
  const s = (x: number) => `${x.toFixed(2)} s`;

  console.log(
    `\nChaos: ${
      result.requests.length
    } requests starting over 20 s with 110–125 s windows; 2 replicas, A killed at +${(
      (result.killAt - result.startedAt) /
      1000
    ).toFixed(0)} s holding ${
      result.heldByKilled.length
    } requests, B stopped (SIGTERM) at +${(
      (result.sigtermAt - result.startedAt) /
      1000
    ).toFixed(
      0,
    )} s and restarted; sandbox throttling 50% of assignment calls and enforcing 20 calls/s`,
  );
  console.log(
    '| requests | granted inside their window | ended | run time (T to all ended) | total time |',
  );
  console.log('|---|---|---|---|---|');
  console.log(
    `| ${result.requests.length} | ${grantedInWindow} | ${ended}${
      result.timedOut ? ' (timed out)' : ''
    } | ${runSeconds.toFixed(1)} s | ${seconds.toFixed(1)} s |`,
  );

  console.log(
    `\n1. Lag from a request's end to its deletion (${lags.length} of ${afterKill.length} requests ending after the kill)`,
  );
  console.log('| p50 | p99 | max | goal (p99) |');
  console.log('|---|---|---|---|');
  console.log(
    lags.length
      ? `| ${s(percentile(lags, 50))} | ${s(percentile(lags, 99))} | ${s(
          Math.max(...lags),
        )} | under 45 s |`
      : '| - | - | - | under 45 s |',
  );

  console.log(
    '\n2. Identity Center calls per second, all replicas together (the four assignment operations, busiest sliding 1 s window)',
  );
  console.log(
    '| peak, all calls reaching the sandbox | peak, successful calls | calls | throttled | goal | assignment reads on the same budget | peak, calls and reads |',
  );
  console.log('|---|---|---|---|---|---|---|');
  console.log(
    `| ${peakPerSecond(limited)} | ${peakPerSecond(ok)} | ${limited.length} | ${
      throttled.length
    } | at most 20 | ${reads.length} | ${peakPerSecond([
      ...limited,
      ...reads,
    ])} |`,
  );
}

runSandboxBench({ database: DB, poolMax: 5 }, main);
