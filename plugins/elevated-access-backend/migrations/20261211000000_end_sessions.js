// @ts-check

/**
 * Revoked means revoked (issue 14, section 5): sessions a user opened before
 * the access ended are blocked by a Deny statement in the permission set's
 * inline policy until they have expired.
 *
 * - `session_blocks`: one row per ended request whose open sessions are
 *   blocked, the durable outbox of its two AWS steps (add the statement and
 *   provision, later remove it and provision). `status` is `pending`
 *   (to add), `adding`, `active` (in place until `remove_after`),
 *   `removing`, `removed`; a claim (`claimed_by`/`claimed_until`) makes one
 *   replica work it, `next_attempt_at` retries it with backoff.
 * - `permission_set_locks`: the lock every read-modify-write of one
 *   permission set's inline policy holds, from any replica.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('session_blocks', table => {
    table.string('request_id', 64).primary();
    table.string('principal_name', 256).notNullable();
    table.string('account_id', 32).notNullable();
    table.string('permission_set_arn', 512).notNullable();
    table.timestamp('issued_before', { useTz: true }).notNullable();
    table.string('status', 16).notNullable();
    table.timestamp('remove_after', { useTz: true }).nullable();
    table.string('claimed_by', 128).nullable();
    table.timestamp('claimed_until', { useTz: true }).nullable();
    table.timestamp('next_attempt_at', { useTz: true }).nullable();
    table.integer('attempts').notNullable().defaultTo(0);
    table.text('error_reason').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['status', 'next_attempt_at'], 'session_blocks_due_idx');
    table.index(['permission_set_arn', 'status'], 'session_blocks_ps_idx');
  });
  await knex.schema.createTable('permission_set_locks', table => {
    table.string('permission_set_arn', 512).primary();
    table.string('locked_by', 128).nullable();
    table.timestamp('locked_until', { useTz: true }).nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('permission_set_locks');
  await knex.schema.dropTable('session_blocks');
};
