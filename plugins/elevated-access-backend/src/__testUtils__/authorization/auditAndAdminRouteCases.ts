import { BUILT_IN_SETTINGS } from '../../config';
import { DEMO_APPROVERS, DEMO_ELIGIBILITY } from '../fixtures';
import { ADMIN_ONLY, AUDITORS, Case, READERS, USER_OK } from './matrix';

/** The audit views, the policies, the settings and the targets. */
export const AUDIT_AND_ADMIN_ROUTE_CASES: Case[] = [
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
