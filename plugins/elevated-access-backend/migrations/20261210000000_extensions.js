// @ts-check

/**
 * "Ends soon" and extend in place (issue 14 §2).
 *
 * - `requests.ends_soon_sent_at`: the "ends soon" notice was handled for the
 *   current end (claimed with a guarded update, so it is sent once across
 *   restarts and replicas; cleared when an extension moves the end).
 * - `requests.pending_extension_id`: the one pending extension of an active
 *   request (set with a guarded update: one at a time).
 * - `request_extensions`: every extension asked for, with its terms and
 *   outcome; `extension_decisions`: one vote per approver per extension.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('requests', table => {
    table
      .timestamp('ends_soon_sent_at', { useTz: true })
      .nullable()
      .comment('when the "ends soon" notice for the current end was handled');
    table
      .string('pending_extension_id', 36)
      .nullable()
      .comment('the one extension awaiting approval, if any');
  });
  await knex.schema.createTable('request_extensions', table => {
    table.comment('Extensions of active access asked for by the requester');
    table.string('id', 36).primary().notNullable();
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('requests')
      .onDelete('CASCADE');
    table.string('requester_ref', 255).notNullable();
    table
      .integer('added_minutes')
      .notNullable()
      .comment('how much longer the access was asked for');
    table
      .integer('total_minutes')
      .notNullable()
      .comment('the whole window from the grant, were it extended');
    table.text('justification').notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('pending, approved, rejected or lapsed');
    table.boolean('approval_required').notNullable();
    table.integer('min_approvals').notNullable();
    table.integer('approvals').notNullable().defaultTo(0);
    table.text('approver_refs').notNullable().comment('JSON array');
    table.text('policy_ids').notNullable().comment('JSON array');
    table.timestamp('previous_end_time', { useTz: true }).notNullable();
    table.timestamp('new_end_time', { useTz: true }).nullable();
    table.string('decided_by', 255).nullable();
    table.text('decision_comment').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.index(['request_id', 'created_at'], 'request_extensions_request_idx');
    table.index(['status'], 'request_extensions_status_idx');
  });
  await knex.schema.createTable('extension_decisions', table => {
    table.comment('One vote per approver per extension');
    table.string('id', 36).primary().notNullable();
    table
      .string('extension_id', 36)
      .notNullable()
      .references('id')
      .inTable('request_extensions')
      .onDelete('CASCADE');
    table.string('approver_ref', 255).notNullable();
    table.string('decision', 16).notNullable();
    table.text('comment').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.unique(['extension_id', 'approver_ref'], {
      indexName: 'extension_decisions_one_vote',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('extension_decisions');
  await knex.schema.dropTable('request_extensions');
  await knex.schema.alterTable('requests', table => {
    table.dropColumn('pending_extension_id');
    table.dropColumn('ends_soon_sent_at');
  });
};
