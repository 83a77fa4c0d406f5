import { Knex } from 'knex';

const TABLES = [
  'requests',
  'request_approvers',
  'request_decisions',
  'events',
  'eligibility_policies',
  'approver_policies',
  'settings',
  'activity_events',
  'assignments',
];

/** Every row of every plugin table, to prove a call changed nothing. */
export async function snapshotDatabase(knex: Knex): Promise<string> {
  const parts: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const rows = await knex(table).select();
    parts[table] = rows
      .map(r => JSON.stringify(r, Object.keys(r).sort()))
      .sort();
  }
  return JSON.stringify(parts);
}

/** Empties every plugin table (between cases that share a backend). */
export async function clearDatabase(knex: Knex): Promise<void> {
  for (const table of [
    'activity_events',
    'request_decisions',
    'request_approvers',
    'events',
    'requests',
    'eligibility_policies',
    'approver_policies',
    'settings',
    'assignments',
  ]) {
    await knex(table).delete();
  }
}
