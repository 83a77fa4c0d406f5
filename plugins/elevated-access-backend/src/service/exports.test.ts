import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Knex } from 'knex';
import { ActivityStore } from '../database/ActivityStore';
import { describeEachDatabase } from '../__testUtils__/databases';
import {
  ACCOUNT,
  DEMO_APPROVERS,
  OU,
  PS,
  Persona,
} from '../__testUtils__/fixtures';
import { seedDemoPolicies } from '../__testUtils__/scenarios';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

/*
 * Exports = screen: every CSV takes exactly the filters of the list (or the
 * activity search) it exports and holds exactly its rows; and an approver's
 * history (`view=decided`, `/requests/decided.csv`) stays within their scope.
 */

const DAY = 24 * 3600_000;

/** Set-up checks (expect() belongs in tests). */
function must(ok: boolean, message: string) {
  if (!ok) throw new Error(`Set-up failed: ${message}`);
}

/** The request ids of a CSV (the first column), in file order. */
const csvIds = (text: string) =>
  [...text.matchAll(/^([0-9a-f-]{36}),/gm)].map(m => m[1]);

/** The event ids of an activity CSV (the last column). */
const csvEventIds = (text: string) =>
  text
    .trim()
    .split('\n')
    .slice(1)
    .map(line => line.split(',').at(-1))
    .sort();

