import { Entity } from '@backstage/catalog-model';
import { describeEachDatabase } from '../__testUtils__/databases';
import { fakeDateOnly } from '../__testUtils__/fakeDate';
import {
  ACCOUNT,
  catalogEntities,
  groupRef,
  OU,
  PS,
} from '../__testUtils__/fixtures';
import { powerUserRequest, seedDemoPolicies } from '../__testUtils__/scenarios';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

/*
 * Owners approve (issue 17): an approver policy naming `owner` or
 * `system-owner` sends a request to the owners of the account's catalog
 * entity (or of its System), resolved when the request is made and checked
 * again when it is decided; sensitive accounts may need more approvals; an
 * entity page's card sees who holds access to the entity's accounts.
 */

const T0 = new Date('2026-11-21T09:00:00.000Z');
const MINUTE = 60_000;

const OWNERS_POLICY = {
  name: 'Owners approve production',
  accounts: [],
  ous: [OU.Production],
  approvers: ['owner'],
};

describeEachDatabase('owners approve', init => {
  let api: ElevatedAccessTestBackend;
  let entities: Entity[];

  beforeEach(async () => {
    fakeDateOnly(T0);
    entities = catalogEntities();
    api = await startElevatedAccess({ knex: await init(), entities });
    await seedDemoPolicies(api);
  });
  afterEach(async () => {
    jest.useRealTimers();
    await api.stop();
  });

  const addApproverPolicy = async (policy: object) => {
    const res = await api.post('dave', '/policies/approval', policy);
    expect(res.status).toBe(201);
    return res.body;
  };
  const request = async (at: number, accountId = ACCOUNT['payments-prod']) => {
    const res = await api.post('alice', '/requests', {
      ...powerUserRequest,
      accountId,
      startTime: new Date(T0.getTime() + at * MINUTE).toISOString(),
    });
    expect(res.status).toBe(201);
    return res.body;
  };
  const inboxIds = async (persona: 'erin' | 'frank') => {
    const res = await api.get(
      persona,
      '/requests?view=approvals&status=pending',
    );
    expect(res.status).toBe(200);
    return res.body.items.map((r: { id: string }) => r.id);
  };
  /** Gives payments-prod's entity a new owner, as a catalog edit would. */
  const changeOwner = (owner: string) => {
    const account = entities.find(e => e.metadata.name === 'payments-prod')!;
    account.spec = { ...account.spec, owner };
    account.relations = [
      ...(account.relations ?? []).filter(r => r.type !== 'ownedBy'),
      { type: 'ownedBy', targetRef: owner },
    ];
  };

  it('stores owner as a word, not as a user called owner', async () => {
    const saved = await addApproverPolicy({
      ...OWNERS_POLICY,
      approvers: ['Owner', 'system-owner'],
    });
    expect(saved.approvers).toEqual(['owner', 'system-owner']);
  });

  it("sends a payments-prod request to its owner group's members, who may decide", async () => {
    await addApproverPolicy(OWNERS_POLICY);
    const created = await request(60);
    expect(created.approverRefs).toContain(groupRef('payments-team'));
    expect(await inboxIds('erin')).toEqual([created.id]);
    // frank owns nothing in Production
    expect(await inboxIds('frank')).toEqual([]);
    const me = await api.get('erin', '/me');
    expect(me.body).toMatchObject({ isApprover: true, pendingApprovals: 1 });
    const approved = await api.post(
      'erin',
      `/requests/${created.id}/approve`,
      {},
    );
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
  });

  it('after the owner changes in the catalog, the next request goes to the new owners and the old owner is refused', async () => {
    await addApproverPolicy(OWNERS_POLICY);
    const before = await request(60);
    changeOwner(groupRef('security-leads'));
    const after = await request(180);
    expect(after.approverRefs).toContain(groupRef('security-leads'));
    expect(after.approverRefs).not.toContain(groupRef('payments-team'));

    // the old owner: refused on the new request, and on the old one too
    // (the decision checks today's owners)
    for (const id of [after.id, before.id]) {
      const refused = await api.post('erin', `/requests/${id}/approve`, {});
      expect(refused.status).toBe(403);
    }
    // the new owner decides the new request, not the one made before
    const stale = await api.post('frank', `/requests/${before.id}/approve`, {});
    expect(stale.status).toBe(403);
    const approved = await api.post(
      'frank',
      `/requests/${after.id}/approve`,
      {},
    );
    expect(approved.status).toBe(200);

    // lists follow the catalog within the snapshot's age (30 s)
    jest.setSystemTime(new Date(T0.getTime() + MINUTE));
    expect(await inboxIds('erin')).toEqual([]);
  });

  it('sends the request to the owners of the account’s System with system-owner', async () => {
    await addApproverPolicy({ ...OWNERS_POLICY, approvers: ['system-owner'] });
    const created = await request(60);
    expect(created.approverRefs).toContain(groupRef('security-leads'));
    expect(await inboxIds('frank')).toEqual([created.id]);
  });

  it('refuses a request nobody could approve when the account has no owner', async () => {
    // data-dev has no entity: an owners-only policy names nobody there, and
    // the platform leads' policy is the one that still covers it
    await addApproverPolicy({
      ...OWNERS_POLICY,
      ous: [OU.Development],
    });
    const created = await request(60, ACCOUNT['data-dev']);
    expect(created.approverRefs).toEqual([groupRef('platform-leads')]);
  });

  it('asks for more approvals on a sensitive account when the policy says so', async () => {
    await addApproverPolicy({
      name: 'Two for sensitive production',
      accounts: [],
      ous: [OU.Production],
      // two people, so two approvals can be given
      approvers: [groupRef('platform-leads'), groupRef('security-leads')],
      minApprovals: 1,
      sensitiveMinApprovals: 2,
    });
    const sensitive = await request(60, ACCOUNT['data-prod']);
    expect(sensitive).toMatchObject({ sensitive: true, minApprovals: 2 });
    const plain = await request(60);
    expect(plain.minApprovals).toBe(1);
    expect(plain.sensitive).toBeUndefined();
    const accounts = await api.get('alice', '/eligibility/accounts?q=prod');
    expect(
      Object.fromEntries(
        accounts.body.items.map((a: { name: string; sensitive?: boolean }) => [
          a.name,
          Boolean(a.sensitive),
        ]),
      ),
    ).toEqual({ 'data-prod': true, 'payments-prod': false });
  });

  it('refuses a sensitive threshold below the minimum with the field named', async () => {
    const res = await api.post('dave', '/policies/approval', {
      ...OWNERS_POLICY,
      minApprovals: 2,
      sensitiveMinApprovals: 1,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/sensitive accounts/);
  });

  describe('GET /entity-access', () => {
    /** What `who` sees of a component's accounts. */
    const entityAccess = (who: string, component: string) =>
      api.get(who, `/entity-access?entityRef=component:default/${component}`);

    it("shows the component's account, who holds access there and what the caller may request", async () => {
      const created = await request(0);
      await api.post('bob', `/requests/${created.id}/approve`, {});
      await api.runLifecycle();
      const res = await entityAccess('erin', 'payments-service');
      expect(res.status).toBe(200);
      expect(res.body.accounts.map((a: { name: string }) => a.name)).toEqual([
        'payments-prod',
      ]);
      expect(res.body.grants).toEqual([
        expect.objectContaining({
          requesterRef: 'user:default/alice',
          accountName: 'payments-prod',
          permissionSetName: 'PowerUserAccess',
          status: 'active',
        }),
      ]);
      expect(
        res.body.pairs
          .map((p: { permissionSetArn: string }) => p.permissionSetArn)
          .sort(),
      ).toEqual([PS.ReadOnlyAccess, PS.PowerUserAccess].sort());
      // bob is eligible for nothing: he sees the grant but no options
      const bobs = await entityAccess('bob', 'payments-service');
      expect(bobs.body.grants).toHaveLength(1);
      expect(bobs.body.pairs).toEqual([]);
    });

    it('reads account ids from the annotation, sensitive marks and unknown ids included', async () => {
      const res = await entityAccess('alice', 'data-pipeline');
      expect(res.status).toBe(200);
      expect(res.body.accounts).toEqual([
        expect.objectContaining({ name: 'data-prod', sensitive: true }),
      ]);
      expect(res.body.unknownAccountIds).toEqual(['000000000000']);
      expect(res.body.grants).toEqual([]);
    });

    it('answers 404 for an entity the catalog does not have and 400 for a bad ref', async () => {
      const missing = await entityAccess('alice', 'nothing-here');
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toMatch(
        /no component:default\/nothing-here/,
      );
      const bad = await api.get('alice', '/entity-access?entityRef=not a ref');
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/kind:namespace\/name/);
      const extra = await api.get(
        'alice',
        '/entity-access?entityRef=component:default/payments-service&x=1',
      );
      expect(extra.status).toBe(400);
    });
  });
});
