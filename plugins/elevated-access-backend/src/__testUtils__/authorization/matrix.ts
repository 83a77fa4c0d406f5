import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { ACCOUNT, DEMO_APPROVERS, DEMO_ELIGIBILITY, PS } from '../fixtures';
import { clearDatabase, snapshotDatabase } from '../snapshot';
import { ElevatedAccessTestBackend, startElevatedAccess } from '../testBackend';

/*
 * Every route, called by every kind of caller, with the exact status code
 * expected. Calls that are refused must leave the database untouched.
 *
 * Callers: unauthenticated, a service principal, alice (the requester), erin
 * (another user, same group), bob (approver in scope), frank (approver out of
 * scope: he approves the Security OU only), carol (auditor), dave (admin).
 */
export const CALLERS = [
  'none',
  'service',
  'alice',
  'erin',
  'bob',
  'frank',
  'carol',
  'dave',
] as const;
export type Caller = (typeof CALLERS)[number];
export type Expected = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

export interface Fixture {
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

export interface Case {
  route: string;
  method: 'get' | 'post' | 'put' | 'delete';
  path: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  expected: Expected;
}

/**
 * What a case's call takes besides its route: the fixture that `:id` in
 * the route stands for, or another path; and the body sent.
 */
export interface CaseCall {
  on?: keyof Fixture;
  path?: string | ((f: Fixture) => string);
  body?: (f: Fixture) => unknown;
}

/**
 * The case of the route `METHOD /pattern` and the status each caller gets:
 * it calls the pattern (`:id` being the fixture `on`), or the path given.
 */
export function routeCase(
  route: string,
  expected: Expected,
  { on, path, body }: CaseCall = {},
): Case {
  const [method, pattern] = route.split(' ');
  const pathOf = (f: Fixture) => {
    if (typeof path === 'function') return path(f);
    return path ?? (on ? pattern.replace(':id', f[on]) : pattern);
  };
  return {
    route,
    method: method.toLowerCase() as Case['method'],
    path: pathOf,
    ...(body && { body }),
    expected,
  };
}

export const createBody = {
  accountId: ACCOUNT['payments-prod'],
  permissionSetArn: PS.PowerUserAccess,
  durationMinutes: 60,
  justification: 'Fix the broken deployment pipeline',
  ticketId: 'OPS-7',
};

//                                  none  svc  alice erin  bob frank carol dave
export const USER_OK: Expected = [401, 403, 200, 200, 200, 200, 200, 200];
export const AUDITORS: Expected = [401, 403, 403, 403, 403, 403, 200, 200];
export const ADMIN_ONLY: Expected = [401, 403, 403, 403, 403, 403, 403, 200];
export const READERS: Expected = [401, 403, 200, 403, 200, 403, 200, 200];
export const DECIDERS: Expected = [401, 403, 403, 403, 200, 403, 403, 403];
export const APPROVERS_ADMINS: Expected = [
  401, 403, 403, 403, 200, 200, 403, 200,
];

/**
 * Clears the database and makes one of everything a route acts on: the demo
 * policies, and alice's requests in each state the matrix needs.
 */
export async function seedAuthorizationFixture(
  api: ElevatedAccessTestBackend,
  knex: Knex,
): Promise<Fixture> {
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

/** Filled in by setUpAuthorizationBackend's beforeAll. */
export interface AuthorizationBackend {
  api: ElevatedAccessTestBackend;
  knex: Knex;
}

/** Starts the backend on SQLite for the enclosing describe. */
export function setUpAuthorizationBackend(): AuthorizationBackend {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const backend = {} as AuthorizationBackend;
  beforeAll(async () => {
    backend.knex = await databases.init('SQLITE_3');
    backend.api = await startElevatedAccess({ knex: backend.knex });
  });
  afterAll(() => backend.api.stop());
  return backend;
}

/** The cases as rows for describe.each, each named by its route. */
export const routeRows = (cases: Case[]) =>
  cases.map(c => [c.route, c] as const);

/** Every caller with the status it expects from the case, for it.each. */
export const callerRows = (c: Case) =>
  CALLERS.map((caller, i) => [caller, c.expected[i]] as const);

const send = (
  api: ElevatedAccessTestBackend,
  caller: Caller,
  c: Case,
  fixture: Fixture,
) => {
  const path = c.path(fixture);
  if (c.method === 'get') return api.get(caller, path);
  if (c.method === 'delete') return api.delete(caller, path);
  return api[c.method](caller, path, c.body?.(fixture) ?? {});
};

/**
 * Sends the case's call as the caller on a fresh fixture: the status, the
 * type of the error message, and whether a refusal left the database as it
 * was (true when not refused).
 */
export async function answerOf(
  backend: AuthorizationBackend,
  c: Case,
  caller: Caller,
  expected: number,
) {
  const fixture = await seedAuthorizationFixture(backend.api, backend.knex);
  const before = await snapshotDatabase(backend.knex);
  const res = await send(backend.api, caller, c, fixture);
  const refused = expected >= 400;
  const unchanged = (await snapshotDatabase(backend.knex)) === before;
  return {
    status: res.status,
    message: typeof res.body?.error?.message,
    unchangedIfRefused: !refused || unchanged,
  };
}

/** The answer expected: the status, and a refusal says why and changes nothing. */
export const expectedAnswer = (expected: number) => ({
  status: expected,
  message: expected >= 400 ? 'string' : 'undefined',
  unchangedIfRefused: true,
});
