import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';

/** PostgreSQL runs when a server is configured (scripts/test finds one on :5432). */
export const postgresAvailable = Boolean(
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING,
);

const ALL_IDS: TestDatabaseId[] = ['SQLITE_3', 'POSTGRES_15'];

let databases: TestDatabases | undefined;

/** Creates the TestDatabases (call at the top level of a test file). */
export function testDatabases(): TestDatabases {
  databases = TestDatabases.create({
    ids: postgresAvailable ? ALL_IDS : ['SQLITE_3'],
  });
  return databases;
}

/**
 * Runs a describe block per database. Without PostgreSQL its block is
 * reported as skipped, not silently dropped.
 */
export function describeEachDatabase(
  title: string,
  fn: (init: () => Promise<Knex>) => void,
) {
  const dbs = databases ?? testDatabases();
  for (const id of ALL_IDS) {
    const runs = id === 'SQLITE_3' || postgresAvailable;
    (runs ? describe : describe.skip)(`${title} on ${id}`, () =>
      fn(() => dbs.init(id)),
    );
  }
}

/**
 * A describe block for PostgreSQL only (what several backend replicas share);
 * reported as skipped where no server is configured.
 */
export function describePostgres(
  title: string,
  fn: (init: () => Promise<Knex>) => void,
) {
  const dbs = databases ?? testDatabases();
  (postgresAvailable ? describe : describe.skip)(
    `${title} on POSTGRES_15`,
    () => fn(() => dbs.init('POSTGRES_15')),
  );
}
