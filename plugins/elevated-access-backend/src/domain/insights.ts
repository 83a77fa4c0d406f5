import {
  AuditInsights,
  InsightsBucket,
  InsightsPermissionSet,
  InsightsPoint,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { FieldInputError } from './FieldInputError';

/*
 * The pure half of the audit insights: the period and its buckets, and the
 * assembly of the grouped rows the database returns into the API's answer.
 * Buckets are UTC days, or weeks starting on Monday 00:00 UTC.
 */

const DAY = 86_400_000;
const WEEK = 7 * DAY;
/** A Monday 00:00 UTC: weeks are counted from here. */
const MONDAY = Date.UTC(1970, 0, 5);

/** How many buckets one answer may hold. */
export const MAX_BUCKETS: Record<InsightsBucket, number> = {
  day: 366,
  week: 261,
};

/** The period when the query names none: 12 weeks, or 30 days. */
const DEFAULT_BUCKETS: Record<InsightsBucket, number> = { day: 30, week: 12 };

/** How many event sources each permission set lists. */
export const TOP_EVENT_SOURCES = 10;

export function bucketSizeMs(bucket: InsightsBucket): number {
  return bucket === 'week' ? WEEK : DAY;
}

/** The start of the bucket holding `ms`. */
export function bucketFloor(ms: number, bucket: InsightsBucket): number {
  const size = bucketSizeMs(bucket);
  const origin = bucket === 'week' ? MONDAY : 0;
  const offset = (((ms - origin) % size) + size) % size;
  return ms - offset;
}

/** `ms` itself on a boundary, else the start of the next bucket. */
export function bucketCeil(ms: number, bucket: InsightsBucket): number {
  const floor = bucketFloor(ms, bucket);
  return floor === ms ? ms : floor + bucketSizeMs(bucket);
}

export interface InsightsRange {
  /** Inclusive, a bucket start. */
  from: Date;
  /** Exclusive, a bucket boundary. */
  to: Date;
  bucket: InsightsBucket;
  /** Every bucket start in [from, to). */
  buckets: string[];
}

/**
 * The period of an insights query, widened to whole buckets: `to` defaults to
 * now, `from` to 12 weeks (30 days) before it.
 */
export function resolveRange(
  query: { from?: string; to?: string; bucket: InsightsBucket },
  now: Date,
): InsightsRange {
  const { bucket } = query;
  const size = bucketSizeMs(bucket);
  const toMs = bucketCeil(
    query.to ? Date.parse(query.to) : now.getTime(),
    bucket,
  );
  const fromMs = bucketFloor(
    query.from ? Date.parse(query.from) : toMs - DEFAULT_BUCKETS[bucket] * size,
    bucket,
  );
  if (fromMs >= toMs) {
    throw FieldInputError.of('from', 'From must be before To');
  }
  const count = (toMs - fromMs) / size;
  if (count > MAX_BUCKETS[bucket]) {
    throw FieldInputError.of(
      'from',
      `The period holds ${count} ${bucket}s; at most ${
        MAX_BUCKETS[bucket]
      } fit in one answer${bucket === 'day' ? ' (use bucket=week)' : ''}`,
    );
  }
  const buckets: string[] = [];
  for (let ms = fromMs; ms < toMs; ms += size) {
    buckets.push(new Date(ms).toISOString());
  }
  return { from: new Date(fromMs), to: new Date(toMs), bucket, buckets };
}

/** unused / assessed, or null when nothing is assessed yet. */
export function shareUnused(assessed: number, unused: number): number | null {
  return assessed > 0 ? unused / assessed : null;
}

const hours = (ms: number) => Math.round((ms / 3_600_000) * 100) / 100;

/** One GROUP BY row: a key (account or permission set) in one bucket. */
export interface GroupedGrants {
  key: string;
  label: string;
  /** Index of the bucket from the range's start. */
  bucketIndex: number;
  grants: number;
  grantedMs: number;
  assessed: number;
  unused: number;
}

/** Event counts of one permission set and event source. */
export interface GroupedSource {
  permissionSetArn: string;
  eventSource: string;
  events: number;
  grants: number;
}

function points(range: InsightsRange, rows: GroupedGrants[]): InsightsPoint[] {
  return rows
    .filter(r => r.bucketIndex >= 0 && r.bucketIndex < range.buckets.length)
    .map(r => ({
      bucketStart: range.buckets[r.bucketIndex],
      key: r.key,
      label: r.label,
      grants: r.grants,
      grantedHours: hours(r.grantedMs),
      assessed: r.assessed,
      unused: r.unused,
    }))
    .sort(
      (a, b) =>
        a.bucketStart.localeCompare(b.bucketStart) ||
        a.label.localeCompare(b.label) ||
        a.key.localeCompare(b.key),
    );
}

/** Builds the answer from the grouped rows of the database. */
export function assembleInsights(input: {
  range: InsightsRange;
  byAccount: GroupedGrants[];
  byPermissionSet: GroupedGrants[];
  sources: GroupedSource[];
  topSources?: number;
}): AuditInsights {
  const { range } = input;
  const top = input.topSources ?? TOP_EVENT_SOURCES;
  const byAccount = points(range, input.byAccount);
  const byPermissionSet = points(range, input.byPermissionSet);

  const sets = new Map<string, InsightsPermissionSet & { grantedMs: number }>();
  for (const r of input.byPermissionSet) {
    const set = sets.get(r.key) ?? {
      permissionSetArn: r.key,
      permissionSetName: r.label,
      grants: 0,
      grantedHours: 0,
      grantedMs: 0,
      assessed: 0,
      unused: 0,
      shareUnused: null,
      topEventSources: [],
    };
    set.grants += r.grants;
    set.grantedMs += r.grantedMs;
    set.assessed += r.assessed;
    set.unused += r.unused;
    sets.set(r.key, set);
  }
  const sourcesBySet = new Map<string, GroupedSource[]>();
  for (const s of input.sources) {
    sourcesBySet.set(s.permissionSetArn, [
      ...(sourcesBySet.get(s.permissionSetArn) ?? []),
      s,
    ]);
  }
  const permissionSets = [...sets.values()]
    .map(({ grantedMs, ...set }) => ({
      ...set,
      grantedHours: hours(grantedMs),
      shareUnused: shareUnused(set.assessed, set.unused),
      topEventSources: (sourcesBySet.get(set.permissionSetArn) ?? [])
        .sort(
          (a, b) =>
            b.grants - a.grants ||
            b.events - a.events ||
            a.eventSource.localeCompare(b.eventSource),
        )
        .slice(0, top)
        .map(s => ({
          eventSource: s.eventSource,
          events: s.events,
          grants: s.grants,
        })),
    }))
    .sort(
      (a, b) =>
        b.grants - a.grants ||
        a.permissionSetName.localeCompare(b.permissionSetName),
    );

  const sum = (key: 'grants' | 'grantedMs' | 'assessed' | 'unused') =>
    input.byAccount.reduce((n, r) => n + r[key], 0);
  const assessed = sum('assessed');
  const unused = sum('unused');
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    bucket: range.bucket,
    buckets: range.buckets,
    byAccount,
    byPermissionSet,
    totals: {
      grants: sum('grants'),
      grantedHours: hours(sum('grantedMs')),
      assessed,
      unused,
      shareUnused: shareUnused(assessed, unused),
    },
    permissionSets,
  };
}