describeEachDatabase('filtered exports and the decided view', init => {
  let api: ElevatedAccessTestBackend;
  let knex: Knex;
  const ids: Record<string, string> = {};

  async function create(
    who: Persona,
    name: string,
    accountId: string,
    permissionSetArn: string,
  ) {
    const res = await api.post(who, '/requests', {
      accountId,
      permissionSetArn,
      durationMinutes: 60,
      justification: `Investigate the ${name} incident`,
      ticketId: permissionSetArn === PS.PowerUserAccess ? 'OPS-1' : undefined,
    });
    must(res.status === 201, `${name}: ${JSON.stringify(res.body)}`);
    ids[name] = res.body.id;
    return res.body as AccessRequest;
  }

  /** Every id of a list, following the cursor with small pages. */
  async function listIds(who: Persona, query: string) {
    const out: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await api.get(
        who,
        `/requests?${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      must(res.status === 200, `${query}: ${JSON.stringify(res.body)}`);
      out.push(...res.body.items.map((r: AccessRequest) => r.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    return out;
  }

  beforeAll(async () => {
    knex = await init();
    api = await startElevatedAccess({ knex });
    await seedDemoPolicies(api);
    const prod = ACCOUNT['payments-prod'];
    const dataProd = ACCOUNT['data-prod'];
    await create('alice', 'alice-approved', prod, PS.PowerUserAccess);
    await create('alice', 'alice-rejected', dataProd, PS.PowerUserAccess);
    await create(
      'alice',
      'alice-pending',
      ACCOUNT['payments-dev'],
      PS.PowerUserAccess,
    );
    await create(
      'alice',
      'alice-cancelled',
      ACCOUNT['data-dev'],
      PS.ReadOnlyAccess,
    );
    await create('erin', 'erin-approved', prod, PS.PowerUserAccess);
    await create('erin', 'erin-cancelled', dataProd, PS.PowerUserAccess);
    await create('erin', 'erin-ended', prod, PS.ReadOnlyAccess);
    await create('erin', 'erin-scheduled', dataProd, PS.ReadOnlyAccess);
    const act = async (who: Persona, name: string, verb: string) => {
      const res = await api.post(who, `/requests/${ids[name]}/${verb}`, {
        ...(verb === 'cancel' ? {} : { comment: 'ok' }),
      });
      must(res.status === 200, `${verb} ${name}: ${JSON.stringify(res.body)}`);
    };
    await act('bob', 'alice-approved', 'approve');
    await act('bob', 'alice-rejected', 'reject');
    await act('bob', 'erin-approved', 'approve');
    await act('alice', 'alice-cancelled', 'cancel');
    await act('erin', 'erin-cancelled', 'cancel');
    await knex('requests')
      .where({ id: ids['erin-ended'] })
      .update({ status: 'ended' });
    // distinct creation times, a few days apart, for the date filters
    const order = Object.keys(ids);
    for (const [i, name] of order.entries()) {
      await knex('requests')
        .where({ id: ids[name] })
        .update({
          created_at: new Date(
            Date.parse('2026-11-01T12:00:00Z') + i * 2 * DAY,
          ),
        });
    }
    const activity = new ActivityStore(knex);
    const event = (id: string, name: string, source: string) => ({
      eventId: id,
      eventTime: '2026-11-20T10:00:00Z',
      eventName: name,
      eventSource: source,
      resources: [`resource-${id}`],
      raw: {},
    });
    await activity.insert(ids['alice-approved'], [
      event('a-1', 'DescribeInstances', 'ec2.amazonaws.com'),
      event('a-2', 'ListBuckets', 's3.amazonaws.com'),
    ]);
    await activity.insert(ids['erin-ended'], [
      event('e-1', 'GetObject', 's3.amazonaws.com'),
      event('e-2', 'DescribeInstances', 'ec2.amazonaws.com'),
    ]);
    await activity.insert(ids['erin-approved'], [
      event('e-3', 'PutObject', 's3.amazonaws.com'),
    ]);
  });
  afterAll(() => api.stop());

  const FILTERS = [
    '',
    'requester=erin',
    'requester=user:default/alice&status=pending,approved',
    `accountId=${ACCOUNT['payments-prod']}`,
    'status=cancelled,ended,rejected',
    'from=2026-11-04T00:00:00Z&to=2026-11-12T00:00:00Z',
    `requester=erin&accountId=${ACCOUNT['data-prod']}&from=2026-11-10T00:00:00Z`,
  ];

  it.each(FILTERS)(
    'the requests CSV holds the audit list rows for %j',
    async filters => {
      const list = await listIds('carol', `view=all&${filters}`);
      const csv = await api.get('carol', `/audit/requests.csv?${filters}`);
      expect(csv.status).toBe(200);
      expect(csvIds(csv.text)).toEqual(list);
    },
  );

  it('filters as the issue told it: requester erin is erin only', async () => {
    const csv = await api.get('carol', '/audit/requests.csv?requester=erin');
    const erins = Object.keys(ids)
      .filter(n => n.startsWith('erin'))
      .map(n => ids[n]);
    expect(csvIds(csv.text).sort()).toEqual(erins.sort());
  });

  it('names the filters in the file name', async () => {
    const csv = await api.get(
      'carol',
      `/audit/requests.csv?requester=user:default/erin&status=ended,revoked&accountId=${ACCOUNT['payments-prod']}&from=2026-11-01T00:00:00Z`,
    );
    expect(csv.headers['content-disposition']).toBe(
      `attachment; filename="elevated-access-requests_status-ended+revoked_accountId-${ACCOUNT['payments-prod']}_requester-erin_from-2026-11-01.csv"`,
    );
    const bare = await api.get('carol', '/audit/requests.csv');
    expect(bare.headers['content-disposition']).toBe(
      'attachment; filename="elevated-access-requests.csv"',
    );
  });

  it("exports the activity of the list's requests, and of the search", async () => {
    const all = await api.get('carol', '/audit/activity.csv');
    expect(csvEventIds(all.text)).toEqual(['a-1', 'a-2', 'e-1', 'e-2', 'e-3']);

    const erin = await api.get('carol', '/audit/activity.csv?requester=erin');
    expect(csvEventIds(erin.text)).toEqual(['e-1', 'e-2', 'e-3']);
    expect(erin.headers['content-disposition']).toBe(
      'attachment; filename="elevated-access-activity_requester-erin.csv"',
    );

    const ended = await api.get(
      'carol',
      '/audit/activity.csv?requester=erin&status=ended&q=S3',
    );
    expect(csvEventIds(ended.text)).toEqual(['e-1']);

    const window = await api.get(
      'carol',
      '/audit/activity.csv?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z',
    );
    expect(csvEventIds(window.text)).toEqual(['a-1', 'a-2']);

    // the activity log search of one session, as its requester exports it
    const one = await api.get(
      'alice',
      `/audit/activity.csv?requestId=${ids['alice-approved']}&q=ec2`,
    );
    expect(one.status).toBe(200);
    expect(csvEventIds(one.text)).toEqual(['a-1']);
    expect(one.headers['content-disposition']).toBe(
      `attachment; filename="elevated-access-activity_requestId-${ids['alice-approved']}_q-ec2.csv"`,
    );
  });

  it('refuses unclear or unknown export filters with a 400', async () => {
    for (const [who, path] of [
      [
        'carol',
        `/audit/activity.csv?requestId=${ids['erin-ended']}&requester=erin`,
      ],
      ['carol', '/audit/requests.csv?view=mine'],
      ['carol', '/audit/requests.csv?limit=5'],
      ['carol', '/audit/requests.csv?status=gone'],
      ['carol', '/audit/activity.csv?accountId=12'],
      ['bob', '/requests/decided.csv?cursor=abc'],
      ['bob', '/requests/decided.csv?from=yesterday'],
      ['bob', '/requests?view=decided&status=gone'],
    ] as const) {
      const res = await api.get(who, path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.message).toMatch(/^Invalid input: /);
    }
  });

  it('an export of another view stays within the permission', async () => {
    // a requester exports only their own session's activity
    expect(
      (
        await api.get(
          'alice',
          `/audit/activity.csv?requestId=${ids['erin-ended']}`,
        )
      ).status,
    ).toBe(403);
    expect(
      (await api.get('alice', '/audit/activity.csv?requester=alice')).status,
    ).toBe(403);
    expect(
      (await api.get('bob', '/audit/requests.csv?requester=erin')).status,
    ).toBe(403);
  });

  describe('an approver history (view=decided)', () => {
    const DECIDED_BY_BOB = [
      'alice-approved',
      'alice-rejected',
      'alice-cancelled',
      'erin-approved',
      'erin-cancelled',
      'erin-ended',
    ];

    it("holds what they decided and what ended in their scope, never what's still open and undecided", async () => {
      const decided = await listIds('bob', 'view=decided');
      expect(decided.sort()).toEqual(DECIDED_BY_BOB.map(n => ids[n]).sort());
      // newest first, like every list
      const page = await api.get('bob', '/requests?view=decided');
      const created = page.body.items.map((r: AccessRequest) => r.createdAt);
      expect([...created].sort().reverse()).toEqual(created);
    });

    it.each([
      '',
      'requester=erin',
      'status=approved',
      `accountId=${ACCOUNT['data-prod']}`,
      'from=2026-11-05T00:00:00Z',
    ])('its CSV holds the list rows for %j', async filters => {
      const list = await listIds('bob', `view=decided&${filters}`);
      const csv = await api.get('bob', `/requests/decided.csv?${filters}`);
      expect(csv.status).toBe(200);
      expect(csvIds(csv.text)).toEqual(list);
    });

    it('names its filters in the file name', async () => {
      const csv = await api.get(
        'bob',
        '/requests/decided.csv?requester=erin&status=approved',
      );
      expect(csv.headers['content-disposition']).toBe(
        'attachment; filename="elevated-access-decided_status-approved_requester-erin.csv"',
      );
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    });

    it('is empty for an approver of another scope and for an admin who approves nothing', async () => {
      for (const who of ['frank', 'dave'] as const) {
        expect(await listIds(who, 'view=decided')).toEqual([]);
        expect(
          csvIds((await api.get(who, '/requests/decided.csv')).text),
        ).toEqual([]);
      }
    });

    it('is refused to requesters and auditors', async () => {
      for (const who of ['alice', 'erin', 'carol'] as const) {
        for (const path of [
          '/requests?view=decided',
          '/requests/decided.csv',
        ]) {
          const res = await api.get(who, path);
          expect({ who, path, status: res.status }).toEqual({
            who,
            path,
            status: 403,
          });
        }
      }
    });

    it('follows the current scope: their own decisions stay, ended requests outside it go', async () => {
      const policies = await api.get('dave', '/policies/approval');
      const workloads = policies.body.items.find(
        (p: { name: string }) => p.name === DEMO_APPROVERS[0].name,
      );
      const narrow = await api.put(
        'dave',
        `/policies/approval/${workloads.id}`,
        {
          ...DEMO_APPROVERS[0],
          ous: [OU.Production],
          version: workloads.version,
        },
      );
      expect(narrow.status).toBe(200);
      try {
        const expected = DECIDED_BY_BOB.filter(n => n !== 'alice-cancelled');
        expect((await listIds('bob', 'view=decided')).sort()).toEqual(
          expected.map(n => ids[n]).sort(),
        );
        expect(
          csvIds((await api.get('bob', '/requests/decided.csv')).text).sort(),
        ).toEqual(expected.map(n => ids[n]).sort());
      } finally {
        const restore = await api.put(
          'dave',
          `/policies/approval/${workloads.id}`,
          { ...DEMO_APPROVERS[0], version: narrow.body.version },
        );
        expect(restore.status).toBe(200);
      }
    });
  });
});
