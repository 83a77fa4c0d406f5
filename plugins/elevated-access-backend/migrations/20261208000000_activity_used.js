// @ts-check

/**
 * Used and unused access (issue 12): each grant is marked used or unused
 * once its activity is complete. `used` stays null while collection goes on
 * (and for requests never granted). A grant was used when its session made
 * any event other than sign-in noise: the console sign-in
 * (signin.amazonaws.com) and sts:GetCallerIdentity. The same rule is in
 * src/domain/activityUse.ts; requests already complete are backfilled here.
 * An index on granted_at serves the audit insights, which bucket grants by it.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('requests', table => {
    table
      .boolean('used')
      .nullable()
      .comment(
        'made events besides sign-in noise; null until activity is complete',
      );
    table.index(['granted_at'], 'requests_granted_idx');
  });
  await knex('requests')
    .where('activity_complete', true)
    .whereNotNull('granted_at')
    .update({ used: false });
  await knex('requests')
    .where('activity_complete', true)
    .whereNotNull('granted_at')
    .whereExists(
      knex('activity_events')
        .select(knex.raw('1'))
        .whereRaw('activity_events.request_id = requests.id')
        .whereNot('activity_events.event_source', 'signin.amazonaws.com')
        .whereNot(q =>
          q
            .where('activity_events.event_source', 'sts.amazonaws.com')
            .where('activity_events.event_name', 'GetCallerIdentity'),
        ),
    )
    .update({ used: true });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('requests', table => {
    table.dropIndex(['granted_at'], 'requests_granted_idx');
    table.dropColumn('used');
  });
};
