import { AuditInsights } from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  bucketLabel,
  chartData,
  formatShare,
  MAX_SERIES,
  OTHER,
} from './insightsData';
import { noGrants } from './__testUtils__/audit';

const W1 = '2026-11-23T00:00:00.000Z';
const W2 = '2026-11-30T00:00:00.000Z';

const point = (bucketStart: string, key: string, grants: number) => ({
  bucketStart,
  key,
  label: `acct-${key}`,
  grants,
  grantedHours: grants * 1.5,
  assessed: grants,
  unused: 0,
});

const base = (byAccount: AuditInsights['byAccount']): AuditInsights => ({
  from: W1,
  to: '2026-12-07T00:00:00.000Z',
  bucket: 'week',
  buckets: [W1, W2],
  byAccount,
  byPermissionSet: [],
  totals: noGrants,
  permissionSets: [],
});

describe('insights chart data', () => {
  it('has a row per bucket with zeros where nothing was granted', () => {
    const { rows, series } = chartData(
      base([point(W2, '1', 2)]),
      'account',
      'grantedHours',
    );
    expect(series).toEqual([{ key: '1', label: 'acct-1' }]);
    expect(rows).toEqual([
      { bucket: 'w/c 23 Nov', '1': 0 },
      { bucket: 'w/c 30 Nov', '1': 3 },
    ]);
  });

  it('keeps the largest series and sums the rest as Other', () => {
    const points = Array.from({ length: MAX_SERIES + 2 }, (_, i) =>
      point(W1, String(i), i + 1),
    );
    const { rows, series } = chartData(base(points), 'account', 'grants');
    expect(series).toHaveLength(MAX_SERIES);
    expect(series[0].key).toBe(String(MAX_SERIES + 1));
    expect(series[MAX_SERIES - 1]).toEqual({ key: OTHER, label: 'Other' });
    // the three smallest: 1 + 2 + 3 grants
    expect(rows[0][OTHER]).toBe(6);
  });

  it('formats buckets and shares', () => {
    expect(bucketLabel(W1, 'day')).toBe('23 Nov');
    expect(formatShare(1 / 3)).toBe('33%');
    expect(formatShare(null)).toBe('–');
  });
});
