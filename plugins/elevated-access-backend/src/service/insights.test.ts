import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { ACCOUNT } from '../__testUtils__/fixtures';
import { endedGrant } from '../__testUtils__/storeTests';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';
import { ActivityStore } from '../database/ActivityStore';
import { DatabaseRequestStore } from '../database/RequestStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('used access and insights over the API', () => {
  let api: ElevatedAccessTestBackend;
  let knex: Knex;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    api = await startElevatedAccess({ knex });
    const requests = DatabaseRequestStore.create({ knex });
    const granted = new Date('2026-11-24T09:00:00Z');
    for (const [name, used] of [
      ['used', true],
      ['unused', false],
      ['collecting', null],
    ] as const) {
      ids[name] = await endedGrant(knex, requests, {
        startTime: granted,
        hours: 1,
        used,
        complete: used !== null,
      });
    }
    await new ActivityStore(knex).insert(ids.used, [
      {
        eventId: 'e1',
        eventTime: '2026-11-24T09:10:00Z',
        eventName: 'ListBuckets',
        eventSource: 's3.amazonaws.com',
        resources: [],
        raw: {},
      },
    ]);
  });
  afterAll(() => api.stop());

  it('shows used on requests and filters the audit list and its CSV on it', async () => {
    const all = await api.get('carol', '/requests?view=all');
    const byId = Object.fromEntries(
      all.body.items.map((r: { id: string; used?: boolean }) => [r.id, r.used]),
    );
    expect(byId).toEqual({
      [ids.used]: true,
      [ids.unused]: false,
      [ids.collecting]: undefined,
    });
    const used = await api.get('carol', '/requests?view=all&used=true');
    expect(used.body.items.map((r: { id: string }) => r.id)).toEqual([
      ids.used,
    ]);
    const unused = await api.get('carol', '/requests?view=all&used=false');
    expect(unused.body.items.map((r: { id: string }) => r.id)).toEqual([
      ids.unused,
    ]);
    const bad = await api.get('carol', '/requests?view=all&used=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/used: Used must be true or false/);

    const csv = await api.get('carol', '/audit/requests.csv?used=false');
    expect(csv.status).toBe(200);
    const lines = csv.text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(ids.unused);
  });

  it('answers the insights of a period to auditors', async () => {
    const res = await api.get(
      'carol',
      '/audit/insights?from=2026-11-23T00:00:00Z&to=2026-11-30T00:00:00Z&bucket=day',
    );
    expect(res.status).toBe(200);
    expect(res.body.buckets).toHaveLength(7);
    expect(res.body.byAccount).toEqual([
      {
        bucketStart: '2026-11-24T00:00:00.000Z',
        key: ACCOUNT['payments-prod'],
        label: 'payments-prod',
        grants: 3,
        grantedHours: 3,
        assessed: 2,
        unused: 1,
      },
    ]);
    expect(res.body.totals.shareUnused).toBe(0.5);
    expect(res.body.permissionSets[0].topEventSources).toEqual([
      { eventSource: 's3.amazonaws.com', events: 1, grants: 1 },
    ]);

    const bad = await api.get('carol', '/audit/insights?bucket=month');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/Bucket must be day or week/);
    const backwards = await api.get(
      'carol',
      '/audit/insights?from=2026-11-30T00:00:00Z&to=2026-11-23T00:00:00Z',
    );
    expect(backwards.status).toBe(400);
    expect((await api.get('alice', '/audit/insights')).status).toBe(403);
  });
});
