/*
 * A bulk seeder for the benchmarks: `total` requests with their approver
 * snapshots, decisions and events, written by PostgreSQL itself
 * (INSERT … SELECT generate_series) with the secondary indexes built after
 * the load, instead of streaming rows from Node.
 *
 * The spread, over the year before `now` (one request every ~31 s at 1M):
 * - accounts: the demo organisation's five member accounts (fixtures.ts):
 *   the four Workloads accounts (approved by platform-leads, so by bob) and
 *   `audit` in Security (security-leads, frank), 10% of requests;
 * - requesters: 2,000 people; alice and erin are two of them (1 in 2,000
 *   each, 500 requests apiece at 1M); bob, carol, dave and frank request
 *   nothing;
 * - statuses: the newest 0.5% are live (30% pending, 5% approved, 15%
 *   active, the rest final); older ones are final: ended 70%, rejected 9%,
 *   expired 9%, cancelled 6%, revoked 6%;
 * - one decision for each decided request (an approval, or the rejection with
 *   a comment), by bob for a quarter of the Workloads ones; events: the
 *   creation, then one per transition the status implies (3.5 per request on
 *   average).
 */
import { Knex } from 'knex';

export interface SeedStats {
  requests: number;
  decisions: number;
  events: number;
  /** Seeding, VACUUM ANALYZE included. */
  ms: number;
}

const PS = 'arn:aws:sso:::permissionSet/ssoins-0000000000000001';

/**
 * A SQL CASE giving request `g.i` a status by its hash (0–999): each status
 * takes its share in per mille, in order, and `rest` what is left.
 */
function statusByShare(shares: Array<[string, number]>, rest: string) {
  let upTo = 0;
  const whens = shares.map(([status, perMille]) => {
    upTo += perMille;
    return `WHEN (g.i * 2654435761) % 1000 < ${upTo} THEN '${status}'`;
  });
  return `CASE ${whens.join(' ')} ELSE '${rest}' END`;
}

/** The newest requests' statuses (see the header). */
const LIVE_STATUS = statusByShare(
  [
    ['pending', 300],
    ['approved', 50],
    ['active', 150],
    ['ended', 400],
  ],
  'cancelled',
);

/** The older requests' statuses, all final (see the header). */
const FINAL_STATUS = statusByShare(
  [
    ['ended', 700],
    ['rejected', 90],
    ['expired', 90],
    ['cancelled', 60],
  ],
  'revoked',
);

