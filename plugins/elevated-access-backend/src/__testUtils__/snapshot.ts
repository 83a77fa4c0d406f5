import { Knex } from 'knex';

/** The plugin's tables, in the order the migrations create them. */
export const PLUGIN_TABLES = [
  'requests',
  'request_approvers',
  'request_decisions',
  'events',
  'eligibility_policies',
  'approver_policies',
  'settings',
  'activity_events',
  'activity_progress',
  'assignments',
  'request_extensions',
  'extension_decisions',
  'session_blocks',
  'permission_set_locks',
];

/** Every row of every plugin table, to prove a call changed nothing. */
export async function snapshotDatabase(knex: Knex): Promise<string> {
  const parts: Record<string, unknown[]> = {};
  for (const table of PLUGIN_TABLES) {
    const rows = await knex(table).select();
    parts[table] = rows
      .map(r => JSON.stringify(r, Object.keys(r).sort()))
      .sort();
  }
  return JSON.stringify(parts);
}

/** Empties every plugin table (between cases that share a backend). */
export async function clearDatabase(knex: Knex): Promise<void> {
  // children before the tables they reference
  for (const table of [...PLUGIN_TABLES].reverse()) {
    await knex(table).delete();
  }
}
