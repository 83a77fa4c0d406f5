// @ts-check

/**
 * Audit fidelity (issue 12): every event keeps its region and the time its
 * session was issued, events made after the access ended are flagged, and
 * each region's collection progresses on its own. Events stored before this
 * were attributed by time window alone, so one event could sit under several
 * requests of the same user and pair, and a permission set whose name merely
 * started with the requested one's matched too. Those rows are re-attributed
 * here with the same rule the collector now uses: the exact reserved role,
 * the user's role session, and the request whose access window contains the
 * time the session was issued (the earliest granted, when legacy requests
 * overlap). Rows no request claims are removed.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('activity_events', table => {
    table.string('region', 32).nullable().comment('the event region');
    table
      .timestamp('session_issued_at', { useTz: true })
      .nullable()
      .comment('when the credentials that made the event were issued');
    table
      .boolean('after_end')
      .notNullable()
      .defaultTo(false)
      .comment('made after access ended, with a session issued during it');
  });
  await knex.schema.createTable('activity_progress', table => {
    table.comment(
      'How far activity has been collected, per request and region',
    );
    table
      .string('request_id', 36)
      .notNullable()
      .references('id')
      .inTable('requests')
      .onDelete('CASCADE');
    table.string('region', 32).notNullable();
    table.timestamp('collected_until', { useTz: true }).notNullable();
    table.primary(['request_id', 'region']);
  });
  await reattribute(knex);
};

/** @param {unknown} value */
const time = value =>
  value === null || value === undefined
    ? NaN
    : new Date(/** @type {any} */ (value)).getTime();

/**
 * @param {string | undefined} role
 * @param {string} permissionSet
 */
function isReservedRoleOf(role, permissionSet) {
  const prefix = `AWSReservedSSO_${permissionSet}_`;
  return (
    !!role &&
    role.startsWith(prefix) &&
    /^[0-9a-f]+$/i.test(role.slice(prefix.length))
  );
}

/** @param {string} raw */
function sessionOf(raw) {
  let record;
  try {
    record = JSON.parse(raw) ?? {};
  } catch {
    record = {};
  }
  const identity = record.userIdentity ?? {};
  const context = identity.sessionContext ?? {};
  const issuer = context.sessionIssuer ?? {};
  const role =
    issuer.userName ??
    (typeof issuer.arn === 'string' ? issuer.arn.split('/').pop() : undefined);
  let sessionName;
  if (
    typeof identity.arn === 'string' &&
    identity.arn.includes(':assumed-role/')
  ) {
    sessionName = identity.arn.split('/').slice(2).join('/');
  } else if (typeof identity.principalId === 'string') {
    sessionName = identity.principalId.split(':')[1];
  }
  const issued = time(context.attributes?.creationDate);
  return {
    cloudTrail: !!record.userIdentity,
    role,
    sessionName,
    issued,
    region: typeof record.awsRegion === 'string' ? record.awsRegion : null,
  };
}

/** @param {import('knex').Knex} knex */
async function reattribute(knex) {
  /** @type {Map<string, any[]>} sessions by account/user/permission set */
  const sessions = new Map();
  const requests = await knex('requests')
    .whereNotNull('granted_at')
    .select(
      'id',
      'account_id',
      'principal_name',
      'permission_set_name',
      'granted_at',
      'ended_at',
      'end_time',
    );
  /** @type {Map<string, any>} */
  const byId = new Map();
  for (const r of requests) {
    const key = `${r.account_id}/${r.principal_name}/${r.permission_set_name}`;
    const window = {
      id: r.id,
      from: time(r.granted_at),
      to: time(r.ended_at ?? r.end_time),
      permissionSet: r.permission_set_name,
      user: r.principal_name,
      key,
    };
    byId.set(r.id, window);
    sessions.set(key, [...(sessions.get(key) ?? []), window]);
  }
  let after = 0;
  for (;;) {
    const rows = await knex('activity_events')
      .where('id', '>', after)
      .orderBy('id')
      .limit(500)
      .select('id', 'request_id', 'event_time', 'raw');
    if (!rows.length) return;
    after = Number(rows[rows.length - 1].id);
    const remove = [];
    for (const row of rows) {
      const request = byId.get(row.request_id);
      const session = sessionOf(row.raw);
      const issued = Number.isNaN(session.issued)
        ? time(row.event_time)
        : session.issued;
      let owner;
      if (request) {
        const madeBySession =
          !session.cloudTrail ||
          (isReservedRoleOf(session.role, request.permissionSet) &&
            (session.sessionName === undefined ||
              session.sessionName === request.user));
        if (madeBySession) {
          owner = (sessions.get(request.key) ?? [])
            .filter(s => s.from <= issued && issued < s.to)
            .sort((a, b) => a.from - b.from || (a.id < b.id ? -1 : 1))[0];
        }
      }
      if (!owner || owner.id !== row.request_id) {
        remove.push(row.id);
        continue;
      }
      await knex('activity_events')
        .where('id', row.id)
        .update({
          region: session.region,
          session_issued_at: Number.isNaN(session.issued)
            ? null
            : new Date(session.issued),
          after_end: time(row.event_time) >= owner.to,
        });
    }
    if (remove.length) {
      await knex('activity_events').whereIn('id', remove).delete();
    }
  }
}

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('activity_progress');
  await knex.schema.alterTable('activity_events', table => {
    table.dropColumn('region');
    table.dropColumn('session_issued_at');
    table.dropColumn('after_end');
  });
};
