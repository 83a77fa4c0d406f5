// @ts-check

/**
 * The auditors' history views (issue 12): every decision, newest first and
 * by approver, and the policy and settings changes among all events, newest
 * first. Policies and settings have always stored their value before and
 * after each change in `events`, so only the lookups are new.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('request_decisions', table => {
    table.index(['created_at', 'id'], 'request_decisions_created_idx');
    table.index(
      ['approver_ref', 'created_at', 'id'],
      'request_decisions_approver_idx',
    );
  });
  await knex.schema.alterTable('events', table => {
    table.index(['entity_type', 'created_at', 'id'], 'events_type_created_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('events', table => {
    table.dropIndex([], 'events_type_created_idx');
  });
  await knex.schema.alterTable('request_decisions', table => {
    table.dropIndex([], 'request_decisions_approver_idx');
    table.dropIndex([], 'request_decisions_created_idx');
  });
};
