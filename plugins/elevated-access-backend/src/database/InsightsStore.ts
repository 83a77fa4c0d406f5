import { Knex } from 'knex';
import {
  bucketSizeMs,
  GroupedGrants,
  GroupedSource,
  InsightsRange,
} from '../domain/insights';
import { whereUsage } from './ActivityStore';
import { usesPostgres } from './util';

/** A timestamp column as epoch milliseconds, in either dialect. */
function epochMs(knex: Knex, column: string): string {
  // SQLite keeps timestamps as epoch ms already
  return usesPostgres(knex) ? `(extract(epoch from ${column}) * 1000)` : column;
}

/**
 * The audit insights' grouping, done in SQL (GROUP BY, on SQLite and
 * PostgreSQL alike): grants by the bucket of their grant time and by account
 * or permission set, and event sources by permission set. The caller turns
 * the rows into the answer (domain/insights).
 */
export class InsightsStore {
  constructor(private readonly knex: Knex) {}

  private grantsIn(range: InsightsRange) {
    const knex = this.knex;
    const granted = epochMs(knex, 'requests.granted_at');
    const ends = epochMs(
      knex,
      'coalesce(requests.ended_at, requests.end_time)',
    );
    // bucket index from the range start (a bucket boundary), so never negative
    const index = usesPostgres(knex)
      ? `floor((${granted} - ?) / ?)`
      : `cast((${granted} - ?) / ? as integer)`;
    return knex('requests')
      .whereNotNull('requests.granted_at')
      .where('requests.granted_at', '>=', range.from)
      .where('requests.granted_at', '<', range.to)
      .select(
        'requests.account_id',
        'requests.account_name',
        'requests.permission_set_arn',
        'requests.permission_set_name',
        'requests.used',
        knex.raw(`${index} as bucket_index`, [
          range.from.getTime(),
          bucketSizeMs(range.bucket),
        ]),
        knex.raw(`${ends} - ${granted} as granted_ms`),
      );
  }

  /** Grants per key (account or permission set) and bucket. */
  async grants(
    range: InsightsRange,
    by: 'account' | 'permissionSet',
  ): Promise<GroupedGrants[]> {
    const knex = this.knex;
    const [key, label] =
      by === 'account'
        ? ['account_id', 'account_name']
        : ['permission_set_arn', 'permission_set_name'];
    const rows: Array<Record<string, unknown>> = await knex
      .from(this.grantsIn(range).as('g'))
      .select({ key: `g.${key}`, bucket_index: 'g.bucket_index' })
      .max({ label: `g.${label}` })
      .count({ grants: '*' })
      .sum({ granted_ms: 'g.granted_ms' })
      .select(
        knex.raw('sum(case when g.used is null then 0 else 1 end) as assessed'),
        knex.raw('sum(case when g.used = ? then 1 else 0 end) as unused', [
          false,
        ]),
      )
      .groupBy(`g.${key}`, 'g.bucket_index');
    return rows.map(r => ({
      key: String(r.key),
      label: String(r.label),
      bucketIndex: Number(r.bucket_index),
      grants: Number(r.grants),
      grantedMs: Number(r.granted_ms ?? 0),
      assessed: Number(r.assessed ?? 0),
      unused: Number(r.unused ?? 0),
    }));
  }

  /** Events that show use, per permission set and event source. */
  async eventSources(range: InsightsRange): Promise<GroupedSource[]> {
    const query = this.knex('activity_events')
      .join('requests', 'requests.id', 'activity_events.request_id')
      .whereNotNull('requests.granted_at')
      .where('requests.granted_at', '>=', range.from)
      .where('requests.granted_at', '<', range.to);
    whereUsage(query);
    const rows: Array<Record<string, unknown>> = await query
      .select({
        arn: 'requests.permission_set_arn',
        source: 'activity_events.event_source',
      })
      .count({ events: '*' })
      .countDistinct({ grants: 'activity_events.request_id' })
      .groupBy('requests.permission_set_arn', 'activity_events.event_source');
    return rows.map(r => ({
      permissionSetArn: String(r.arn),
      eventSource: String(r.source),
      events: Number(r.events),
      grants: Number(r.grants),
    }));
  }
}
