// @ts-check

/**
 * Approvers may shorten a request when they approve it (issue 14 §3): each
 * approving vote may carry a shorter duration, and the request remembers the
 * shortest one that its approval was given for.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('request_decisions', table => {
    table
      .integer('duration_minutes')
      .nullable()
      .comment('the duration this approver approved, when shorter than asked');
  });
  await knex.schema.alterTable('requests', table => {
    table
      .integer('approved_duration_minutes')
      .nullable()
      .comment('the shortest duration among the approving votes, if shortened');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('requests', table => {
    table.dropColumn('approved_duration_minutes');
  });
  await knex.schema.alterTable('request_decisions', table => {
    table.dropColumn('duration_minutes');
  });
};
