import { csvExportFilename } from './exportFilename';
import { activityCsvQuerySchema, requestsCsvQuerySchema } from './schemas';

describe('csvExportFilename', () => {
  it('is the bare name without filters', () => {
    expect(csvExportFilename('requests', {})).toBe(
      'elevated-access-requests.csv',
    );
    expect(
      csvExportFilename('requests', {
        status: [],
        requester: '',
        q: undefined,
      }),
    ).toBe('elevated-access-requests.csv');
  });

  it('names every filter, in order', () => {
    expect(
      csvExportFilename('requests', {
        status: ['active', 'ended'],
        accountId: '111111111111',
        requester: 'user:default/erin',
        from: '2026-11-01T00:00:00.000Z',
        to: '2026-11-30T23:00:00Z',
        used: false,
      }),
    ).toBe(
      'elevated-access-requests_status-active+ended_accountId-111111111111_requester-erin_from-2026-11-01_to-2026-11-30T2300Z_used-false.csv',
    );
  });

  it('keeps days as typed and makes free text safe', () => {
    expect(
      csvExportFilename('activity', {
        from: '2026-11-01',
        q: 'DeleteBucket "prod"/../x;y',
      }),
    ).toBe(
      'elevated-access-activity_from-2026-11-01_q-DeleteBucket-prod-..-x-y.csv',
    );
    expect(csvExportFilename('activity', { q: '"/;' })).toBe(
      'elevated-access-activity.csv',
    );
    expect(
      csvExportFilename('activity', { q: 'x'.repeat(300) }).length,
    ).toBeLessThanOrEqual(204);
  });
});

describe('the CSV export queries', () => {
  it('take the list filters and nothing else', () => {
    expect(
      requestsCsvQuerySchema.parse({
        status: 'active,ended',
        accountId: '111111111111',
        requester: 'erin',
        from: '2026-11-01T00:00:00Z',
      }),
    ).toEqual({
      status: ['active', 'ended'],
      accountId: '111111111111',
      requester: 'erin',
      from: '2026-11-01T00:00:00Z',
    });
    for (const key of ['view', 'cursor', 'limit', 'other']) {
      expect(requestsCsvQuerySchema.safeParse({ [key]: 'x' }).success).toBe(
        false,
      );
    }
  });

  it('activity exports add one request and the search text', () => {
    expect(
      activityCsvQuerySchema.parse({
        requester: 'erin',
        q: ' s3 ',
        requestId: '5b8c1a52-0d3c-4a8e-9a53-8b1b2c0f6a11',
      }),
    ).toEqual({
      requester: 'erin',
      q: 's3',
      requestId: '5b8c1a52-0d3c-4a8e-9a53-8b1b2c0f6a11',
    });
    expect(
      activityCsvQuerySchema.safeParse({ q: 'x'.repeat(201) }).success,
    ).toBe(false);
    expect(activityCsvQuerySchema.safeParse({ limit: '5' }).success).toBe(
      false,
    );
  });
});
