import { ACCOUNT } from '../fixtures';
import {
  ADMIN_ONLY,
  APPROVERS_ADMINS,
  AUDITORS,
  Case,
  createBody,
  DECIDERS,
  READERS,
  routeCase,
  USER_OK,
} from './matrix';

/** Health, the caller's eligibility and entity access, and the requests. */
export const USER_ROUTE_CASES: Case[] = [
  routeCase('GET /health', [200, 200, 200, 200, 200, 200, 200, 200]),
  routeCase('GET /me', USER_OK),
  routeCase('GET /eligibility', USER_OK),
  // each caller gets their own pairs of the account (none for some)
  routeCase('GET /eligibility?accountId', USER_OK, {
    path: `/eligibility?accountId=${ACCOUNT['payments-prod']}`,
  }),
  routeCase('GET /eligibility/accounts', USER_OK, {
    path: '/eligibility/accounts?q=payments&limit=10',
  }),
  routeCase('GET /entity-access', USER_OK, {
    path: '/entity-access?entityRef=component:default/payments-service',
  }),
  // only developers are eligible; being admin or auditor grants no eligibility
  routeCase('POST /requests', [401, 403, 201, 201, 403, 403, 403, 403], {
    // after the seeded requests' windows (live requests of one user for a
    // pair may not overlap)
    body: () => ({
      ...createBody,
      startTime: new Date(Date.now() + 5 * 24 * 3600_000).toISOString(),
    }),
  }),
  routeCase('GET /requests?view=mine', USER_OK),
  routeCase('GET /requests?view=approvals', USER_OK),
  routeCase('GET /requests?view=all', AUDITORS),
  // an approver's history: approvers (frank too, of his own scope) and admins
  routeCase('GET /requests?view=decided', APPROVERS_ADMINS),
  // break-glass awaiting review: approvers (frank's scope has none) and admins
  routeCase('GET /requests?view=reviews', APPROVERS_ADMINS),
  routeCase('GET /requests/decided.csv', APPROVERS_ADMINS, {
    path: '/requests/decided.csv?status=approved',
  }),
  routeCase('GET /requests/:id', READERS, { on: 'pending' }),
  routeCase('POST /requests/:id/approve', DECIDERS, {
    on: 'pending',
    body: () => ({ comment: 'ok' }),
  }),
  routeCase('POST /requests/:id/reject', DECIDERS, {
    on: 'pending',
    body: () => ({ comment: 'no' }),
  }),
  // an approver of the request or an admin, never the requester
  routeCase(
    'POST /requests/:id/review',
    [401, 403, 403, 403, 200, 403, 403, 200],
    {
      on: 'reviewable',
      body: () => ({ outcome: 'appropriate', comment: 'Checked' }),
    },
  ),
  routeCase(
    'POST /requests/:id/cancel',
    [401, 403, 200, 403, 403, 403, 403, 403],
    { on: 'pending' },
  ),
  routeCase(
    'POST /requests/:id/revoke',
    [401, 403, 200, 403, 200, 403, 403, 200],
    { on: 'approved', body: () => ({ comment: 'done' }) },
  ),
  routeCase('GET /requests/:id/extension', READERS, { on: 'extending' }),
  // only the requester extends, whoever else may read or revoke it
  routeCase(
    'POST /requests/:id/extend',
    [401, 403, 200, 403, 403, 403, 403, 403],
    {
      on: 'active',
      body: () => ({
        durationMinutes: 30,
        justification: 'The incident is still open',
      }),
    },
  ),
  routeCase('POST /requests/:id/extension/approve', DECIDERS, {
    on: 'extending',
  }),
  routeCase('POST /requests/:id/extension/reject', DECIDERS, {
    on: 'extending',
    body: () => ({ comment: 'Finish tomorrow' }),
  }),
  routeCase('POST /requests/:id/retry', ADMIN_ONLY, { on: 'errored' }),
  routeCase('GET /requests/:id/activity', READERS, { on: 'pending' }),
];
