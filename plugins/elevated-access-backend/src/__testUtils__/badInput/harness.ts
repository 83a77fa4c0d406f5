import { Knex } from 'knex';
import { ACCOUNT, DEMO_APPROVERS, DEMO_ELIGIBILITY, PS } from '../fixtures';
import { snapshotDatabase } from '../snapshot';
import { ElevatedAccessTestBackend, startElevatedAccess } from '../testBackend';

/** A request alice may make; each case spoils one part of it. */
export const valid = {
  accountId: ACCOUNT['payments-prod'],
  permissionSetArn: PS.PowerUserAccess,
  durationMinutes: 60,
  justification: 'Fix the broken deployment pipeline',
  ticketId: 'OPS-7',
};
export const days = (n: number) =>
  new Date(Date.now() + n * 86400_000).toISOString();

export type Who = 'alice' | 'bob' | 'dave';
/** One refused call: who sends what, and the status and message expected. */
export interface BadInput {
  name: string;
  who: Who;
  method: 'get' | 'post' | 'put';
  path: string | ((ids: Ids) => string);
  body?: unknown;
  status: 400 | 403;
  message: RegExp;
}
/**
 * Builds who's refused calls with a body (POST or PUT): each gives its name,
 * path, body and the message expected; the status is 400 unless it says 403.
 */
export const sends =
  (who: Who, method: 'post' | 'put' = 'post') =>
  (
    name: string,
    path: BadInput['path'],
    body: unknown,
    message: RegExp,
    status: BadInput['status'] = 400,
  ): BadInput => ({ name, who, method, path, body, status, message });

/** Builds who's refused GETs: each gives its name, path and the 400's message. */
export const gets =
  (who: Who) =>
  (name: string, path: BadInput['path'], message: RegExp): BadInput => ({
    name,
    who,
    method: 'get',
    path,
    status: 400,
    message,
  });

/** The path of an action on the pending or the approved request. */
export const onRequest =
  (request: 'pending' | 'approved', action: string) => (ids: Ids) =>
    `/requests/${ids[request]}/${action}`;

/** Ids of what setUpBadInputBackend made, for the paths that need one. */
export interface Ids {
  pending: string;
  approved: string;
  policy: string;
  eligibilityPolicy: string;
}

/** Filled in by setUpBadInputBackend's beforeAll. */
export interface BadInputBackend {
  api: ElevatedAccessTestBackend;
  knex: Knex;
  ids: Ids;
}

/**
 * Starts the backend once for the enclosing describe, with the demo
 * policies, a pending request and an approved one (call inside a describe).
 */
export function setUpBadInputBackend(
  init: () => Promise<Knex>,
): BadInputBackend {
  const backend = {} as BadInputBackend;
  beforeAll(async () => {
    const knex = await init();
    const api = await startElevatedAccess({ knex });
    backend.api = api;
    backend.knex = knex;
    const eligibility = [];
    for (const p of DEMO_ELIGIBILITY)
      eligibility.push(await api.post('dave', '/policies/eligibility', p));
    const policy = await api.post(
      'dave',
      '/policies/approval',
      DEMO_APPROVERS[0],
    );
    const pending = await api.post('alice', '/requests', valid);
    const approved = await api.post('alice', '/requests', {
      ...valid,
      permissionSetArn: PS.ReadOnlyAccess,
      startTime: days(1),
    });
    backend.ids = {
      pending: pending.body.id,
      approved: approved.body.id,
      policy: policy.body.id,
      eligibilityPolicy: eligibility[0].body.id,
    };
    if (
      pending.body.status !== 'pending' ||
      approved.body.status !== 'approved'
    ) {
      throw new Error('The fixture requests were not created as expected');
    }
  });
  afterAll(() => backend.api.stop());
  return backend;
}

/** The cases as rows for it.each, each named by its case. */
export const caseRows = (cases: BadInput[]) =>
  cases.map(c => [c.name, c] as const);

/**
 * Sends the case's call; returns its answer and the database before and
 * after, which a refusal leaves the same.
 */
export async function sendCase(backend: BadInputBackend, c: BadInput) {
  const { api, knex, ids } = backend;
  const before = await snapshotDatabase(knex);
  const path = typeof c.path === 'function' ? c.path(ids) : c.path;
  const res =
    c.method === 'get'
      ? await api.get(c.who, path)
      : await api[c.method](c.who, path, c.body);
  const answer = { status: res.status, message: res.body?.error?.message };
  return { answer, before, after: await snapshotDatabase(knex) };
}

/** The answer the case expects: its status, and a message that matches. */
export const refusalOf = (c: BadInput) => ({
  status: c.status,
  message: expect.stringMatching(c.message),
});
