// @ts-check

/**
 * Sensitive accounts (issue 17).
 *
 * - `requests.sensitive`: the account (or one of its OUs) was marked
 *   sensitive in the catalog when the request was made; the request page
 *   says so, and approver policies may have asked for more approvals.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('requests', table => {
    table
      .boolean('sensitive')
      .notNullable()
      .defaultTo(false)
      .comment('the account was marked sensitive in the catalog at creation');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('requests', table => {
    table.dropColumn('sensitive');
  });
};
