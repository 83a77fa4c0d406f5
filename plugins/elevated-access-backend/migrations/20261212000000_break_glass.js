// @ts-check

/**
 * Break-glass (issue 14 §4).
 *
 * - `eligibility_policies.break_glass`: the policy allows break-glass (a
 *   request approved at once, reviewed afterwards). Mirrors the policy body's
 *   `breakGlass`, so a query can find such policies.
 * - `requests.break_glass`: the request was approved at once under such a
 *   policy; `review_outcome` (appropriate or inappropriate), `reviewer_ref`,
 *   `review_comment` and `reviewed_at` hold its review, set once with a
 *   guarded update (two reviewers: one wins); `review_reminded_at` is when
 *   approvers and auditors were last reminded that it awaits review (claimed
 *   with a guarded update, so replicas remind once a day).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('eligibility_policies', table => {
    table
      .boolean('break_glass')
      .notNullable()
      .defaultTo(false)
      .comment('the policy allows break-glass requests');
  });
  await knex.schema.alterTable('requests', table => {
    table
      .boolean('break_glass')
      .notNullable()
      .defaultTo(false)
      .comment('approved at once under a break-glass policy; reviewed after');
    table
      .string('review_outcome', 16)
      .nullable()
      .comment('appropriate or inappropriate, once reviewed');
    table.string('reviewer_ref', 255).nullable();
    table.text('review_comment').nullable();
    table.timestamp('reviewed_at', { useTz: true }).nullable();
    table
      .timestamp('review_reminded_at', { useTz: true })
      .nullable()
      .comment('when approvers and auditors were last reminded to review it');
    // the reviews view and the daily reminder: break-glass awaiting review
    table.index(
      ['break_glass', 'review_outcome', 'created_at'],
      'requests_break_glass_review_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('requests', table => {
    table.dropIndex(
      ['break_glass', 'review_outcome', 'created_at'],
      'requests_break_glass_review_idx',
    );
  });
  await knex.schema.alterTable('requests', table => {
    table.dropColumn('review_reminded_at');
    table.dropColumn('reviewed_at');
    table.dropColumn('review_comment');
    table.dropColumn('reviewer_ref');
    table.dropColumn('review_outcome');
    table.dropColumn('break_glass');
  });
  await knex.schema.alterTable('eligibility_policies', table => {
    table.dropColumn('break_glass');
  });
};
