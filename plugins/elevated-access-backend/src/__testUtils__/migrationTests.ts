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

/**
 * A `requests` row as a migration finds it: alice's ReadOnlyAccess on
 * payments-dev in `status`, needing no approval, started, ended, created and
 * updated at `at`; `columns` sets or overrides any column.
 */
export function requestRow(
  id: string,
  status: string,
  at: Date,
  columns: Record<string, unknown> = {},
) {
  return {
    id,
    requester_ref: 'user:default/alice',
    account_id: '333333333333',
    account_name: 'payments-dev',
    permission_set_arn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
    permission_set_name: 'ReadOnlyAccess',
    status,
    start_time: at,
    end_time: at,
    duration_minutes: 60,
    justification: 'Migration test',
    approval_required: false,
    min_approvals: 0,
    approvals: 0,
    policy_ids: '[]',
    version: 1,
    created_at: at,
    updated_at: at,
    ...columns,
  };
}
