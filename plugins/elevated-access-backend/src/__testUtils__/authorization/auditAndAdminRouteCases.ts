import { BUILT_IN_SETTINGS } from '../../config';
import { DEMO_APPROVERS, DEMO_ELIGIBILITY } from '../fixtures';
import {
  ADMIN_ONLY,
  AUDITORS,
  Case,
  READERS,
  routeCase,
  USER_OK,
} from './matrix';

/** The audit views, the policies, the settings and the targets. */
export const AUDIT_AND_ADMIN_ROUTE_CASES: Case[] = [
  routeCase('GET /audit/requests.csv', AUDITORS),
  routeCase('GET /audit/activity.csv', AUDITORS),
  routeCase('GET /audit/insights', AUDITORS),
  routeCase('GET /audit/requests.csv?requester', AUDITORS, {
    path: '/audit/requests.csv?requester=alice&status=pending',
  }),
  routeCase('GET /audit/activity.csv?requester', AUDITORS, {
    path: '/audit/activity.csv?requester=alice&q=s3',
  }),
  routeCase('GET /audit/activity.csv?requestId', READERS, {
    path: f => `/audit/activity.csv?requestId=${f.pending}`,
  }),
  routeCase('GET /audit/decisions', AUDITORS),
  routeCase('GET /audit/decisions.csv', AUDITORS),
  routeCase('GET /audit/changes', AUDITORS),
  routeCase('GET /policies/eligibility', AUDITORS),
  routeCase('GET /policies/eligibility/:id', AUDITORS, {
    on: 'eligibilityPolicy',
  }),
  routeCase(
    'POST /policies/eligibility',
    [401, 403, 403, 403, 403, 403, 403, 201],
    { body: () => ({ ...DEMO_ELIGIBILITY[0], name: 'Another' }) },
  ),
  routeCase('PUT /policies/eligibility/:id', ADMIN_ONLY, {
    on: 'eligibilityPolicy',
    body: () => ({ ...DEMO_ELIGIBILITY[0], maxDurationMinutes: 60 }),
  }),
  routeCase(
    'DELETE /policies/eligibility/:id',
    [401, 403, 403, 403, 403, 403, 403, 204],
    { on: 'eligibilityPolicy' },
  ),
  routeCase('GET /policies/approval', AUDITORS),
  routeCase('GET /policies/approval/:id', AUDITORS, { on: 'approverPolicy' }),
  routeCase(
    'POST /policies/approval',
    [401, 403, 403, 403, 403, 403, 403, 201],
    { body: () => ({ ...DEMO_APPROVERS[0], name: 'Another' }) },
  ),
  routeCase('PUT /policies/approval/:id', ADMIN_ONLY, {
    on: 'approverPolicy',
    body: () => ({ ...DEMO_APPROVERS[0], minApprovals: 1 }),
  }),
  routeCase(
    'DELETE /policies/approval/:id',
    [401, 403, 403, 403, 403, 403, 403, 204],
    { on: 'approverPolicy' },
  ),
  routeCase('GET /settings', USER_OK),
  routeCase('PUT /settings', ADMIN_ONLY, {
    body: () => ({ ...BUILT_IN_SETTINGS, maxDurationMinutes: 120 }),
  }),
  // policy editors pick from it, auditors filter the audit views with it
  routeCase('GET /targets', AUDITORS),
];
