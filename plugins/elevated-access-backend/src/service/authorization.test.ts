import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  ACCOUNT,
  DEMO_APPROVERS,
  DEMO_ELIGIBILITY,
  PS,
} from '../__testUtils__/fixtures';
import { clearDatabase, snapshotDatabase } from '../__testUtils__/snapshot';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';
import { BUILT_IN_SETTINGS } from '../config';
import { createRouter } from './router';

jest.setTimeout(180_000);

/*
 * Every route, called by every kind of caller, with the exact status code
 * expected. Calls that are refused must leave the database untouched.
 *
 * Callers: unauthenticated, a service principal, alice (the requester), erin
 * (another user, same group), bob (approver in scope), frank (approver out of
 * scope: he approves the Security OU only), carol (auditor), dave (admin).
 */
const CALLERS = [
  'none',
  'service',
  'alice',
  'erin',
  'bob',
  'frank',
  'carol',
  'dave',
] as const;
type Caller = (typeof CALLERS)[number];
type Expected = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

interface Fixture {
  pending: string;
  approved: string;
  /** Active ReadOnlyAccess (no approval needed to extend it a little). */
  active: string;
  /** Active PowerUserAccess with an extension awaiting approval. */
  extending: string;
  errored: string;
  /** Break-glass whose access ended and whose activity is complete. */
  reviewable: string;
  eligibilityPolicy: string;
  approverPolicy: string;
}

interface Case {
  route: string;
  method: 'get' | 'post' | 'put' | 'delete';
  path: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  expected: Expected;
}

const createBody = {
  accountId: ACCOUNT['payments-prod'],
  permissionSetArn: PS.PowerUserAccess,
  durationMinutes: 60,
  justification: 'Fix the broken deployment pipeline',
  ticketId: 'OPS-7',
};

//                                  none  svc  alice erin  bob frank carol dave
const USER_OK: Expected = [401, 403, 200, 200, 200, 200, 200, 200];
const AUDITORS: Expected = [401, 403, 403, 403, 403, 403, 200, 200];
const ADMIN_ONLY: Expected = [401, 403, 403, 403, 403, 403, 403, 200];
const READERS: Expected = [401, 403, 200, 403, 200, 403, 200, 200];
const DECIDERS: Expected = [401, 403, 403, 403, 200, 403, 403, 403];
const APPROVERS_ADMINS: Expected = [401, 403, 403, 403, 200, 200, 403, 200];

