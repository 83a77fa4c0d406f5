import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { applyMigrations } from '../database/migrations';

const directory = resolvePackagePath(
  '@elevated-access/backstage-plugin-elevated-access-backend',
  'migrations',
);

/**
 * Brings a test database to the latest schema and then undoes one migration
 * (named by its file name), as a database that has not run it yet looks;
 * applyMigrations then runs it as an upgrade would.
 */
export async function undoMigration(knex: Knex, name: string): Promise<void> {
  await applyMigrations(knex);
  await knex.migrate.down({ directory, name });
}
