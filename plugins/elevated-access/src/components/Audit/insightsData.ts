import {
  AuditInsights,
  InsightsBucket,
  InsightsPoint,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { DateTime } from 'luxon';

export type InsightsGroup = 'account' | 'permissionSet';
export type InsightsMetric = 'grants' | 'grantedHours';

/** How many series a chart draws; the rest are summed as "Other". */
export const MAX_SERIES = 8;
export const OTHER = '__other__';

export interface ChartSeries {
  key: string;
  label: string;
}

/** A bucket as the axis shows it: "23 Nov" (weeks: "w/c 23 Nov"). */
export function bucketLabel(iso: string, bucket: InsightsBucket): string {
  const day = DateTime.fromISO(iso, { zone: 'utc' }).toFormat('d LLL');
  return bucket === 'week' ? `w/c ${day}` : day;
}

/** 0.25 → "25%"; unknown → "–". */
export function formatShare(share: number | null): string {
  return share === null ? '–' : `${Math.round(share * 100)}%`;
}

/** One account's (or permission set's) sums: a point without its bucket. */
export type SeriesTotal = Omit<InsightsPoint, 'bucketStart'>;

/** Each account's (or permission set's) sums over the period, largest first. */
export function totalsOf(points: InsightsPoint[]): SeriesTotal[] {
  const totals = new Map<string, SeriesTotal>();
  for (const p of points) {
    const t = totals.get(p.key) ?? {
      key: p.key,
      label: p.label,
      grants: 0,
      grantedHours: 0,
      assessed: 0,
      unused: 0,
    };
    t.grants += p.grants;
    t.grantedHours += p.grantedHours;
    t.assessed += p.assessed;
    t.unused += p.unused;
    totals.set(p.key, t);
  }
  return [...totals.values()]
    .map(t => ({ ...t, grantedHours: Math.round(t.grantedHours * 100) / 100 }))
    .sort(
      (a, b) =>
        b.grants - a.grants ||
        b.grantedHours - a.grantedHours ||
        a.label.localeCompare(b.label),
    );
}

/**
 * One chart row per bucket (zeros where nothing was granted), one column per
 * series: the largest `MAX_SERIES - 1` keys, the rest as "Other".
 */
export function chartData(
  insights: AuditInsights,
  group: InsightsGroup,
  metric: InsightsMetric,
): { rows: Array<Record<string, string | number>>; series: ChartSeries[] } {
  const points =
    group === 'account' ? insights.byAccount : insights.byPermissionSet;
  const totals = totalsOf(points);
  const shown =
    totals.length > MAX_SERIES ? totals.slice(0, MAX_SERIES - 1) : totals;
  const shownKeys = new Set(shown.map(t => t.key));
  const series: ChartSeries[] = shown.map(t => ({
    key: t.key,
    label: labelOf(t, totals),
  }));
  if (shown.length < totals.length) {
    series.push({ key: OTHER, label: 'Other' });
  }
  const rows = insights.buckets.map(bucketStart => {
    const row: Record<string, string | number> = {
      bucket: bucketLabel(bucketStart, insights.bucket),
    };
    for (const s of series) row[s.key] = 0;
    return row;
  });
  const index = new Map(insights.buckets.map((b, i) => [b, i]));
  for (const p of points) {
    const i = index.get(p.bucketStart);
    if (i === undefined) continue;
    const key = shownKeys.has(p.key) ? p.key : OTHER;
    const value = Number(rows[i][key]) + p[metric];
    rows[i][key] = Math.round(value * 100) / 100;
  }
  return { rows, series };
}

/** Names repeat across keys (two accounts both called "prod"): add the key. */
function labelOf(t: SeriesTotal, all: SeriesTotal[]) {
  return all.filter(o => o.label === t.label).length > 1
    ? `${t.label} (${t.key})`
    : t.label;
}
