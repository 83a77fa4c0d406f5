import { AUDIT_AND_ADMIN_ROUTE_CASES } from './auditAndAdminRouteCases';
import { Case } from './matrix';
import { USER_ROUTE_CASES } from './userRouteCases';

/**
 * Every route's case: health, the caller's eligibility and entity access,
 * and the requests; then the audit views, the policies, the settings and
 * the targets.
 */
export const ROUTE_CASES: Case[] = [
  ...USER_ROUTE_CASES,
  ...AUDIT_AND_ADMIN_ROUTE_CASES,
];
