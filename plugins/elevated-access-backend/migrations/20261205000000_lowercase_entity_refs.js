// @ts-check

/**
 * Entity refs normalised once (issue 10): the plugin now stores every user
 * and group ref lower-cased, as the catalog compares them, and compares them
 * that way in SQL. Refs stored before (a policy naming `user:default/Bob`,
 * the approver snapshot taken from it, requests and votes) are lower-cased
 * here so they compare the same way.
 *
 * Votes: where one person voted twice under two spellings of their ref, the
 * second vote keeps its spelling (one vote per approver is a unique key).
 * The event log is append-only and keeps refs as they were written.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const lower = (/** @type {string} */ ref) => ref.toLocaleLowerCase('en-US');

  /** The distinct values of a column that are not lower-case. */
  async function mixed(
    /** @type {string} */ table,
    /** @type {string} */ column,
  ) {
    const values = await knex(table).distinct(column).pluck(column);
    return values.filter(v => typeof v === 'string' && v !== lower(v));
  }

  for (const ref of await mixed('requests', 'requester_ref')) {
    await knex('requests')
      .where('requester_ref', ref)
      .update({ requester_ref: lower(ref) });
  }

  // (request_id, approver_ref) is the key: drop a spelling the request
  // already holds in lower case, then lower-case the rest
  for (const ref of await mixed('request_approvers', 'approver_ref')) {
    await knex('request_approvers')
      .where('approver_ref', ref)
      .whereIn(
        'request_id',
        knex('request_approvers')
          .select('request_id')
          .where('approver_ref', lower(ref)),
      )
      .delete();
    await knex('request_approvers')
      .where('approver_ref', ref)
      .update({ approver_ref: lower(ref) });
  }

  for (const ref of await mixed('request_decisions', 'approver_ref')) {
    await knex('request_decisions')
      .where('approver_ref', ref)
      .whereNotIn(
        'request_id',
        knex('request_decisions')
          .select('request_id')
          .where('approver_ref', lower(ref)),
      )
      .update({ approver_ref: lower(ref) });
  }

  for (const [table, field] of [
    ['eligibility_policies', 'principals'],
    ['approver_policies', 'approvers'],
  ]) {
    const rows = await knex(table).select('id', 'body');
    for (const row of rows) {
      const body = JSON.parse(row.body);
      const refs = Array.isArray(body[field]) ? body[field] : [];
      const normalized = [...new Set(refs.map(lower))];
      if (JSON.stringify(normalized) !== JSON.stringify(refs)) {
        await knex(table)
          .where('id', row.id)
          .update({ body: JSON.stringify({ ...body, [field]: normalized }) });
      }
    }
  }
};

/**
 * Nothing to undo: lower-cased refs name the same entities.
 *
 * @param {import('knex').Knex} _knex
 */
exports.down = async function down(_knex) {};
