import { InMemoryAccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node/testUtils';
import {
  ACCOUNT,
  DEMO_ELIGIBILITY,
  demoTargets,
  PS,
} from '../__testUtils__/fixtures';
import { describeEachDatabase } from '../__testUtils__/databases';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

/**
 * Each caller's eligibility is kept built between calls: every change it is
 * built from shows in the next call all the same.
 */
describeEachDatabase('eligibility kept between calls', init => {
  let api: ElevatedAccessTestBackend;
  const provider = new InMemoryAccessProvider(demoTargets());

  beforeAll(async () => {
    api = await startElevatedAccess({ knex: await init(), provider });
    for (const p of DEMO_ELIGIBILITY) {
      const created = await api.post('dave', '/policies/eligibility', p);
      if (created.status !== 201) throw new Error(JSON.stringify(created.body));
    }
  });
  afterAll(() => api.stop());

  const accounts = async () => {
    const res = await api.get('alice', '/eligibility/accounts?limit=200');
    expect(res.status).toBe(200);
    return (res.body.items as Array<{ id: string }>).map(a => a.id).sort();
  };
  const auditOptions = async () => {
    const res = await api.get(
      'alice',
      `/eligibility?accountId=${ACCOUNT.audit}`,
    );
    expect(res.status).toBe(200);
    return res.body.pairs as Array<{
      permissionSetArn: string;
      options: Array<{ maxDurationMinutes: number }>;
    }>;
  };

  it('follows policy, organisation and settings changes', async () => {
    const before = await accounts();
    expect(before).not.toContain(ACCOUNT.audit);
    expect(await accounts()).toEqual(before);

    // a policy created
    const created = await api.post('dave', '/policies/eligibility', {
      ...DEMO_ELIGIBILITY[0],
      name: 'Developers read audit',
      ous: [],
      accounts: [ACCOUNT.audit],
      maxDurationMinutes: 240,
    });
    expect(created.status).toBe(201);
    expect(await accounts()).toEqual([...before, ACCOUNT.audit].sort());
    expect((await auditOptions())[0]).toMatchObject({
      permissionSetArn: PS.ReadOnlyAccess,
      options: [expect.objectContaining({ maxDurationMinutes: 240 })],
    });

    // the settings' cap on durations
    const settings = (await api.get('dave', '/settings')).body;
    const capped = await api.put('dave', '/settings', {
      ...settings,
      maxDurationMinutes: 120,
    });
    expect(capped.status).toBe(200);
    expect((await auditOptions())[0].options).toEqual([
      expect.objectContaining({ maxDurationMinutes: 120 }),
    ]);

    // the organisation: the audit account gone at the next refresh
    const targets = demoTargets();
    provider.setTargets({
      ...targets,
      accounts: targets.accounts.filter(a => a.id !== ACCOUNT.audit),
    });
    await api.runTask('organization');
    expect(await accounts()).toEqual(before);

    // the policy deleted, with the account back
    provider.setTargets(demoTargets());
    await api.runTask('organization');
    expect(await accounts()).toContain(ACCOUNT.audit);
    const deleted = await api.delete(
      'dave',
      `/policies/eligibility/${created.body.id}`,
    );
    expect(deleted.status).toBe(204);
    expect(await accounts()).toEqual(before);
  });
});
