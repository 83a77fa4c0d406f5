// @ts-check

/**
 * The Elevated Access schema: requests, their approver snapshot and votes,
 * the append-only event log, policies, settings, session activity and the
 * grant ledger.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('requests', table => {
    table.comment('Access requests, one row per request');
    table.string('id', 36).primary().notNullable();
    table.string('requester_ref', 255).notNullable();
    table.string('account_id', 12).notNullable();
    table.string('account_name', 255).notNullable();
    table.string('permission_set_arn', 255).notNullable();
    table.string('permission_set_name', 255).notNullable();
    table.string('status', 16).notNullable();
    table.timestamp('start_time', { useTz: true }).notNullable();
    table.timestamp('end_time', { useTz: true }).notNullable();
    table.integer('duration_minutes').notNullable();
    table.text('justification').notNullable();
    table.string('ticket_id', 64).nullable();
    table.boolean('approval_required').notNullable();
    table.integer('min_approvals').notNullable();
    table.integer('approvals').notNullable().defaultTo(0);
    table
      .text('policy_ids')
      .notNullable()
      .comment('JSON: matching eligibility policy ids');
    table.timestamp('expires_at', { useTz: true }).nullable();
    table.timestamp('reminder_sent_at', { useTz: true }).nullable();
    // provisioning
    table
      .string('principal_id', 255)
      .nullable()
      .comment('Identity Center user id');
    table
      .string('principal_name', 255)
      .nullable()
      .comment('Identity Center user name');
    table.timestamp('granted_at', { useTz: true }).nullable();
    table.timestamp('ended_at', { useTz: true }).nullable();
    table.string('revoked_by', 255).nullable();
    table.text('revoke_comment').nullable();
    table.text('error_reason').nullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('next_attempt_at', { useTz: true }).nullable();
    // a lease: the replica working on the row, and until when
    table.string('claimed_by', 64).nullable();
    table.timestamp('claimed_until', { useTz: true }).nullable();
    // activity collection
    table.boolean('activity_complete').notNullable().defaultTo(false);
    table.timestamp('activity_collected_until', { useTz: true }).nullable();
    table.integer('version').notNullable().defaultTo(1);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();

    // list views: newest first, keyset pagination on (created_at, id)
    table.index(
      ['requester_ref', 'created_at', 'id'],
      'requests_requester_idx',
    );
    table.index(['status', 'created_at', 'id'], 'requests_status_idx');
    table.index(['account_id', 'created_at', 'id'], 'requests_account_idx');
    table.index(['created_at', 'id'], 'requests_created_idx');
    // lifecycle work: what is due
    table.index(['status', 'start_time'], 'requests_due_start_idx');
    table.index(['status', 'end_time'], 'requests_due_end_idx');
    table.index(['status', 'expires_at'], 'requests_due_expiry_idx');
  });

  await knex.schema.createTable('request_approvers', table => {
    table.comment('Approver refs snapshotted on each request at creation');
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('requests')
      .onDelete('CASCADE');
    table.string('approver_ref', 255).notNullable();
    table.primary(['request_id', 'approver_ref']);
    table.index(['approver_ref', 'request_id'], 'request_approvers_ref_idx');
  });

  await knex.schema.createTable('request_decisions', table => {
    table.comment('One vote per approver per request');
    table.string('id', 36).primary().notNullable();
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('requests')
      .onDelete('CASCADE');
    table.string('approver_ref', 255).notNullable();
    table.string('decision', 16).notNullable();
    table.text('comment').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.unique(['request_id', 'approver_ref'], {
      indexName: 'request_decisions_one_vote',
    });
  });

  await knex.schema.createTable('events', table => {
    table.comment(
      'Append-only log of every transition and every policy or settings change',
    );
    table.bigIncrements('id').primary();
    table.string('entity_type', 32).notNullable();
    table.string('entity_id', 64).notNullable();
    table.string('action', 32).notNullable();
    table.string('actor_ref', 255).notNullable();
    table.string('from_status', 16).nullable();
    table.string('to_status', 16).nullable();
    table.text('message').nullable();
    table.text('before').nullable().comment('JSON');
    table.text('after').nullable().comment('JSON');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['entity_type', 'entity_id', 'id'], 'events_entity_idx');
    table.index(['created_at'], 'events_created_idx');
  });

  for (const name of ['eligibility_policies', 'approver_policies']) {
    await knex.schema.createTable(name, table => {
      table.string('id', 36).primary().notNullable();
      table.string('name', 200).notNullable();
      table.text('body').notNullable().comment('JSON: the policy');
      table.integer('version').notNullable();
      table.timestamp('created_at', { useTz: true }).notNullable();
      table.timestamp('updated_at', { useTz: true }).notNullable();
      table.string('updated_by', 255).notNullable();
    });
  }

  await knex.schema.createTable('settings', table => {
    table.comment('Admin settings; one row, id "global"');
    table.string('id', 32).primary().notNullable();
    table.text('body').notNullable().comment('JSON');
    table.integer('version').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.string('updated_by', 255).notNullable();
  });

  await knex.schema.createTable('activity_events', table => {
    table.comment('Session activity (CloudTrail events) of each request');
    table.bigIncrements('id').primary();
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('requests')
      .onDelete('CASCADE');
    table.string('event_id', 128).notNullable();
    table.timestamp('event_time', { useTz: true }).notNullable();
    table.string('event_name', 128).notNullable();
    table.string('event_source', 128).notNullable();
    table.text('resources').notNullable().comment('JSON array of names/ARNs');
    table.string('source_ip', 64).nullable();
    table.text('user_agent').nullable();
    table.boolean('read_only').nullable();
    table.string('error_code', 128).nullable();
    table
      .text('raw')
      .notNullable()
      .comment('The event as the source returned it');
    table.unique(['request_id', 'event_id'], {
      indexName: 'activity_events_dedupe',
    });
    table.index(['request_id', 'event_time', 'id'], 'activity_events_time_idx');
    table.index(['event_time'], 'activity_events_global_time_idx');
  });

  await knex.schema.createTable('assignments', table => {
    table.comment(
      'Ledger of each (principal, account, permission set) it grants: whether the assignment existed before the plugin granted it, and a lock that serialises grants and revocations of the same assignment',
    );
    table.string('principal_id', 255).notNullable();
    table.string('account_id', 12).notNullable();
    table.string('permission_set_arn', 255).notNullable();
    table.boolean('pre_existing').nullable().comment('null until checked');
    table.string('locked_by', 64).nullable();
    table.timestamp('locked_until', { useTz: true }).nullable();
    table.timestamp('recorded_at', { useTz: true }).notNullable();
    table.primary(['principal_id', 'account_id', 'permission_set_arn']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('assignments');
  await knex.schema.dropTable('activity_events');
  await knex.schema.dropTable('settings');
  await knex.schema.dropTable('approver_policies');
  await knex.schema.dropTable('eligibility_policies');
  await knex.schema.dropTable('events');
  await knex.schema.dropTable('request_decisions');
  await knex.schema.dropTable('request_approvers');
  await knex.schema.dropTable('requests');
};
