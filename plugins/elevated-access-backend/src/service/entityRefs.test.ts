import { mockCredentials } from '@backstage/backend-test-utils';
import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import request from 'supertest';
import { describeEachDatabase } from '../__testUtils__/databases';
import { requestRow, undoMigration } from '../__testUtils__/migrationTests';
import { applyMigrations } from '../database/migrations';
import { DEMO_APPROVERS, DEMO_ELIGIBILITY } from '../__testUtils__/fixtures';
import { powerUserRequest } from '../__testUtils__/scenarios';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

/*
 * A ref is spelled one way from where it enters (policies saved, the caller's
 * identity) to where it is compared: the domain, the permission rules and
 * SQL. Otherwise bob is counted as an approver when a request is created and
 * refused when he tries to approve it.
 */
describeEachDatabase('entity refs in any spelling', init => {
  let api: ElevatedAccessTestBackend;

  beforeEach(async () => {
    api = await startElevatedAccess({ knex: await init() });
    for (const p of DEMO_ELIGIBILITY) {
      const res = await api.post('dave', '/policies/eligibility', p);
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    }
  });
  afterEach(() => api.stop());

  const ids = (res: request.Response) =>
    res.body.items.map((r: AccessRequest) => r.id);

  it('lets bob see and approve a request whose policy names user:default/Bob', async () => {
    const policy = await api.post('dave', '/policies/approval', {
      ...DEMO_APPROVERS[0],
      approvers: ['user:default/Bob'],
    });
    expect(policy.status).toBe(201);
    expect(policy.body.approvers).toEqual(['user:default/bob']);

    const created = await api.post('alice', '/requests', powerUserRequest);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'pending',
      approverRefs: ['user:default/bob'],
    });
    const id = created.body.id;

    // SQL: the inbox and the badge
    const inbox = await api.get('bob', '/requests?view=approvals');
    expect(ids(inbox)).toEqual([id]);
    expect((await api.get('bob', '/me')).body.pendingApprovals).toBe(1);
    // the permission rules in memory, and the domain
    const detail = await api.get('bob', `/requests/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.capabilities).toMatchObject({ canApprove: true });

    const approved = await api.post('bob', `/requests/${id}/approve`, {
      comment: 'ok',
    });
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
  });

  it('normalises every spelling a policy may use, and the identity a user signs in with', async () => {
    const eligibility = await api.post('dave', '/policies/eligibility', {
      ...DEMO_ELIGIBILITY[1],
      name: 'Erin by name',
      principals: ['ERIN', 'Group:Default/Developers'],
    });
    expect(eligibility.status).toBe(201);
    expect(eligibility.body.principals).toEqual([
      'user:default/erin',
      'group:default/developers',
    ]);
    const approvers = await api.post('dave', '/policies/approval', {
      ...DEMO_APPROVERS[0],
      approvers: ['group:Default/Platform-Leads', 'bob', 'default/Bob'],
      minApprovals: 1,
    });
    expect(approvers.status).toBe(201);
    expect(approvers.body.approvers).toEqual([
      'group:default/platform-leads',
      'user:default/bob',
    ]);

    const created = await api.post('alice', '/requests', powerUserRequest);
    expect(created.status).toBe(201);
    const id = created.body.id;

    // bob signs in with his name in capitals (no groups): still the approver
    const server = request(api.backend.server);
    const asBob = mockCredentials.user.header('user:default/Bob');
    const inbox = await server
      .get('/api/elevated-access/requests?view=approvals')
      .set('Authorization', asBob);
    expect(inbox.status).toBe(200);
    expect(ids(inbox)).toEqual([id]);
    const approved = await server
      .post(`/api/elevated-access/requests/${id}/approve`)
      .set('Authorization', asBob)
      .send({});
    expect({ status: approved.status, body: approved.body.status }).toEqual({
      status: 200,
      body: 'approved',
    });
    const detail = await api.get('alice', `/requests/${id}`);
    expect(detail.body.decisions).toEqual([
      expect.objectContaining({ approverRef: 'user:default/bob' }),
    ]);

    // alice in capitals sees her own request, and the requester filter
    // finds it in any spelling
    const asAlice = mockCredentials.user.header('User:Default/ALICE');
    const mine = await server
      .get('/api/elevated-access/requests?view=mine')
      .set('Authorization', asAlice);
    expect(ids(mine)).toEqual([id]);
    const byName = await api.get('dave', '/requests?view=all&requester=Alice');
    expect(ids(byName)).toEqual([id]);
  });
});

describeEachDatabase('the migration that lower-cases stored refs', init => {
  it('lower-cases policies, requests, approver snapshots and votes', async () => {
    const knex = await init();
    await undoMigration(knex, '20261205000000_lowercase_entity_refs.js');
    const at = new Date('2026-11-20T10:00:00Z');
    const policy = (id: string, field: string, refs: string[]) => ({
      id,
      name: id,
      body: JSON.stringify({ name: id, [field]: refs, ous: ['ou-1'] }),
      version: 3,
      created_at: at,
      updated_at: at,
      updated_by: 'user:default/Dave',
    });
    await knex('eligibility_policies').insert(
      policy('e1', 'principals', [
        'group:default/Developers',
        'user:default/X',
      ]),
    );
    await knex('approver_policies').insert(
      policy('a1', 'approvers', ['user:default/Bob', 'user:default/bob']),
    );
    await knex('requests').insert(
      requestRow('r1', 'pending', at, {
        requester_ref: 'user:default/Alice',
        approval_required: true,
        min_approvals: 1,
      }),
    );
    await knex('request_approvers').insert([
      { request_id: 'r1', approver_ref: 'user:default/Bob' },
      { request_id: 'r1', approver_ref: 'user:default/bob' },
      { request_id: 'r1', approver_ref: 'group:default/Platform-Leads' },
    ]);
    await knex('request_decisions').insert({
      id: 'd1',
      request_id: 'r1',
      approver_ref: 'user:default/Carol',
      decision: 'reject',
      created_at: at,
    });

    await applyMigrations(knex);

    const body = async (table: string) =>
      JSON.parse((await knex(table).first('body')).body);
    expect(await body('eligibility_policies')).toMatchObject({
      principals: ['group:default/developers', 'user:default/x'],
    });
    expect(await body('approver_policies')).toMatchObject({
      approvers: ['user:default/bob'],
    });
    expect(await knex('approver_policies').first('version')).toEqual({
      version: 3,
    });
    expect(await knex('requests').pluck('requester_ref')).toEqual([
      'user:default/alice',
    ]);
    expect(
      await knex('request_approvers')
        .orderBy('approver_ref')
        .pluck('approver_ref'),
    ).toEqual(['group:default/platform-leads', 'user:default/bob']);
    expect(await knex('request_decisions').pluck('approver_ref')).toEqual([
      'user:default/carol',
    ]);
  });
});
