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

/**
 * One kind of policy's routes: auditors read them, only admins create
 * (another like `sample`), change (`sample` with `change`) and delete them.
 */
const policyRouteCases = (
  kind: 'eligibility' | 'approval',
  on: 'eligibilityPolicy' | 'approverPolicy',
  sample: object,
  change: object,
): Case[] => [
  routeCase(`GET /policies/${kind}`, AUDITORS),
  routeCase(`GET /policies/${kind}/:id`, AUDITORS, { on }),
  routeCase(
    `POST /policies/${kind}`,
    [401, 403, 403, 403, 403, 403, 403, 201],
    { body: () => ({ ...sample, name: 'Another' }) },
  ),
  routeCase(`PUT /policies/${kind}/:id`, ADMIN_ONLY, {
    on,
    body: () => ({ ...sample, ...change }),
  }),
  routeCase(
    `DELETE /policies/${kind}/:id`,
    [401, 403, 403, 403, 403, 403, 403, 204],
    { on },
  ),
];

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
  ...policyRouteCases('eligibility', 'eligibilityPolicy', DEMO_ELIGIBILITY[0], {
    maxDurationMinutes: 60,
  }),
  ...policyRouteCases('approval', 'approverPolicy', DEMO_APPROVERS[0], {
    minApprovals: 1,
  }),
  routeCase('GET /settings', USER_OK),
  routeCase('PUT /settings', ADMIN_ONLY, {
    body: () => ({ ...BUILT_IN_SETTINGS, maxDurationMinutes: 120 }),
  }),
  // policy editors pick from it, auditors filter the audit views with it
  routeCase('GET /targets', AUDITORS),
];
