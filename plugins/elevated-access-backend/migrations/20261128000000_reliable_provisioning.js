// @ts-check

/**
 * Reliable provisioning (issue 9):
 *
 * - the assignment ledger keeps a row for every assignment the plugin ever
 *   created (`present` says whether it may still exist in the target), so an
 *   assignment the plugin made is never mistaken for a pre-existing one and
 *   the orphan sweep finds it;
 * - requests remember when admins were alerted about a revocation that keeps
 *   failing (retries go on regardless);
 * - `call_budget` holds the next free call slot of each shared rate limit, so
 *   all replicas together stay under an AWS quota;
 * - revocations that failed used to park in `error` with the access still in
 *   place: they go back to `revoking`, to be retried.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('assignments', table => {
    table
      .boolean('present')
      .notNullable()
      .defaultTo(false)
      .comment(
        'true from just before the plugin creates the assignment until its deletion is confirmed',
      );
    table.index(['present', 'pre_existing'], 'assignments_present_idx');
  });
  // rows that exist today belong to live grants: they may be present
  await knex('assignments')
    .where('pre_existing', false)
    .update({ present: true });

  await knex.schema.alterTable('requests', table => {
    table
      .timestamp('revoke_alerted_at', { useTz: true })
      .nullable()
      .comment('when admins were told that removing the access keeps failing');
  });

  await knex.schema.createTable('call_budget', table => {
    table.comment(
      'Shared rate limits across replicas: the next free call slot of each bucket',
    );
    table.string('bucket', 128).primary();
    table.bigInteger('next_slot_ms').notNullable();
  });

  const failedRevocations = await knex('requests as r')
    .where('r.status', 'error')
    .whereExists(
      knex('events as e')
        .select(knex.raw('1'))
        .whereRaw('e.entity_id = r.id')
        .where('e.entity_type', 'request')
        .where('e.action', 'revoke-failed')
        .whereNotExists(
          knex('events as later')
            .select(knex.raw('1'))
            .whereRaw('later.entity_id = e.entity_id')
            .where('later.entity_type', 'request')
            .whereRaw('later.id > e.id'),
        ),
    )
    .select('r.id');
  const now = new Date();
  for (const { id } of failedRevocations) {
    await knex('requests').where({ id, status: 'error' }).update({
      status: 'revoking',
      next_attempt_at: null,
      claimed_by: null,
      claimed_until: null,
      updated_at: now,
    });
    await knex('events').insert({
      entity_type: 'request',
      entity_id: id,
      action: 'retry-revoke',
      actor_ref: 'system:elevated-access',
      from_status: 'error',
      to_status: 'revoking',
      message:
        'Access may still be present: removing it is retried automatically until it succeeds',
      created_at: now,
    });
  }
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('call_budget');
  await knex.schema.alterTable('requests', table => {
    table.dropColumn('revoke_alerted_at');
  });
  await knex.schema.alterTable('assignments', table => {
    table.dropIndex(['present', 'pre_existing'], 'assignments_present_idx');
    table.dropColumn('present');
  });
};
