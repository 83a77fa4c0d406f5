import { ACCOUNT } from '../fixtures';
import {
  ADMIN_ONLY,
  APPROVERS_ADMINS,
  AUDITORS,
  Case,
  createBody,
  DECIDERS,
  READERS,
  USER_OK,
} from './matrix';

/** Health, the caller's eligibility and entity access, and the requests. */
export const USER_ROUTE_CASES: Case[] = [
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
];
