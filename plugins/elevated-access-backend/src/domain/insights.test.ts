import {
  assembleInsights,
  bucketCeil,
  bucketFloor,
  resolveRange,
  shareUnused,
} from './insights';
import { InsightsBucket } from '@elevated-access/backstage-plugin-elevated-access-common';
import { isUsageEvent } from './activityUse';

const ms = (iso: string) => Date.parse(iso);
const iso = (n: number) => new Date(n).toISOString();

describe('insight buckets', () => {
  it.each<[string, InsightsBucket, string]>([
    ['2026-11-25T17:30:00Z', 'day', '2026-11-25T00:00:00.000Z'],
    // Wednesday → the Monday before; Monday itself stays; Sunday → 6 days back
    ['2026-11-25T17:30:00Z', 'week', '2026-11-23T00:00:00.000Z'],
    ['2026-11-23T00:00:00Z', 'week', '2026-11-23T00:00:00.000Z'],
    ['2026-11-29T23:59:59Z', 'week', '2026-11-23T00:00:00.000Z'],
    // before 1970 too
    ['1969-12-31T12:00:00Z', 'week', '1969-12-29T00:00:00.000Z'],
  ])(
    'floors %s to the start of its UTC %s (weeks start on Monday): %s',
    (at, bucket, floor) => {
      expect(iso(bucketFloor(ms(at), bucket))).toBe(floor);
    },
  );

  it.each<[string, InsightsBucket, string]>([
    ['2026-11-25T00:00:01Z', 'day', '2026-11-26T00:00:00.000Z'],
    ['2026-11-25T00:00:00Z', 'day', '2026-11-25T00:00:00.000Z'],
  ])('ceils %s to the next %s boundary: %s', (at, bucket, ceil) => {
    expect(iso(bucketCeil(ms(at), bucket))).toBe(ceil);
  });

  it('widens the period to whole buckets and lists every bucket', () => {
    const range = resolveRange(
      {
        from: '2026-11-24T10:00:00Z',
        to: '2026-12-02T10:00:00Z',
        bucket: 'week',
      },
      new Date(),
    );
    expect(range.from.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(range.to.toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(range.buckets).toEqual([
      '2026-11-23T00:00:00.000Z',
      '2026-11-30T00:00:00.000Z',
    ]);
  });

  it('defaults to the 12 weeks or 30 days up to now', () => {
    const now = new Date('2026-11-25T10:00:00Z');
    const weeks = resolveRange({ bucket: 'week' }, now);
    expect(weeks.buckets).toHaveLength(12);
    expect(weeks.to.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    const days = resolveRange({ bucket: 'day' }, now);
    expect(days.buckets).toHaveLength(30);
    expect(days.buckets[29]).toBe('2026-11-25T00:00:00.000Z');
  });

  it('refuses empty and overlong periods', () => {
    const now = new Date();
    expect(() =>
      resolveRange(
        {
          from: '2026-11-25T00:00:00Z',
          to: '2026-11-24T00:00:00Z',
          bucket: 'day',
        },
        now,
      ),
    ).toThrow(/From must be before To/);
    expect(() =>
      resolveRange(
        {
          from: '2025-01-01T00:00:00Z',
          to: '2026-11-24T00:00:00Z',
          bucket: 'day',
        },
        now,
      ),
    ).toThrow(/use bucket=week/);
    expect(
      resolveRange(
        {
          from: '2025-01-01T00:00:00Z',
          to: '2026-11-24T00:00:00Z',
          bucket: 'week',
        },
        now,
      ).buckets.length,
    ).toBe(100);
  });
});

describe('share unused', () => {
  it('is unused over assessed, and unknown without assessed grants', () => {
    expect(shareUnused(4, 1)).toBe(0.25);
    expect(shareUnused(0, 0)).toBeNull();
  });
});

describe('usage events', () => {
  it('leaves out the console sign-in and GetCallerIdentity only', () => {
    expect(
      isUsageEvent({
        eventSource: 'signin.amazonaws.com',
        eventName: 'ConsoleLogin',
      }),
    ).toBe(false);
    expect(
      isUsageEvent({
        eventSource: 'sts.amazonaws.com',
        eventName: 'GetCallerIdentity',
      }),
    ).toBe(false);
    expect(
      isUsageEvent({
        eventSource: 'sts.amazonaws.com',
        eventName: 'AssumeRole',
      }),
    ).toBe(true);
    expect(
      isUsageEvent({
        eventSource: 's3.amazonaws.com',
        eventName: 'ListBuckets',
      }),
    ).toBe(true);
  });
});

describe('assembleInsights', () => {
  const range = resolveRange(
    {
      from: '2026-11-23T00:00:00Z',
      to: '2026-12-07T00:00:00Z',
      bucket: 'week',
    },
    new Date(),
  );
  const row = (
    key: string,
    bucketIndex: number,
    grants: number,
    assessed = grants,
    unused = 0,
  ) => ({
    key,
    label: key.toUpperCase(),
    bucketIndex,
    grants,
    grantedMs: grants * 5_400_000,
    assessed,
    unused,
  });

  it('turns bucket indexes into dates, sums per permission set and ranks event sources', () => {
    const insights = assembleInsights({
      range,
      byAccount: [row('b', 1, 1), row('a', 0, 2, 2, 1)],
      byPermissionSet: [row('ps', 0, 2, 2, 1), row('ps', 1, 1, 0)],
      sources: [
        { permissionSetArn: 'ps', eventSource: 'ec2', events: 50, grants: 1 },
        { permissionSetArn: 'ps', eventSource: 's3', events: 3, grants: 2 },
        { permissionSetArn: 'ps', eventSource: 'iam', events: 3, grants: 2 },
        { permissionSetArn: 'ps', eventSource: 'kms', events: 1, grants: 1 },
      ],
      topSources: 3,
    });
    expect(insights.byAccount.map(p => [p.bucketStart, p.key])).toEqual([
      ['2026-11-23T00:00:00.000Z', 'a'],
      ['2026-11-30T00:00:00.000Z', 'b'],
    ]);
    expect(insights.byAccount[0].grantedHours).toBe(3);
    expect(insights.totals).toEqual({
      grants: 3,
      grantedHours: 4.5,
      assessed: 3,
      unused: 1,
      shareUnused: 1 / 3,
    });
    expect(insights.permissionSets).toEqual([
      {
        permissionSetArn: 'ps',
        permissionSetName: 'PS',
        grants: 3,
        grantedHours: 4.5,
        assessed: 2,
        unused: 1,
        shareUnused: 0.5,
        // by grants, then events, then name
        topEventSources: [
          { eventSource: 'iam', events: 3, grants: 2 },
          { eventSource: 's3', events: 3, grants: 2 },
          { eventSource: 'ec2', events: 50, grants: 1 },
        ],
      },
    ]);
  });

  it('answers an empty period with its buckets and no share', () => {
    const insights = assembleInsights({
      range,
      byAccount: [],
      byPermissionSet: [],
      sources: [],
    });
    expect(insights.buckets).toHaveLength(2);
    expect(insights.totals.shareUnused).toBeNull();
    expect(insights.permissionSets).toEqual([]);
  });
});
