// @ts-check

/**
 * Activity collection runs beside the lifecycle (a session is collected while
 * it is active), so it gets its own lease columns.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('requests', table => {
    table.string('activity_claimed_by', 64).nullable();
    table.timestamp('activity_claimed_until', { useTz: true }).nullable();
    table.index(
      ['activity_complete', 'granted_at'],
      'requests_activity_due_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('requests', table => {
    table.dropIndex(
      ['activity_complete', 'granted_at'],
      'requests_activity_due_idx',
    );
    table.dropColumn('activity_claimed_by');
    table.dropColumn('activity_claimed_until');
  });
};
