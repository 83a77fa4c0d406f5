import { InMemoryAccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node/testUtils';
import {
  ACCOUNT,
  DEMO_APPROVERS,
  DEMO_ELIGIBILITY,
  demoTargets,
  groupRef,
  OU,
  PS,
} from '../__testUtils__/fixtures';
import { describeEachDatabase } from '../__testUtils__/databases';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

/**
 * The demo organisation plus 250 accounts in Workloads / Analytics (every
 * tenth named lake-data-…): more than one page of the account picker.
 */
function largerTargets() {
  const targets = demoTargets();
  targets.organizationalUnits.push({
    id: 'ou-demo-analytics',
    name: 'Analytics',
    parentId: OU.Workloads,
  });
  for (let i = 0; i < 250; i++) {
    targets.accounts.push({
      id: String(700000000000 + i),
      name: `${i % 10 === 0 ? 'lake-data' : 'analytics'}-${String(i).padStart(
        3,
        '0',
      )}`,
      parentId: 'ou-demo-analytics',
      isManagementAccount: false,
    });
  }
  return targets;
}

interface Item {
  id: string;
  name: string;
  ouPath: Array<{ id: string; name: string }>;
  permissionSetCount: number;
}

describeEachDatabase('eligibility search and one account', init => {
  let api: ElevatedAccessTestBackend;

  beforeAll(async () => {
    api = await startElevatedAccess({
      knex: await init(),
      provider: new InMemoryAccessProvider(largerTargets()),
    });
    for (const p of DEMO_ELIGIBILITY) {
      const created = await api.post('dave', '/policies/eligibility', p);
      if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    }
    // ReadOnly on audit too, for the developers
    await api.post('dave', '/policies/eligibility', {
      ...DEMO_ELIGIBILITY[0],
      name: 'Developers read audit',
      ous: [],
      accounts: [ACCOUNT.audit],
    });
    for (const p of DEMO_APPROVERS) {
      await api.post('dave', '/policies/approval', p);
    }
  });
  afterAll(() => api.stop());

  const search = async (query: string, who: 'alice' | 'bob' = 'alice') => {
    const res = await api.get(who, `/eligibility/accounts${query}`);
    expect(res.status).toBe(200);
    return res.body as { items: Item[]; total: number; truncated: boolean };
  };
  const names = (body: { items: Item[] }) => body.items.map(i => i.name);

  it('opens on the first 50 eligible accounts by name, with their OU path and permission set count', async () => {
    const body = await search('');
    expect(body.total).toBe(255);
    expect(body.truncated).toBe(true);
    expect(body.items).toHaveLength(50);
    expect(names(body).slice(0, 3)).toEqual([
      'analytics-001',
      'analytics-002',
      'analytics-003',
    ]);
    const sorted = [...names(body)].sort((a, b) => a.localeCompare(b));
    expect(names(body)).toEqual(sorted);
    const all = await search('?limit=200&q=payments-p');
    expect(all.items).toEqual([
      {
        id: ACCOUNT['payments-prod'],
        name: 'payments-prod',
        ouPath: [
          { id: OU.Workloads, name: 'Workloads' },
          { id: OU.Production, name: 'Production' },
        ],
        permissionSetCount: 2,
      },
    ]);
    expect(
      (await search(`?q=${ACCOUNT.audit}`)).items.map(i => [
        i.name,
        i.permissionSetCount,
      ]),
    ).toEqual([['audit', 1]]);
  });

  it('ranks the exact id, then names starting with the text, then names, ids and OU paths containing it', async () => {
    const data = await search('?q=DATA&limit=200');
    expect(names(data).slice(0, 2)).toEqual(['data-dev', 'data-prod']);
    expect(names(data).slice(2)).toEqual(
      Array.from(
        { length: 25 },
        (_, i) => `lake-data-${String(i * 10).padStart(3, '0')}`,
      ),
    );
    const byId = await search(`?q=${ACCOUNT['data-prod']}`);
    expect(names(byId)).toEqual(['data-prod']);
    // part of an id: every account whose id holds it, the exact one first
    const part = await search('?q=70000000001');
    expect(names(part)[0]).toBe('analytics-011');
    expect(part.total).toBe(10);
    // the OU: its name, or its path
    expect((await search('?q=analytics')).total).toBe(250);
    const path = await search('?q=workloads%20/%20production');
    expect(names(path)).toEqual(['data-prod', 'payments-prod']);
    expect((await search('?q=no-such-account')).items).toEqual([]);
  });

  it('returns at most the limit and says there are more', async () => {
    expect(await search('?q=lake&limit=5')).toMatchObject({
      total: 25,
      truncated: true,
    });
    expect((await search('?q=lake&limit=5')).items).toHaveLength(5);
    expect(await search('?q=lake&limit=25')).toMatchObject({
      total: 25,
      truncated: false,
    });
    expect((await search('?limit=200')).items).toHaveLength(200);
  });

  it('finds nothing for someone no policy names, and never the management account', async () => {
    expect(await search('', 'bob')).toEqual({
      items: [],
      total: 0,
      truncated: false,
    });
    expect((await search('?q=management')).items).toEqual([]);
  });

  it("answers one account's pairs exactly as the full list has them", async () => {
    const full = (await api.get('alice', '/eligibility')).body;
    const one = await api.get(
      'alice',
      `/eligibility?accountId=${ACCOUNT['data-prod']}`,
    );
    expect(one.status).toBe(200);
    expect(one.body.accounts.map((a: Item) => a.name)).toEqual(['data-prod']);
    expect(
      one.body.permissionSets.map((p: { name: string }) => p.name),
    ).toEqual(['PowerUserAccess', 'ReadOnlyAccess']);
    expect(one.body.pairs).toEqual(
      full.pairs.filter(
        (p: { accountId: string }) => p.accountId === ACCOUNT['data-prod'],
      ),
    );
    const power = one.body.pairs.find(
      (p: { permissionSetArn: string }) =>
        p.permissionSetArn === PS.PowerUserAccess,
    );
    expect(power.approvers).toEqual([groupRef('platform-leads')]);
    // an account the caller may not request: nothing, rather than an error
    const none = await api.get(
      'alice',
      `/eligibility?accountId=${ACCOUNT.management}`,
    );
    expect(none.body).toEqual({ accounts: [], permissionSets: [], pairs: [] });
  });

  it("lists requests in an approver's inbox when their policy covers more accounts than one query can list", async () => {
    // bob approves Workloads: 254 accounts, sent as one list parameter
    const made = [];
    for (const accountId of ['700000000123', ACCOUNT['payments-prod']]) {
      const res = await api.post('alice', '/requests', {
        accountId,
        permissionSetArn: PS.PowerUserAccess,
        durationMinutes: 60,
        justification: 'Fix the broken deployment pipeline',
        ticketId: 'OPS-7',
      });
      expect(res.status).toBe(201);
      made.push(res.body.id);
    }
    const inbox = await api.get('bob', '/requests?view=approvals');
    expect(inbox.status).toBe(200);
    expect(inbox.body.items.map((r: { id: string }) => r.id).sort()).toEqual(
      [...made].sort(),
    );
    // frank approves Security only
    const other = await api.get('frank', '/requests?view=approvals');
    expect(other.body.items).toEqual([]);
  });

  it.each([
    ['/eligibility/accounts?limit=0', 'limit: Limit must be at least 1'],
    ['/eligibility/accounts?limit=201', 'limit: Limit must be at most 200'],
    ['/eligibility/accounts?limit=ten', 'limit: Limit must be a number'],
    ['/eligibility/accounts?limit=2.5', 'limit: Limit must be a whole number'],
    [
      `/eligibility/accounts?q=${'x'.repeat(201)}`,
      'q: Search must be at most 200 characters',
    ],
    ['/eligibility/accounts?q=a&q=b', 'q: Search must be text'],
    ['/eligibility/accounts?sort=name', 'Unknown field: sort'],
    ['/eligibility?accountId=abc', 'accountId: Account id must be 12 digits'],
    ['/eligibility?account=111111111111', 'Unknown field: account'],
  ])('refuses %s with a 400 that says why', async (path, message) => {
    const res = await api.get('alice', path);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(`Invalid input: ${message}`);
    expect(res.body.error.message).not.toContain('; ');
  });
});
