import { BUILT_IN_SETTINGS } from '../../config';
import { ACCOUNT, DEMO_APPROVERS, DEMO_ELIGIBILITY, PS } from '../fixtures';
import { BadInput, sends } from './harness';

const davePosts = sends('dave');
const davePuts = sends('dave', 'put');

/** Eligibility and approver policies, and settings, refused. */
export const POLICY_AND_SETTINGS_CASES: BadInput[] = [
  // --- policies ---
  davePosts(
    'a policy with no principals',
    '/policies/eligibility',
    { ...DEMO_ELIGIBILITY[0], principals: [] },
    /Name at least one user or group/,
  ),
  davePosts(
    'a principal that is not a user or group ref',
    '/policies/eligibility',
    { ...DEMO_ELIGIBILITY[0], principals: ['component:default/bob'] },
    /user:default\/name/,
  ),
  davePosts(
    'a group the catalog does not know',
    '/policies/eligibility',
    { ...DEMO_ELIGIBILITY[0], principals: ['group:default/ghosts'] },
    /Not in the catalog: group:default\/ghosts/,
  ),
  davePosts(
    'the management account in a policy',
    '/policies/eligibility',
    { ...DEMO_ELIGIBILITY[0], accounts: [ACCOUNT.management] },
    /management account/,
  ),
  davePosts(
    'a malformed OU',
    '/policies/eligibility',
    { ...DEMO_ELIGIBILITY[0], ous: ['ou-bad'] },
    /OU must be an OU id/,
  ),
  davePosts(
    'an OU that does not exist',
    '/policies/eligibility',
    { ...DEMO_ELIGIBILITY[0], ous: ['ou-demo-nowhereatall'] },
    /Unknown OU/,
  ),
  davePosts(
    'a permission set that does not exist',
    '/policies/eligibility',
    {
      ...DEMO_ELIGIBILITY[0],
      permissionSets: [PS.ReadOnlyAccess.replace(/1$/, '9')],
    },
    /Unknown permission set/,
  ),
  davePosts(
    'a zero max duration',
    '/policies/eligibility',
    { ...DEMO_ELIGIBILITY[0], maxDurationMinutes: 0 },
    /Max duration must be at least 1 minute/,
  ),
  davePosts(
    'a policy with no accounts or OUs',
    '/policies/eligibility',
    { ...DEMO_ELIGIBILITY[0], ous: [], accounts: [] },
    /Choose at least one account or OU/,
  ),
  davePosts(
    'zero minimum approvals',
    '/policies/approval',
    { ...DEMO_APPROVERS[0], minApprovals: 0 },
    /at least 1/,
  ),
  davePuts(
    'an eligibility policy changed to have no principals',
    ids => `/policies/eligibility/${ids.eligibilityPolicy}`,
    { ...DEMO_ELIGIBILITY[0], principals: [] },
    /Name at least one user or group/,
  ),
  davePuts(
    'eleven minimum approvals',
    ids => `/policies/approval/${ids.policy}`,
    { ...DEMO_APPROVERS[0], minApprovals: 11 },
    /at most 10/,
  ),
  // --- settings ---
  davePuts(
    'a ticket pattern that is not a regex',
    '/settings',
    { ...BUILT_IN_SETTINGS, ticketPattern: '([' },
    /not a valid regular expression/,
  ),
  davePuts(
    'a ticket pattern with a backreference',
    '/settings',
    { ...BUILT_IN_SETTINGS, ticketPattern: '^([A-Z]+)-\\d+-\\1$' },
    /^Invalid input: ticketPattern: The ticket pattern uses a feature \(backreference \\1\) that cannot be matched safely; /,
  ),
  davePuts(
    'a ticket pattern with a lookahead',
    '/settings',
    { ...BUILT_IN_SETTINGS, ticketPattern: '^(?=OPS)[A-Z]+-\\d+$' },
    /uses a feature \(lookahead \(\?=\) that cannot be matched safely/,
  ),
  davePuts(
    'a negative pending timeout',
    '/settings',
    { ...BUILT_IN_SETTINGS, pendingTimeoutMinutes: -1 },
    /Pending timeout must be at least 5 minutes/,
  ),
  davePuts(
    'a max duration in words',
    '/settings',
    { ...BUILT_IN_SETTINGS, maxDurationMinutes: 'eight hours' },
    /Max duration must be a number/,
  ),
  davePuts(
    'a secret in the settings',
    '/settings',
    { ...BUILT_IN_SETTINGS, slackWebhookUrl: 'https://hooks.example.com/x' },
    /Unknown field: slackWebhookUrl/,
  ),
  davePuts(
    'a ticket link without {ticket}',
    '/settings',
    {
      ...BUILT_IN_SETTINGS,
      ticketLinkTemplate: 'https://jira.example.com/browse/',
    },
    /must contain \{ticket\}/,
  ),
];
