import { ActivityEventDto } from '@elevated-access/backstage-plugin-elevated-access-common';
import { ActivityEvent } from '@elevated-access/backstage-plugin-elevated-access-node';
import { Knex } from 'knex';
import { NOISE_EVENTS } from '../domain/activityUse';
import { DbTime, pageNewestFirst, parseJson, toBool, toIso } from './util';

interface ActivityRow {
  id: number | string;
  request_id: string;
  event_id: string;
  event_time: DbTime;
  event_name: string;
  event_source: string;
  resources: string;
  source_ip: string | null;
  user_agent: string | null;
  read_only: boolean | number | null;
  error_code: string | null;
  region: string | null;
  after_end: boolean | number | null;
}

/** An event attributed to its request, ready to store. */
export interface AttributedEvent extends ActivityEvent {
  /** When the credentials that made it were issued, if the event says. */
  sessionIssuedAt?: string;
}

export function toActivityDto(row: ActivityRow): ActivityEventDto {
  return {
    eventId: row.event_id,
    eventTime: toIso(row.event_time),
    eventName: row.event_name,
    eventSource: row.event_source,
    resources: parseJson(row.resources, []),
    sourceIpAddress: row.source_ip ?? undefined,
    userAgent: row.user_agent ?? undefined,
    readOnly: row.read_only === null ? undefined : toBool(row.read_only),
    errorCode: row.error_code ?? undefined,
    region: row.region ?? undefined,
    afterEnd: toBool(row.after_end ?? false) || undefined,
  };
}

/**
 * Keeps the events that show use (domain/activityUse): not the sign-in noise.
 * `table` is the name or alias of activity_events in the query.
 */
export function whereUsage(
  query: Knex.QueryBuilder,
  table = 'activity_events',
): Knex.QueryBuilder {
  for (const noise of NOISE_EVENTS) {
    query.whereNot(q => {
      q.where(`${table}.event_source`, noise.eventSource);
      if (noise.eventName !== undefined) {
        q.where(`${table}.event_name`, noise.eventName);
      }
    });
  }
  return query;
}

/** Escapes LIKE wildcards so a search for `50%` finds "50%". */
function likePattern(q: string) {
  return `%${q.toLocaleLowerCase('en-US').replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

/**
 * The activity search: events whose name, source or resources contain the
 * text (case-insensitive), for the activity page and its CSV alike.
 */
function whereText(query: Knex.QueryBuilder, text: string) {
  const pattern = likePattern(text);
  return query.where(q =>
    q
      .whereRaw("lower(event_name) like ? escape '\\'", [pattern])
      .orWhereRaw("lower(event_source) like ? escape '\\'", [pattern])
      .orWhereRaw("lower(resources) like ? escape '\\'", [pattern]),
  );
}

/**
 * Session activity, kept in the plugin's database so audits do not depend on
 * CloudTrail's 90-day history. Events are deduplicated per request by id.
 */
export class ActivityStore {
  constructor(private readonly knex: Knex) {}

  /** Stores events; returns how many were new. */
  async insert(requestId: string, events: AttributedEvent[]): Promise<number> {
    if (!events.length) return 0;
    const rows = events.map(e => ({
      request_id: requestId,
      event_id: e.eventId,
      event_time: new Date(e.eventTime),
      event_name: e.eventName.slice(0, 128),
      event_source: e.eventSource.slice(0, 128),
      resources: JSON.stringify(e.resources),
      source_ip: e.sourceIpAddress?.slice(0, 64) ?? null,
      user_agent: e.userAgent ?? null,
      read_only: e.readOnly ?? null,
      error_code: e.errorCode?.slice(0, 128) ?? null,
      raw: JSON.stringify(e.raw ?? null),
      region: e.region?.slice(0, 32) ?? null,
      after_end: e.afterEnd ?? false,
      session_issued_at: e.sessionIssuedAt ? new Date(e.sessionIssuedAt) : null,
    }));
    let inserted = 0;
    // SQLite caps bound variables per statement; 60 rows x 14 columns fits.
    for (let i = 0; i < rows.length; i += 60) {
      const result = await this.knex('activity_events')
        .insert(rows.slice(i, i + 60))
        .onConflict(['request_id', 'event_id'])
        .ignore()
        .returning('id');
      inserted += Array.isArray(result) ? result.length : 0;
    }
    return inserted;
  }

  /** How far each region of a session has been collected. */
  async progressOf(requestId: string): Promise<Map<string, Date>> {
    const rows: Array<{ region: string; collected_until: DbTime }> =
      await this.knex('activity_progress')
        .where({ request_id: requestId })
        .select('region', 'collected_until');
    return new Map(
      rows.map(r => [r.region, new Date(toIso(r.collected_until)!)]),
    );
  }

  /** Records how far one region of a session has been collected. */
  async saveProgress(
    requestId: string,
    region: string,
    collectedUntil: Date,
  ): Promise<void> {
    await this.knex('activity_progress')
      .insert({
        request_id: requestId,
        region,
        collected_until: collectedUntil,
      })
      .onConflict(['request_id', 'region'])
      .merge(['collected_until']);
  }

  /** Whether a session made any event that shows use (domain/activityUse). */
  async hasUsage(requestId: string): Promise<boolean> {
    const row = await whereUsage(
      this.knex('activity_events').where('request_id', requestId),
    ).first('id');
    return row !== undefined;
  }

  async count(requestId: string): Promise<number> {
    const [{ n }] = await this.knex('activity_events')
      .where({ request_id: requestId })
      .count({ n: '*' });
    return Number(n);
  }

  /** Newest first, with text search over name, source and resources. */
  async page(options: {
    requestId: string;
    q?: string;
    cursor?: string;
    limit: number;
  }): Promise<{ items: ActivityEventDto[]; nextCursor?: string }> {
    const query = this.knex<ActivityRow>('activity_events').where(
      'request_id',
      options.requestId,
    );
    if (options.q) whereText(query, options.q);
    const { rows, nextCursor } = await pageNewestFirst<ActivityRow>(
      query,
      { timeColumn: 'event_time', idColumn: 'id', idType: 'number' },
      options,
    );
    return { items: rows.map(toActivityDto), nextCursor };
  }

  /** Every matching row, oldest first, in batches (for CSV export). */
  async *scan(filter: {
    requestIds?: string[];
    /** A subquery of request ids (RequestStore.idsMatching). */
    requests?: Knex.QueryBuilder;
    /** The activity search's text (as `page`). */
    q?: string;
    from?: Date;
    to?: Date;
    batchSize?: number;
  }): AsyncGenerator<Array<ActivityRow & { request_id: string }>> {
    const batchSize = filter.batchSize ?? 2000;
    let after = 0;
    for (;;) {
      const query = this.knex<ActivityRow>('activity_events')
        .select(
          'id',
          'request_id',
          'event_id',
          'event_time',
          'event_name',
          'event_source',
          'resources',
          'source_ip',
          'user_agent',
          'read_only',
          'error_code',
          'region',
          'after_end',
        )
        .where('id', '>', after)
        .orderBy('id')
        .limit(batchSize);
      if (filter.requestIds) query.whereIn('request_id', filter.requestIds);
      if (filter.requests) query.whereIn('request_id', filter.requests);
      if (filter.q) whereText(query, filter.q);
      if (filter.from) query.where('event_time', '>=', filter.from);
      if (filter.to) query.where('event_time', '<', filter.to);
      const rows: ActivityRow[] = await query;
      if (!rows.length) return;
      yield rows;
      after = Number(rows[rows.length - 1].id);
      if (rows.length < batchSize) return;
    }
  }
}