const CASES: Case[] = [
  {
    route: 'GET /health',
    method: 'get',
    path: () => '/health',
    expected: [200, 200, 200, 200, 200, 200, 200, 200],
  },
  { route: 'GET /me', method: 'get', path: () => '/me', expected: USER_OK },
  {
    route: 'GET /eligibility',
    method: 'get',
    path: () => '/eligibility',
    expected: USER_OK,
  },
  {
    // each caller gets their own pairs of the account (none for some)
    route: 'GET /eligibility?accountId',
    method: 'get',
    path: () => `/eligibility?accountId=${ACCOUNT['payments-prod']}`,
    expected: USER_OK,
  },
  {
    route: 'GET /eligibility/accounts',
    method: 'get',
    path: () => '/eligibility/accounts?q=payments&limit=10',
    expected: USER_OK,
  },
  {
    route: 'GET /entity-access',
    method: 'get',
    path: () => '/entity-access?entityRef=component:default/payments-service',
    expected: USER_OK,
  },
  {
    route: 'POST /requests',
    method: 'post',
    path: () => '/requests',
    // after the seeded requests' windows (live requests of one user for a
    // pair may not overlap)
    body: () => ({
      ...createBody,
      startTime: new Date(Date.now() + 5 * 24 * 3600_000).toISOString(),
    }),
    // only developers are eligible; being admin or auditor grants no eligibility
    expected: [401, 403, 201, 201, 403, 403, 403, 403],
  },
  {
    route: 'GET /requests?view=mine',
    method: 'get',
    path: () => '/requests?view=mine',
    expected: USER_OK,
  },
  {
    route: 'GET /requests?view=approvals',
    method: 'get',
    path: () => '/requests?view=approvals',
    expected: USER_OK,
  },
  {
    route: 'GET /requests?view=all',
    method: 'get',
    path: () => '/requests?view=all',
    expected: AUDITORS,
  },
  {
    // an approver's history: approvers (frank too, of his own scope) and admins
    route: 'GET /requests?view=decided',
    method: 'get',
    path: () => '/requests?view=decided',
    expected: APPROVERS_ADMINS,
  },
  {
    // break-glass awaiting review: approvers (frank's scope has none) and admins
    route: 'GET /requests?view=reviews',
    method: 'get',
    path: () => '/requests?view=reviews',
    expected: APPROVERS_ADMINS,
  },
  {
    route: 'GET /requests/decided.csv',
    method: 'get',
    path: () => '/requests/decided.csv?status=approved',
    expected: APPROVERS_ADMINS,
  },
  {
    route: 'GET /requests/:id',
    method: 'get',
    path: f => `/requests/${f.pending}`,
    expected: READERS,
  },
  {
    route: 'POST /requests/:id/approve',
    method: 'post',
    path: f => `/requests/${f.pending}/approve`,
    body: () => ({ comment: 'ok' }),
    expected: DECIDERS,
  },
  {
    route: 'POST /requests/:id/reject',
    method: 'post',
    path: f => `/requests/${f.pending}/reject`,
    body: () => ({ comment: 'no' }),
    expected: DECIDERS,
  },
  {
    // an approver of the request or an admin, never the requester
    route: 'POST /requests/:id/review',
    method: 'post',
    path: f => `/requests/${f.reviewable}/review`,
    body: () => ({ outcome: 'appropriate', comment: 'Checked' }),
    expected: [401, 403, 403, 403, 200, 403, 403, 200],
  },
  {
    route: 'POST /requests/:id/cancel',
    method: 'post',
    path: f => `/requests/${f.pending}/cancel`,
    expected: [401, 403, 200, 403, 403, 403, 403, 403],
  },
  {
    route: 'POST /requests/:id/revoke',
    method: 'post',
    path: f => `/requests/${f.approved}/revoke`,
    body: () => ({ comment: 'done' }),
    expected: [401, 403, 200, 403, 200, 403, 403, 200],
  },
  {
    route: 'GET /requests/:id/extension',
    method: 'get',
    path: f => `/requests/${f.extending}/extension`,
    expected: READERS,
  },
  {
    route: 'POST /requests/:id/extend',
    method: 'post',
    path: f => `/requests/${f.active}/extend`,
    body: () => ({
      durationMinutes: 30,
      justification: 'The incident is still open',
    }),
    // only the requester extends, whoever else may read or revoke it
    expected: [401, 403, 200, 403, 403, 403, 403, 403],
  },
  {
    route: 'POST /requests/:id/extension/approve',
    method: 'post',
    path: f => `/requests/${f.extending}/extension/approve`,
    expected: DECIDERS,
  },
  {
    route: 'POST /requests/:id/extension/reject',
    method: 'post',
    path: f => `/requests/${f.extending}/extension/reject`,
    body: () => ({ comment: 'Finish tomorrow' }),
    expected: DECIDERS,
  },
  {
    route: 'POST /requests/:id/retry',
    method: 'post',
    path: f => `/requests/${f.errored}/retry`,
    expected: ADMIN_ONLY,
  },
  {
    route: 'GET /requests/:id/activity',
    method: 'get',
    path: f => `/requests/${f.pending}/activity`,
    expected: READERS,
  },
  {
    route: 'GET /audit/requests.csv',
    method: 'get',
    path: () => '/audit/requests.csv',
    expected: AUDITORS,
  },
  {
    route: 'GET /audit/activity.csv',
    method: 'get',
    path: () => '/audit/activity.csv',
    expected: AUDITORS,
  },
  {
    route: 'GET /audit/insights',
    method: 'get',
    path: () => '/audit/insights',
    expected: AUDITORS,
  },
  {
    route: 'GET /audit/requests.csv?requester',
    method: 'get',
    path: () => '/audit/requests.csv?requester=alice&status=pending',
    expected: AUDITORS,
  },
  {
    route: 'GET /audit/activity.csv?requester',
    method: 'get',
    path: () => '/audit/activity.csv?requester=alice&q=s3',
    expected: AUDITORS,
  },
  {
    route: 'GET /audit/activity.csv?requestId',
    method: 'get',
    path: f => `/audit/activity.csv?requestId=${f.pending}`,
    expected: READERS,
  },
  {
    route: 'GET /audit/decisions',
    method: 'get',
    path: () => '/audit/decisions',
    expected: AUDITORS,
  },
  {
    route: 'GET /audit/decisions.csv',
    method: 'get',
    path: () => '/audit/decisions.csv',
    expected: AUDITORS,
  },
  {
    route: 'GET /audit/changes',
    method: 'get',
    path: () => '/audit/changes',
    expected: AUDITORS,
  },
  {
    route: 'GET /policies/eligibility',
    method: 'get',
    path: () => '/policies/eligibility',
    expected: AUDITORS,
  },
  {
    route: 'GET /policies/eligibility/:id',
    method: 'get',
    path: f => `/policies/eligibility/${f.eligibilityPolicy}`,
    expected: AUDITORS,
  },
  {
    route: 'POST /policies/eligibility',
    method: 'post',
    path: () => '/policies/eligibility',
    body: () => ({ ...DEMO_ELIGIBILITY[0], name: 'Another' }),
    expected: [401, 403, 403, 403, 403, 403, 403, 201],
  },
  {
    route: 'PUT /policies/eligibility/:id',
    method: 'put',
    path: f => `/policies/eligibility/${f.eligibilityPolicy}`,
    body: () => ({ ...DEMO_ELIGIBILITY[0], maxDurationMinutes: 60 }),
    expected: ADMIN_ONLY,
  },
  {
    route: 'DELETE /policies/eligibility/:id',
    method: 'delete',
    path: f => `/policies/eligibility/${f.eligibilityPolicy}`,
    expected: [401, 403, 403, 403, 403, 403, 403, 204],
  },
  {
    route: 'GET /policies/approval',
    method: 'get',
    path: () => '/policies/approval',
    expected: AUDITORS,
  },
  {
    route: 'GET /policies/approval/:id',
    method: 'get',
    path: f => `/policies/approval/${f.approverPolicy}`,
    expected: AUDITORS,
  },
  {
    route: 'POST /policies/approval',
    method: 'post',
    path: () => '/policies/approval',
    body: () => ({ ...DEMO_APPROVERS[0], name: 'Another' }),
    expected: [401, 403, 403, 403, 403, 403, 403, 201],
  },
  {
    route: 'PUT /policies/approval/:id',
    method: 'put',
    path: f => `/policies/approval/${f.approverPolicy}`,
    body: () => ({ ...DEMO_APPROVERS[0], minApprovals: 1 }),
    expected: ADMIN_ONLY,
  },
  {
    route: 'DELETE /policies/approval/:id',
    method: 'delete',
    path: f => `/policies/approval/${f.approverPolicy}`,
    expected: [401, 403, 403, 403, 403, 403, 403, 204],
  },
  {
    route: 'GET /settings',
    method: 'get',
    path: () => '/settings',
    expected: USER_OK,
  },
  {
    route: 'PUT /settings',
    method: 'put',
    path: () => '/settings',
    body: () => ({ ...BUILT_IN_SETTINGS, maxDurationMinutes: 120 }),
    expected: ADMIN_ONLY,
  },
  {
    route: 'GET /targets',
    method: 'get',
    path: () => '/targets',
    // policy editors pick from it, auditors filter the audit views with it
    expected: AUDITORS,
  },
];

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('authorization of every route for every caller', () => {
  let api: ElevatedAccessTestBackend;
  let knex: Knex;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    api = await startElevatedAccess({ knex });
  });
  afterAll(() => api.stop());

  async function seed(): Promise<Fixture> {
    await clearDatabase(knex);
    const eligibility = [];
    for (const p of DEMO_ELIGIBILITY) {
      eligibility.push(
        (await api.post('dave', '/policies/eligibility', p)).body.id,
      );
    }
    const approvers = [];
    for (const p of DEMO_APPROVERS) {
      approvers.push((await api.post('dave', '/policies/approval', p)).body.id);
    }
    const glass = await api.post('dave', '/policies/eligibility', {
      ...DEMO_ELIGIBILITY[1],
      name: 'Developers break-glass on payments-dev',
      ous: [],
      accounts: [ACCOUNT['payments-dev']],
      maxDurationMinutes: 60,
      breakGlass: true,
    });
    expect(glass.status).toBe(201);
    const pending = await api.post('alice', '/requests', createBody);
    const approved = await api.post('alice', '/requests', {
      ...createBody,
      permissionSetArn: PS.ReadOnlyAccess,
      ticketId: undefined,
      startTime: new Date(Date.now() + 3600_000).toISOString(),
    });
    // on another account: one user's live requests for a pair never overlap
    const errored = await api.post('alice', '/requests', {
      ...createBody,
      accountId: ACCOUNT['payments-dev'],
      permissionSetArn: PS.ReadOnlyAccess,
      ticketId: undefined,
    });
    // as if its grant had failed
    await knex('requests')
      .where({ id: errored.body.id })
      .update({ status: 'error', error_reason: 'quota reached' });
    await knex('events').insert({
      entity_type: 'request',
      entity_id: errored.body.id,
      action: 'grant-failed',
      actor_ref: 'system:elevated-access',
      from_status: 'granting',
      to_status: 'error',
      created_at: new Date(),
    });
    // active access: one to extend at once, one with a pending extension
    const active = await api.post('alice', '/requests', {
      ...createBody,
      accountId: ACCOUNT['data-dev'],
      permissionSetArn: PS.ReadOnlyAccess,
      ticketId: undefined,
    });
    const extending = await api.post('alice', '/requests', {
      ...createBody,
      accountId: ACCOUNT['data-prod'],
    });
    await api.post('bob', `/requests/${extending.body.id}/approve`, {});
    const reviewable = await api.post('alice', '/requests', {
      ...createBody,
      accountId: ACCOUNT['payments-dev'],
      breakGlass: true,
    });
    expect(reviewable.status).toBe(201);
    await api.runLifecycle();
    // as if it had ended and its activity been collected
    await knex('requests').where({ id: reviewable.body.id }).update({
      status: 'ended',
      ended_at: new Date(),
      activity_complete: true,
    });
    const asked = await api.post(
      'alice',
      `/requests/${extending.body.id}/extend`,
      { durationMinutes: 30, justification: 'The migration takes longer' },
    );
    expect([pending.body.status, approved.body.status, asked.status]).toEqual([
      'pending',
      'approved',
      202,
    ]);
    return {
      pending: pending.body.id,
      approved: approved.body.id,
      active: active.body.id,
      extending: extending.body.id,
      errored: errored.body.id,
      reviewable: reviewable.body.id,
      eligibilityPolicy: eligibility[0],
      approverPolicy: approvers[0],
    };
  }

  it('covers every route of the router', async () => {
    const router: any = await createRouter({} as any);
    const routes = new Set<string>();
    for (const layer of router.stack) {
      if (!layer.route) continue;
      for (const method of Object.keys(layer.route.methods)) {
        routes.add(`${method.toUpperCase()} ${layer.route.path}`);
      }
    }
    const covered = new Set(CASES.map(c => c.route.replace(/\?.*$/, '')));
    expect([...routes].filter(r => !covered.has(r))).toEqual([]);
  });

  const send = (caller: Caller, c: Case, fixture: Fixture) => {
    const path = c.path(fixture);
    if (c.method === 'get') return api.get(caller, path);
    if (c.method === 'delete') return api.delete(caller, path);
    return api[c.method](caller, path, c.body?.(fixture) ?? {});
  };

  describe.each(CASES.map(c => [c.route, c] as const))('%s', (_route, c) => {
    it.each(CALLERS.map((caller, i) => [caller, c.expected[i]] as const))(
      '%s gets %i',
      async (caller, expected) => {
        const fixture = await seed();
        const before = await snapshotDatabase(knex);
        const res = await send(caller, c, fixture);
        const refused = expected >= 400;
        const unchanged = (await snapshotDatabase(knex)) === before;
        expect({
          status: res.status,
          message: typeof res.body?.error?.message,
          unchangedIfRefused: !refused || unchanged,
        }).toEqual({
          status: expected,
          // a refusal says why, and changes nothing
          message: refused ? 'string' : 'undefined',
          unchangedIfRefused: true,
        });
      },
    );
  });

  it('says whose request a refused read is, or that there is none', async () => {
    const fixture = await seed();
    const other = await api.get('erin', `/requests/${fixture.pending}`);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe(
      "You can't see this request: it belongs to alice. Ask alice, or an approver of it, for what you need.",
    );
    const missing = '00000000-0000-4000-8000-000000000000';
    const none = await api.get('alice', `/requests/${missing}`);
    expect(none.status).toBe(404);
    expect(none.body.error.message).toBe(
      `There is no request ${missing}. Check the link.`,
    );
  });

  it('tells the form how many others could approve each pair', async () => {
    await seed();
    const pairs = (await api.get('alice', '/eligibility')).body.pairs as Array<{
      permissionSetArn: string;
      otherApprovers?: number;
    }>;
    const power = pairs.find(p => p.permissionSetArn === PS.PowerUserAccess);
    const readOnly = pairs.find(p => p.permissionSetArn === PS.ReadOnlyAccess);
    expect(power?.otherApprovers).toBeGreaterThan(0);
    // no approval needed: nothing to count
    expect(readOnly?.otherApprovers).toBeUndefined();
  });
});
