/*
 * CSV export benchmark (DESIGN §6): the auditors' activity export
 * (`GET /audit/activity.csv`, AuditService.activityCsv) over 1,000,000
 * activity rows on PostgreSQL, streamed into a sink that discards the bytes
 * as a slow-enough client would. Prints rows per second, MB per second and
 * the process's peak memory above its level before the export, next to a
 * plain batched read of the same rows (no CSV) as the reference.
 *
 * `yarn bench csv`; BENCH_PG overrides postgresql://postgres@127.0.0.1:5432,
 * BENCH_ACTIVITY_ROWS the row count, BENCH_KEEP_DB=1 keeps the database.
 */
import { Response } from 'express';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { ActivityStore } from '../src/database/ActivityStore';
import { DatabaseRequestStore } from '../src/database/RequestStore';
import { AccessControl, CallContext } from '../src/service/AccessControl';
import { AuditService } from '../src/service/AuditService';
import { RequestService } from '../src/service/RequestService';
import { runBench, withBenchDatabase } from './benchDatabase';

const DB = 'elevated_access_bench_csv';
const ROWS = Number(process.env.BENCH_ACTIVITY_ROWS ?? 1_000_000);
const SESSIONS = 1_000;
const MB = 1024 * 1024;

/** 1,000 ended sessions, and the activity rows spread over them in SQL. */
async function seed(knex: Knex): Promise<string[]> {
  const start = Date.now() - 30 * 86400_000;
  const ids = Array.from({ length: SESSIONS }, () => randomUUID());
  await knex.batchInsert(
    'requests',
    ids.map((id, i) => {
      const begin = new Date(start + i * 60_000);
      return {
        id,
        requester_ref: `user:default/u${i % 200}`,
        account_id: String(100000000000 + (i % 60)),
        account_name: `account-${i % 60}`,
        permission_set_arn:
          'arn:aws:sso:::permissionSet/ssoins-0000000000000001/ps-0000000000000002',
        permission_set_name: 'PowerUserAccess',
        status: 'ended',
        start_time: begin,
        end_time: new Date(begin.getTime() + 3600_000),
        duration_minutes: 60,
        justification: 'Benchmark session',
        approval_required: false,
        min_approvals: 0,
        approvals: 0,
        policy_ids: '[]',
        version: 1,
        created_at: begin,
        updated_at: begin,
      };
    }),
    500,
  );
  // The rows look like real LookupEvents results: a resource or two, an IP,
  // an agent, and the raw event (~700 bytes) that the export leaves out.
  await knex.raw(
    `INSERT INTO activity_events
       (request_id, event_id, event_time, event_name, event_source, resources,
        source_ip, user_agent, read_only, error_code, raw)
     SELECT r.id,
            'evt-' || g,
            r.start_time + ((g / ?) % 3600) * interval '1 second',
            (ARRAY['GetObject','PutObject','DescribeInstances','AssumeRole','PutBucketPolicy'])[1 + g % 5],
            (ARRAY['s3.amazonaws.com','ec2.amazonaws.com','sts.amazonaws.com'])[1 + g % 3],
            '["arn:aws:s3:::payments-artifacts-' || (g % 97) || '","arn:aws:s3:::payments-logs/2026/11/' || g || '.json"]',
            '203.0.113.' || (g % 250),
            'aws-cli/2.17.0 Python/3.11.6 Linux/6.1 exe/x86_64.debian.12 prompt/off command/s3.cp',
            g % 4 <> 0,
            CASE WHEN g % 50 = 0 THEN 'AccessDenied' END,
            repeat('{"eventVersion":"1.09","userIdentity":{"type":"AssumedRole"}}', 11)
       FROM generate_series(0, ? - 1) AS g
       JOIN (SELECT id, start_time, row_number() OVER (ORDER BY id) - 1 AS n FROM requests) r
         ON r.n = g % ?`,
    [SESSIONS, ROWS, SESSIONS],
  );
  await knex.raw('ANALYZE');
  return ids;
}

/** A client that reads as fast as the export writes, keeping only counts. */
class CountingSink extends Writable {
  bytes = 0;
  lines = 0;
  headers: Record<string, string> = {};
  statusCode = 0;
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  setHeader(name: string, value: string) {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
  _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.bytes += chunk.length;
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) {
      this.lines++;
    }
    done();
  }
}

/** Samples memory every 20 ms while `work` runs; returns the peaks. */
async function measured<T>(work: () => Promise<T>) {
  (global as { gc?: () => void }).gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const started = process.hrtime.bigint();
  try {
    const result = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { result, seconds, before, peakRss, peakHeap };
  } finally {
    clearInterval(timer);
  }
}

async function main(knex: Knex) {
  const t0 = Date.now();
  await seed(knex);
  const seeded = (Date.now() - t0) / 1000;
  const activity = new ActivityStore(knex);
  const requestStore = DatabaseRequestStore.create({ knex });
  // Authorization is the routes' concern and is tested there; the export
  // itself is what is measured.
  const audit = new AuditService({
    access: { require: async () => undefined } as unknown as AccessControl,
    requests: {} as RequestService,
    requestStore,
    activity,
  });
  const ctx = {} as CallContext;

  const scan = await measured(async () => {
    let n = 0;
    for await (const batch of activity.scan({})) n += batch.length;
    return n;
  });
  const sink = new CountingSink();
  const csv = await measured(async () => {
    await audit.activityCsv(ctx, {}, sink as unknown as Response);
    return sink.lines - 1; // the header line
  });
  if (csv.result !== ROWS || scan.result !== ROWS) {
    throw new Error(
      `expected ${ROWS} rows, exported ${csv.result} and scanned ${scan.result}`,
    );
  }

  const version = (await knex.raw('SHOW server_version')).rows[0]
    .server_version;
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const row = (
    name: string,
    m: Awaited<ReturnType<typeof measured>>,
    bytes?: number,
  ) =>
    `| ${name} | ${fmt(m.result as number)} | ${m.seconds.toFixed(1)} s | ${fmt(
      (m.result as number) / m.seconds,
    )} | ${bytes ? (bytes / MB / m.seconds).toFixed(1) : '—'} | ${(
      (m.peakRss - m.before.rss) /
      MB
    ).toFixed(0)} MB | ${((m.peakHeap - m.before.heapUsed) / MB).toFixed(
      0,
    )} MB |`;
  console.log(
    `\nActivity CSV export on PostgreSQL ${version}: ${fmt(
      ROWS,
    )} rows over ${fmt(SESSIONS)} sessions (seeded in ${seeded.toFixed(
      1,
    )} s); RSS before the export ${(csv.before.rss / MB).toFixed(0)} MB\n`,
  );
  console.log(
    '| run | rows | time | rows/s | MB/s of CSV | peak RSS above start | peak heap above start |',
  );
  console.log('|---|---|---|---|---|---|---|');
  console.log(row('batched read only (reference)', scan));
  console.log(row('GET /audit/activity.csv (AuditService)', csv, sink.bytes));
  console.log(
    `\nCSV size ${(sink.bytes / MB).toFixed(0)} MB; ${
      sink.headers['content-type']
    }`,
  );
}

runBench(() => withBenchDatabase({ database: DB, poolMax: 4 }, main));
