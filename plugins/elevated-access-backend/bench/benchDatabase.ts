/*
 * What the benchmarks share: how one runs (a failure exits non-zero), a
 * database of their own on the benchmark PostgreSQL server (BENCH_PG, default
 * postgresql://postgres@127.0.0.1:5432), percentiles, and how figures and the
 * machine are printed. BENCH_KEEP_DB=1 keeps the database afterwards for a look.
 */
import knexFactory, { Knex } from 'knex';
import os from 'node:os';
import { applyMigrations } from '../src/database/migrations';

const BENCH_PG = process.env.BENCH_PG ?? 'postgresql://postgres@127.0.0.1:5432';

/** Runs a benchmark's `main`; a failure is printed and exits non-zero. */
export function runBench(main: () => Promise<void>): void {
  main().catch(e => {
    console.error(e);
    process.exit(1);
  });
}

/** The connection URL of database `name` on the benchmark server. */
export function benchDatabaseUrl(name: string): string {
  const url = new URL(BENCH_PG);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A new database `name` (a leftover one is dropped first), migrated. */
export async function freshBenchDatabase(
  name: string,
  poolMax: number,
): Promise<Knex> {
  const admin = knexFactory({ client: 'pg', connection: BENCH_PG });
  await admin.raw('DROP DATABASE IF EXISTS ??', [name]);
  await admin.raw('CREATE DATABASE ??', [name]);
  await admin.destroy();
  const knex = knexFactory({
    client: 'pg',
    connection: benchDatabaseUrl(name),
    pool: { min: 1, max: poolMax },
  });
  await applyMigrations(knex);
  return knex;
}

/** Drops database `name` unless BENCH_KEEP_DB is set. */
export async function dropBenchDatabase(name: string): Promise<void> {
  if (process.env.BENCH_KEEP_DB) return;
  const admin = knexFactory({ client: 'pg', connection: BENCH_PG });
  await admin.raw('DROP DATABASE IF EXISTS ??', [name]);
  await admin.destroy();
}

/**
 * Runs `bench` on a new migrated database `database` (see freshBenchDatabase),
 * closed and dropped afterwards whatever happens.
 */
export async function withBenchDatabase(
  options: { database: string; poolMax: number },
  bench: (knex: Knex) => Promise<void>,
): Promise<void> {
  const knex = await freshBenchDatabase(options.database, options.poolMax);
  try {
    await bench(knex);
  } finally {
    await knex.destroy();
    await dropBenchDatabase(options.database);
  }
}

/** The p-th percentile (nearest rank) of `samples`. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

/** A duration in milliseconds as printed in the tables: `12.3 ms`. */
export const ms = (x: number) => `${x.toFixed(1)} ms`;

/** The 1, 5 and 15 minute load averages: `1.23 0.98 0.75`. */
export const loadavg = () =>
  os
    .loadavg()
    .map(x => x.toFixed(2))
    .join(' ');

/** The machine a bench ran on: `2 CPUs (Intel(R) Xeon(R) Processor)`. */
export const machine = () =>
  `${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()})`;