export async function bulkSeedRequests(
  knex: Knex,
  total: number,
  now: Date = new Date(),
): Promise<SeedStats> {
  const start = Date.now();
  const live = Math.max(1, Math.floor(total * 0.005));
  // Secondary indexes are built once after the load (a sort each) rather
  // than row by row: whatever the migrations define, recreated as defined.
  const { rows: indexes } = await knex.raw(
    `SELECT i.indexname, i.indexdef FROM pg_indexes i
     WHERE i.schemaname = current_schema()
       AND i.tablename IN ('requests', 'request_approvers', 'request_decisions', 'events')
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c
         WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)`,
  );
  for (const { indexname } of indexes) {
    await knex.raw('DROP INDEX ??', [indexname]);
  }
  await knex.raw(
    `
    INSERT INTO requests (
      id, requester_ref, account_id, account_name, permission_set_arn,
      permission_set_name, status, start_time, end_time, duration_minutes,
      justification, ticket_id, approval_required, min_approvals, approvals,
      policy_ids, expires_at, principal_id, principal_name, granted_at,
      ended_at, revoked_by, activity_complete, version, created_at, updated_at)
    SELECT
      overlay(overlay(md5('request-' || s.i) placing '4' from 13) placing '8' from 17)::uuid::text,
      CASE s.u WHEN 0 THEN 'user:default/alice' WHEN 1 THEN 'user:default/erin'
        ELSE 'user:default/dev' || s.u END,
      a.id, a.name, ps.arn, ps.name, s.status,
      s.created + interval '5 minutes',
      s.created + interval '65 minutes',
      60,
      'Investigating incident ' || (s.i % 9973) || ' for the on-call rotation',
      'OPS-' || s.i,
      true, 1,
      CASE WHEN s.status IN ('approved', 'active', 'ended', 'revoked') THEN 1 ELSE 0 END,
      '[]',
      CASE WHEN s.status IN ('pending', 'expired') THEN s.created + interval '1 day' END,
      CASE WHEN s.status IN ('active', 'ended', 'revoked') THEN 'idc-' || s.u END,
      CASE WHEN s.status IN ('active', 'ended', 'revoked') THEN 'dev' || s.u END,
      CASE WHEN s.status IN ('active', 'ended', 'revoked') THEN s.created + interval '6 minutes' END,
      CASE WHEN s.status IN ('ended', 'revoked') THEN s.created + interval '50 minutes' END,
      CASE WHEN s.status = 'revoked' THEN 'user:default/dev' || s.u END,
      s.status IN ('ended', 'revoked'),
      1, s.created, s.created + interval '50 minutes'
    FROM (
      SELECT g.i,
        ((g.i * 7919) % 2000)::int AS u,
        (g.i * 2654435761) % 1000 AS h,
        ?::timestamptz - (((?::bigint - g.i) * 31536000000) / ?::bigint) * interval '1 millisecond' AS created,
        CASE
          WHEN ?::bigint - g.i < ? THEN ${LIVE_STATUS}
          ELSE ${FINAL_STATUS}
        END AS status
      FROM generate_series(1, ?::bigint) AS g(i)
    ) s
    JOIN (VALUES
      (0, '333333333333', 'payments-dev'), (1, '333333333333', 'payments-dev'),
      (2, '333333333333', 'payments-dev'), (3, '444444444444', 'data-dev'),
      (4, '444444444444', 'data-dev'), (5, '444444444444', 'data-dev'),
      (6, '111111111111', 'payments-prod'), (7, '111111111111', 'payments-prod'),
      (8, '222222222222', 'data-prod'), (9, '555555555555', 'audit')
    ) AS a(k, id, name) ON a.k = s.i % 10
    JOIN (VALUES
      (0, '${PS}/ps-0000000000000001', 'ReadOnlyAccess'),
      (1, '${PS}/ps-0000000000000002', 'PowerUserAccess'),
      (2, '${PS}/ps-0000000000000003', 'AdministratorAccess')
    ) AS ps(k, arn, name) ON ps.k = (s.i / 10) % 3
    `,
    [now, total, total, total, live, total],
  );

  await knex.raw(`
    INSERT INTO request_approvers (request_id, approver_ref)
    SELECT id, CASE WHEN account_id = '555555555555'
      THEN 'group:default/security-leads' ELSE 'group:default/platform-leads' END
    FROM requests`);

  await knex.raw(`
    INSERT INTO request_decisions (id, request_id, approver_ref, decision, comment, created_at)
    SELECT overlay(overlay(md5('decision-' || id) placing '4' from 13) placing '8' from 17)::uuid::text, id,
      CASE
        WHEN account_id = '555555555555' THEN 'user:default/frank'
        WHEN ('x' || substr(id, 1, 2))::bit(8)::int % 4 = 0 THEN 'user:default/bob'
        ELSE 'user:default/lead' || (('x' || substr(id, 3, 2))::bit(8)::int % 12)
      END,
      CASE WHEN status = 'rejected' THEN 'reject' ELSE 'approve' END,
      CASE WHEN status = 'rejected' THEN 'Use the read-only role for this' END,
      created_at + interval '4 minutes'
    FROM requests
    WHERE status IN ('approved', 'active', 'ended', 'revoked', 'rejected')`);

  // the creation, then the transitions each status implies
  await knex.raw(`
    INSERT INTO events (entity_type, entity_id, action, actor_ref, from_status, to_status, message, created_at)
    SELECT 'request', r.id, e.action,
      CASE e.actor WHEN 'requester' THEN r.requester_ref WHEN 'approver' THEN d.approver_ref
        ELSE 'plugin:elevated-access' END,
      e.from_status, e.to_status, e.message, r.created_at + e.after
    FROM requests r
    LEFT JOIN request_decisions d ON d.request_id = r.id
    CROSS JOIN LATERAL (VALUES
      ('create', 'requester', NULL, 'pending', NULL, interval '0', true),
      ('approve', 'approver', 'pending', 'approved', NULL, interval '4 minutes',
        r.status IN ('approved', 'active', 'ended', 'revoked')),
      ('reject', 'approver', 'pending', 'rejected', 'Use the read-only role for this', interval '4 minutes',
        r.status = 'rejected'),
      ('expire', 'system', 'pending', 'expired', NULL, interval '1 day', r.status = 'expired'),
      ('cancel', 'requester', 'pending', 'cancelled', NULL, interval '2 minutes', r.status = 'cancelled'),
      ('grant', 'system', 'approved', 'active', NULL, interval '6 minutes',
        r.status IN ('active', 'ended', 'revoked')),
      ('end', 'system', 'active', 'ended', NULL, interval '50 minutes', r.status = 'ended'),
      ('revoke', 'requester', 'active', 'revoked', 'Done early', interval '50 minutes', r.status = 'revoked')
    ) AS e(action, actor, from_status, to_status, message, after, applies)
    WHERE e.applies`);

  await knex.transaction(async trx => {
    await trx.raw("SET LOCAL maintenance_work_mem = '256MB'");
    for (const { indexdef } of indexes) {
      await trx.raw(indexdef);
    }
  });
  await knex.raw('VACUUM ANALYZE');
  const [requests, decisions, events] = await Promise.all(
    ['requests', 'request_decisions', 'events'].map(async table => {
      const [{ n }] = await knex(table).count({ n: '*' });
      return Number(n);
    }),
  );
  return { requests, decisions, events, ms: Date.now() - start };
}
