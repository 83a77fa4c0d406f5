import { BadInput } from './harness';
import { LIST_QUERY_CASES } from './listQueryCases';
import { POLICY_AND_SETTINGS_CASES } from './policyCases';
import { REQUEST_ACTION_CASES } from './requestActionCases';
import { REQUEST_CASES } from './requestCases';

/**
 * Every refused case: POST /requests (shape and eligibility), the actions on
 * one request (review, decisions, cancel, revoke, extend, retry), the lists,
 * activity and audit views (filters, limits, cursors), and the policies and
 * settings.
 */
export const BAD_INPUT_CASES: BadInput[] = [
  ...REQUEST_CASES,
  ...REQUEST_ACTION_CASES,
  ...LIST_QUERY_CASES,
  ...POLICY_AND_SETTINGS_CASES,
];
