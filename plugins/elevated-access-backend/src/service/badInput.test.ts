import { Knex } from 'knex';
import request from 'supertest';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  ACCOUNT,
  DEMO_APPROVERS,
  DEMO_ELIGIBILITY,
  OU,
  PS,
} from '../__testUtils__/fixtures';
import { describeEachDatabase } from '../__testUtils__/databases';
import { snapshotDatabase } from '../__testUtils__/snapshot';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';
import { BUILT_IN_SETTINGS } from '../config';
import { createRouter, RouterOptions } from './router';

jest.setTimeout(120_000);

const valid = {
  accountId: ACCOUNT['payments-prod'],
  permissionSetArn: PS.PowerUserAccess,
  durationMinutes: 60,
  justification: 'Fix the broken deployment pipeline',
  ticketId: 'OPS-7',
};
const days = (n: number) => new Date(Date.now() + n * 86400_000).toISOString();

type Who = 'alice' | 'bob' | 'dave';
interface BadInput {
  name: string;
  who: Who;
  method: 'get' | 'post' | 'put';
  path: string | ((ids: Ids) => string);
  body?: unknown;
  status: 400 | 403;
  message: RegExp;
}
interface Ids {
  pending: string;
  approved: string;
  policy: string;
  eligibilityPolicy: string;
}

const b64 = (text: string | Buffer) => Buffer.from(text).toString('base64url');
const CURSOR_MESSAGE =
  /^The cursor is not valid; start again from the first page$/;
/** Cursors the server did not make, each well-encoded base64url. */
const FORGED_CURSORS: Array<[string, string]> = [
  ['an object', b64('{"t":"not a date","id":"x"}')],
  ['a date in words', b64('["not a date","0b6d9b1e"]')],
  ['a date as an ISO string', b64('["2026-11-21T09:00:00Z","0b6d9b1e"]')],
  ['a time before 1970', b64('[-62135596800001,"0b6d9b1e"]')],
  ['a time past the year 275760', b64('[9e15,"0b6d9b1e"]')],
  ['a fractional time', b64('[1.5,"0b6d9b1e"]')],
  ['an id that is an object', b64('[1764000000000,{"x":1}]')],
  ['an id with SQL', b64("[1764000000000,\"x' OR '1'='1\"]")],
  ['an id with a NUL', b64('[1764000000000,"a\\u0000b"]')],
  ['three elements', b64('[1764000000000,"a",3]')],
  ['null', b64('null')],
  [
    'random bytes',
    b64(Buffer.from([0xff, 0xfe, 0x00, 0x9c, 0x80, 0x01, 0x7f])),
  ],
];
/** Forged for listings keyed by text ids (a number id is well-formed for activity). */
const FORGED_TEXT_ID_CURSORS: Array<[string, string]> = [
  ['[1,2]', b64('[1,2]')],
];
/** Forged for listings keyed by numeric ids. */
const FORGED_NUMERIC_CURSORS: Array<[string, string]> = [
  ['a text id', b64('[1764000000000,"x"]')],
  ['a negative id', b64('[1764000000000,-1]')],
  ['an id past 2^53', b64('[1764000000000,1e300]')],
];

const CASES: BadInput[] = [
  // --- POST /requests: shape ---
  {
    name: 'empty body',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: {},
    status: 400,
    message: /accountId: Account id must be text/,
  },
  {
    name: 'account id as a number',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, accountId: 111111111111 },
    status: 400,
    message: /Account id must be text/,
  },
  {
    name: 'short account id',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, accountId: '1234' },
    status: 400,
    message: /Account id must be 12 digits/,
  },
  {
    name: 'SQL in the account id',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, accountId: "111111111111' OR '1'='1" },
    status: 400,
    message: /12 digits/,
  },
  {
    name: 'permission set name instead of ARN',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, permissionSetArn: 'PowerUserAccess' },
    status: 400,
    message: /permission set ARN/,
  },
  {
    name: 'HTML in the permission set',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, permissionSetArn: '<script>alert(1)</script>' },
    status: 400,
    message: /permission set ARN/,
  },
  {
    name: 'zero duration',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, durationMinutes: 0 },
    status: 400,
    message: /Duration must be at least 1 minute/,
  },
  {
    name: 'negative duration',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, durationMinutes: -30 },
    status: 400,
    message: /at least 1 minute/,
  },
  {
    name: 'fractional duration',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, durationMinutes: 1.5 },
    status: 400,
    message: /whole minutes/,
  },
  {
    name: 'duration as a string',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, durationMinutes: '60' },
    status: 400,
    message: /Duration must be a number of minutes/,
  },
  {
    name: 'duration over the policy cap',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, durationMinutes: 241 },
    status: 400,
    message: /at most 4 h/,
  },
  {
    name: 'duration over the absolute cap',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, durationMinutes: 100_000 },
    status: 400,
    message: /at most 10,080 minutes/,
  },
  {
    name: 'missing justification',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, justification: undefined },
    status: 400,
    message: /Justification must be text/,
  },
  {
    name: 'short justification',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, justification: 'because' },
    status: 400,
    message: /at least 10 characters/,
  },
  {
    name: 'blank justification',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, justification: '             ' },
    status: 400,
    message: /at least 10 characters/,
  },
  {
    name: 'oversized justification',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, justification: 'x'.repeat(2940) },
    status: 400,
    // refused with its length, never cut
    message: /Justification is 2,940 characters; the limit is 2,000/,
  },
  {
    name: 'control characters in justification',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, justification: 'fix the thing\u0000\u001b[31m' },
    status: 400,
    message: /control characters/,
  },
  {
    name: 'SQL in the ticket',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, ticketId: "OPS-1'; DROP TABLE requests;--" },
    status: 400,
    message: /Ticket may contain letters, digits/,
  },
  {
    name: 'HTML in the ticket',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, ticketId: '<b>OPS-1</b>' },
    status: 400,
    message: /Ticket may contain/,
  },
  {
    name: 'oversized ticket',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, ticketId: 'A'.repeat(65) },
    status: 400,
    message: /at most 64 characters/,
  },
  {
    name: 'missing ticket where one is required',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, ticketId: undefined },
    status: 400,
    message: /ticket is required/,
  },
  {
    name: 'start time in the past',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, startTime: '2020-01-01T00:00:00Z' },
    status: 400,
    message: /Start time is in the past/,
  },
  {
    name: 'start time far in the future',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, startTime: days(90) },
    status: 400,
    message: /within the next 30 days/,
  },
  {
    name: 'start time without a zone',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, startTime: '2027-01-01T10:00:00' },
    status: 400,
    message: /with a time zone/,
  },
  {
    name: 'start time in words',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, startTime: 'tomorrow' },
    status: 400,
    message: /ISO 8601/,
  },
  {
    name: 'status in a create body',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, status: 'approved' },
    status: 400,
    message: /Unknown field: status/,
  },
  {
    name: 'approvers in a create body',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, approvers: ['user:default/alice'] },
    status: 400,
    message: /Unknown field: approvers/,
  },
  {
    name: 'break-glass as text',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, breakGlass: 'yes' },
    status: 400,
    message: /^Invalid input: breakGlass: Break-glass must be true or false$/,
  },
  {
    name: 'break-glass where no policy allows it',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, breakGlass: true },
    status: 400,
    message:
      /^Invalid input: breakGlass: No policy allows break-glass for PowerUserAccess on payments-prod\. Request it with approval instead$/,
  },
  {
    name: 'a review with an unknown outcome',
    who: 'bob',
    method: 'post',
    path: ids => `/requests/${ids.pending}/review`,
    body: { outcome: 'fine' },
    status: 400,
    message: /outcome: Outcome must be appropriate or inappropriate/,
  },
  {
    name: 'a review without an outcome',
    who: 'bob',
    method: 'post',
    path: ids => `/requests/${ids.pending}/review`,
    body: {},
    status: 400,
    message: /outcome: Outcome must be appropriate or inappropriate/,
  },
  {
    name: 'an inappropriate review without a comment',
    who: 'bob',
    method: 'post',
    path: ids => `/requests/${ids.pending}/review`,
    body: { outcome: 'inappropriate', comment: '  ' },
    status: 400,
    message: /comment: Say what was inappropriate in a comment/,
  },
  {
    name: 'a reviewer in a review body',
    who: 'bob',
    method: 'post',
    path: ids => `/requests/${ids.pending}/review`,
    body: { outcome: 'appropriate', reviewerRef: 'user:default/dave' },
    status: 400,
    message: /Unknown field: reviewerRef/,
  },
  {
    name: 'an oversized review comment',
    who: 'bob',
    method: 'post',
    path: ids => `/requests/${ids.pending}/review`,
    body: { outcome: 'appropriate', comment: 'y'.repeat(1001) },
    status: 400,
    message: /comment: Comment must be at most 1000 characters/,
  },
  {
    name: 'requester in a create body',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, requesterRef: 'user:default/bob' },
    status: 400,
    message: /Unknown field: requesterRef/,
  },
  {
    name: 'a list instead of an object',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: [valid],
    status: 400,
    message: /Invalid input/,
  },
  // --- POST /requests: eligibility ---
  {
    name: 'a permission set nobody made eligible',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, permissionSetArn: PS.AdministratorAccess },
    status: 403,
    message: /not eligible to request AdministratorAccess on payments-prod/,
  },
  {
    name: 'an account outside the policies',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, accountId: ACCOUNT.audit },
    status: 403,
    message: /not eligible to request PowerUserAccess on audit/,
  },
  {
    name: 'the management account',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, accountId: ACCOUNT.management },
    status: 403,
    message: /not eligible/,
  },
  {
    name: 'an account that does not exist',
    who: 'alice',
    method: 'post',
    path: '/requests',
    body: { ...valid, accountId: '000000000000' },
    status: 403,
    message: /account 000000000000/,
  },
  {
    name: 'a user no policy names',
    who: 'bob',
    method: 'post',
    path: '/requests',
    body: valid,
    status: 403,
    message: /not eligible/,
  },
  // --- decisions, cancel, revoke ---
  {
    name: 'comment as a number',
    who: 'bob',
    method: 'post',
    path: ids => `/requests/${ids.pending}/approve`,
    body: { comment: 42 },
    status: 400,
    message: /Comment must be text/,
  },
  {
    name: 'status in an approve body',
    who: 'bob',
    method: 'post',
    path: ids => `/requests/${ids.pending}/approve`,
    body: { status: 'approved' },
    status: 400,
    message: /Unknown field: status/,
  },
  {
    name: 'reject without a reason',
    who: 'bob',
    method: 'post',
    path: ids => `/requests/${ids.pending}/reject`,
    body: {},
    status: 400,
    message: /Say why you reject/,
  },
  {
    name: 'oversized comment',
    who: 'bob',
    method: 'post',
    path: ids => `/requests/${ids.pending}/approve`,
    body: { comment: 'y'.repeat(1001) },
    status: 400,
    message: /at most 1000 characters/,
  },
  {
    name: 'an id that is not a UUID',
    who: 'bob',
    method: 'post',
    path: '/requests/not-a-uuid/approve',
    body: {},
    status: 400,
    message: /Request id must be a UUID/,
  },
  {
    name: 'SQL as the id',
    who: 'bob',
    method: 'post',
    path: `/requests/${encodeURIComponent("1' OR '1'='1")}/approve`,
    body: {},
    status: 400,
    message: /UUID/,
  },
  {
    name: 'a reason in a cancel body',
    who: 'alice',
    method: 'post',
    path: ids => `/requests/${ids.pending}/cancel`,
    body: { reason: 'x' },
    status: 400,
    message: /Unknown field: reason/,
  },
  {
    name: 'revoke without a reason',
    who: 'alice',
    method: 'post',
    path: ids => `/requests/${ids.approved}/revoke`,
    body: {},
    status: 400,
    message: /Say why you revoke/,
  },
  // --- list queries ---
  {
    name: 'an unknown view',
    who: 'alice',
    method: 'get',
    path: '/requests?view=everything',
    status: 400,
    message: /View must be one of mine, approvals, decided, reviews, all/,
  },
  {
    name: 'an unknown status',
    who: 'alice',
    method: 'get',
    path: '/requests?status=pending,bogus',
    status: 400,
    message: /Status must be one of/,
  },
  {
    name: 'an unknown review filter',
    who: 'alice',
    method: 'get',
    path: '/requests?review=maybe',
    status: 400,
    message:
      /review: Review must be one of awaiting, appropriate, inappropriate/,
  },
  {
    name: 'a break-glass filter in words',
    who: 'alice',
    method: 'get',
    path: '/requests?breakGlass=yes',
    status: 400,
    message: /breakGlass: Break-glass must be true or false/,
  },
  {
    name: 'a zero limit',
    who: 'alice',
    method: 'get',
    path: '/requests?limit=0',
    status: 400,
    message: /Limit must be at least 1/,
  },
  {
    name: 'a huge limit',
    who: 'alice',
    method: 'get',
    path: '/requests?limit=10000',
    status: 400,
    message: /Limit must be at most 500/,
  },
  {
    name: 'a cursor with odd characters',
    who: 'alice',
    method: 'get',
    path: '/requests?cursor=!!!',
    status: 400,
    message: /Cursor is not valid/,
  },
  {
    name: 'a cursor the server did not make',
    who: 'alice',
    method: 'get',
    path: '/requests?cursor=bm90LWEtY3Vyc29y',
    status: 400,
    message: /cursor is not valid/,
  },
  ...[...FORGED_CURSORS, ...FORGED_TEXT_ID_CURSORS].map(
    ([what, cursor]): BadInput => ({
      name: `a forged cursor on my requests: ${what}`,
      who: 'alice',
      method: 'get',
      path: `/requests?cursor=${cursor}`,
      status: 400,
      message: CURSOR_MESSAGE,
    }),
  ),
  ...[...FORGED_CURSORS, ...FORGED_TEXT_ID_CURSORS].map(
    ([what, cursor]): BadInput => ({
      name: `a forged cursor on the audit list: ${what}`,
      who: 'dave',
      method: 'get',
      path: `/requests?view=all&status=pending,approved&cursor=${cursor}`,
      status: 400,
      message: CURSOR_MESSAGE,
    }),
  ),
  ...[...FORGED_CURSORS, ...FORGED_TEXT_ID_CURSORS].map(
    ([what, cursor]): BadInput => ({
      name: `a forged cursor on the approvals list: ${what}`,
      who: 'bob',
      method: 'get',
      path: `/requests?view=approvals&cursor=${cursor}`,
      status: 400,
      message: CURSOR_MESSAGE,
    }),
  ),
  ...[...FORGED_CURSORS, ...FORGED_NUMERIC_CURSORS].map(
    ([what, cursor]): BadInput => ({
      name: `a forged cursor on session activity: ${what}`,
      who: 'alice',
      method: 'get',
      path: ids => `/requests/${ids.pending}/activity?cursor=${cursor}`,
      status: 400,
      message: CURSOR_MESSAGE,
    }),
  ),
  {
    name: 'a date in words',
    who: 'alice',
    method: 'get',
    path: '/requests?from=yesterday',
    status: 400,
    message: /From must be an ISO 8601/,
  },
  {
    name: 'an unknown query parameter',
    who: 'alice',
    method: 'get',
    path: '/requests?sort=desc',
    status: 400,
    message: /Unknown field: sort/,
  },
  {
    name: 'a repeated parameter',
    who: 'alice',
    method: 'get',
    path: '/requests?view=mine&view=all',
    status: 400,
    message: /View must be one of/,
  },
  {
    name: 'a short account filter',
    who: 'alice',
    method: 'get',
    path: '/requests?accountId=1',
    status: 400,
    message: /12 digits/,
  },
  // audit filters typed as free text: a plain sentence, never a bare 400
  {
    name: 'a requester filter in words',
    who: 'dave',
    method: 'get',
    path: '/requests?view=all&requester=Alice%20Liddell',
    status: 400,
    message: /Requester must be a user name or entity ref/,
  },
  {
    name: 'an account filter by name',
    who: 'dave',
    method: 'get',
    path: '/audit/decisions?accountId=payments-prod',
    status: 400,
    message: /Account id must be 12 digits/,
  },
  {
    name: 'an approver filter in words',
    who: 'dave',
    method: 'get',
    path: '/audit/decisions?approver=bob%20the%20lead',
    status: 400,
    message: /Approver must be a user name or entity ref/,
  },
  {
    name: 'a changed-by filter in words',
    who: 'dave',
    method: 'get',
    path: '/audit/changes?actor=dave%3F',
    status: 400,
    message: /Actor must be a user name or entity ref/,
  },
  {
    name: 'an oversized activity search',
    who: 'alice',
    method: 'get',
    path: ids => `/requests/${ids.pending}/activity?q=${'q'.repeat(201)}`,
    status: 400,
    message: /Search must be at most 200 characters/,
  },
  // --- policies ---
  {
    name: 'a policy with no principals',
    who: 'dave',
    method: 'post',
    path: '/policies/eligibility',
    body: { ...DEMO_ELIGIBILITY[0], principals: [] },
    status: 400,
    message: /Name at least one user or group/,
  },
  {
    name: 'a principal that is not a user or group ref',
    who: 'dave',
    method: 'post',
    path: '/policies/eligibility',
    body: { ...DEMO_ELIGIBILITY[0], principals: ['component:default/bob'] },
    status: 400,
    message: /user:default\/name/,
  },
  {
    name: 'a group the catalog does not know',
    who: 'dave',
    method: 'post',
    path: '/policies/eligibility',
    body: { ...DEMO_ELIGIBILITY[0], principals: ['group:default/ghosts'] },
    status: 400,
    message: /Not in the catalog: group:default\/ghosts/,
  },
  {
    name: 'the management account in a policy',
    who: 'dave',
    method: 'post',
    path: '/policies/eligibility',
    body: { ...DEMO_ELIGIBILITY[0], accounts: [ACCOUNT.management] },
    status: 400,
    message: /management account/,
  },
  {
    name: 'a malformed OU',
    who: 'dave',
    method: 'post',
    path: '/policies/eligibility',
    body: { ...DEMO_ELIGIBILITY[0], ous: ['ou-bad'] },
    status: 400,
    message: /OU must be an OU id/,
  },
  {
    name: 'an OU that does not exist',
    who: 'dave',
    method: 'post',
    path: '/policies/eligibility',
    body: { ...DEMO_ELIGIBILITY[0], ous: ['ou-demo-nowhereatall'] },
    status: 400,
    message: /Unknown OU/,
  },
  {
    name: 'a permission set that does not exist',
    who: 'dave',
    method: 'post',
    path: '/policies/eligibility',
    body: {
      ...DEMO_ELIGIBILITY[0],
      permissionSets: [PS.ReadOnlyAccess.replace(/1$/, '9')],
    },
    status: 400,
    message: /Unknown permission set/,
  },
  {
    name: 'a zero max duration',
    who: 'dave',
    method: 'post',
    path: '/policies/eligibility',
    body: { ...DEMO_ELIGIBILITY[0], maxDurationMinutes: 0 },
    status: 400,
    message: /Max duration must be at least 1 minute/,
  },
  {
    name: 'a policy with no accounts or OUs',
    who: 'dave',
    method: 'post',
    path: '/policies/eligibility',
    body: { ...DEMO_ELIGIBILITY[0], ous: [], accounts: [] },
    status: 400,
    message: /Choose at least one account or OU/,
  },
  {
    name: 'zero minimum approvals',
    who: 'dave',
    method: 'post',
    path: '/policies/approval',
    body: { ...DEMO_APPROVERS[0], minApprovals: 0 },
    status: 400,
    message: /at least 1/,
  },
  {
    name: 'an eligibility policy changed to have no principals',
    who: 'dave',
    method: 'put',
    path: ids => `/policies/eligibility/${ids.eligibilityPolicy}`,
    body: { ...DEMO_ELIGIBILITY[0], principals: [] },
    status: 400,
    message: /Name at least one user or group/,
  },
  {
    name: 'eleven minimum approvals',
    who: 'dave',
    method: 'put',
    path: ids => `/policies/approval/${ids.policy}`,
    body: { ...DEMO_APPROVERS[0], minApprovals: 11 },
    status: 400,
    message: /at most 10/,
  },
  // --- settings ---
  {
    name: 'a ticket pattern that is not a regex',
    who: 'dave',
    method: 'put',
    path: '/settings',
    body: { ...BUILT_IN_SETTINGS, ticketPattern: '([' },
    status: 400,
    message: /not a valid regular expression/,
  },
  {
    name: 'a ticket pattern with a backreference',
    who: 'dave',
    method: 'put',
    path: '/settings',
    body: { ...BUILT_IN_SETTINGS, ticketPattern: '^([A-Z]+)-\\d+-\\1$' },
    status: 400,
    message:
      /^Invalid input: ticketPattern: The ticket pattern uses a feature \(backreference \\1\) that cannot be matched safely; /,
  },
  {
    name: 'a ticket pattern with a lookahead',
    who: 'dave',
    method: 'put',
    path: '/settings',
    body: { ...BUILT_IN_SETTINGS, ticketPattern: '^(?=OPS)[A-Z]+-\\d+$' },
    status: 400,
    message: /uses a feature \(lookahead \(\?=\) that cannot be matched safely/,
  },
  {
    name: 'a negative pending timeout',
    who: 'dave',
    method: 'put',
    path: '/settings',
    body: { ...BUILT_IN_SETTINGS, pendingTimeoutMinutes: -1 },
    status: 400,
    message: /Pending timeout must be at least 5 minutes/,
  },
  {
    name: 'a max duration in words',
    who: 'dave',
    method: 'put',
    path: '/settings',
    body: { ...BUILT_IN_SETTINGS, maxDurationMinutes: 'eight hours' },
    status: 400,
    message: /Max duration must be a number/,
  },
  {
    name: 'a secret in the settings',
    who: 'dave',
    method: 'put',
    path: '/settings',
    body: {
      ...BUILT_IN_SETTINGS,
      slackWebhookUrl: 'https://hooks.example.com/x',
    },
    status: 400,
    message: /Unknown field: slackWebhookUrl/,
  },
  {
    name: 'a ticket link without {ticket}',
    who: 'dave',
    method: 'put',
    path: '/settings',
    body: {
      ...BUILT_IN_SETTINGS,
      ticketLinkTemplate: 'https://jira.example.com/browse/',
    },
    status: 400,
    message: /must contain \{ticket\}/,
  },
  // --- decisions and actions on a request: their bodies ---
  {
    name: 'an approval for zero minutes',
    who: 'bob',
    method: 'post',
    path: ids => `/requests/${ids.pending}/approve`,
    body: { durationMinutes: 0 },
    status: 400,
    message:
      /^Invalid input: durationMinutes: Duration must be at least 1 minute$/,
  },
  {
    name: 'a rejection comment as a number',
    who: 'bob',
    method: 'post',
    path: ids => `/requests/${ids.pending}/reject`,
    body: { comment: 42 },
    status: 400,
    message: /^Invalid input: comment: Comment must be text$/,
  },
  {
    name: 'an extension in words',
    who: 'alice',
    method: 'post',
    path: ids => `/requests/${ids.approved}/extend`,
    body: { durationMinutes: 'an hour', justification: 'More time' },
    status: 400,
    message: /durationMinutes: /,
  },
  {
    name: 'an extension approval with a control character',
    who: 'bob',
    method: 'post',
    path: ids => `/requests/${ids.approved}/extension/approve`,
    body: { comment: 'fine\u0007' },
    status: 400,
    message: /^Invalid input: comment: Comment contains control characters$/,
  },
  {
    name: 'an extension rejection with an unknown field',
    who: 'bob',
    method: 'post',
    path: ids => `/requests/${ids.approved}/extension/reject`,
    body: { reason: 'no' },
    status: 400,
    message: /Unknown field: reason/,
  },
  {
    name: 'a review outcome that is not one of the two',
    who: 'bob',
    method: 'post',
    path: ids => `/requests/${ids.approved}/review`,
    body: { outcome: 'fine' },
    status: 400,
    message: /outcome: Outcome must be appropriate or inappropriate/,
  },
  {
    name: 'a cancellation with a body',
    who: 'alice',
    method: 'post',
    path: ids => `/requests/${ids.pending}/cancel`,
    body: { comment: 'never mind' },
    status: 400,
    message: /Unknown field: comment/,
  },
  {
    name: 'a revocation comment over 1000 characters',
    who: 'dave',
    method: 'post',
    path: ids => `/requests/${ids.approved}/revoke`,
    body: { comment: 'x'.repeat(1001) },
    status: 400,
    message:
      /^Invalid input: comment: Comment must be at most 1000 characters$/,
  },
  {
    name: 'a retry with a body',
    who: 'dave',
    method: 'post',
    path: ids => `/requests/${ids.approved}/retry`,
    body: { force: true },
    status: 400,
    message: /Unknown field: force/,
  },
];

/** The POST and PUT routes the router serves, as `METHOD /pattern`. */
async function bodyRoutes(): Promise<string[]> {
  // The services are only reached by a request: listing routes needs none.
  const router = await createRouter({} as RouterOptions);
  return router.stack.flatMap(layer => {
    // Express keeps a route's methods on it; its types do not say so.
    const route = layer.route as
      | { path: string; methods: Record<string, boolean> }
      | undefined;
    return Object.keys(route?.methods ?? {})
      .filter(m => m === 'post' || m === 'put')
      .map(m => `${m.toUpperCase()} ${route!.path}`);
  });
}

const patternMatches = (route: string, method: string, path: string) => {
  const [routeMethod, pattern] = route.split(' ');
  const regex = new RegExp(`^${pattern.replace(/:[a-z]+/gi, '[^/]+')}$`);
  return routeMethod === method.toUpperCase() && regex.test(path.split('?')[0]);
};
const SAMPLE_IDS: Ids = {
  pending: 'p',
  approved: 'a',
  policy: 'x',
  eligibilityPolicy: 'e',
};

describeEachDatabase(
  'bad input is refused with a clear message and writes nothing',
  init => {
    let api: ElevatedAccessTestBackend;
    let knex: Knex;
    let ids: Ids;

    beforeAll(async () => {
      knex = await init();
      api = await startElevatedAccess({ knex });
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
      ids = {
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
    afterAll(() => api.stop());

    it('has a refused case for every route that takes a body', async () => {
      const uncovered = (await bodyRoutes()).filter(
        route =>
          !CASES.some(c =>
            patternMatches(
              route,
              c.method,
              typeof c.path === 'function' ? c.path(SAMPLE_IDS) : c.path,
            ),
          ),
      );
      expect(uncovered).toEqual([]);
    });

    it.each(CASES.map(c => [c.name, c] as const))('%s', async (_name, c) => {
      const before = await snapshotDatabase(knex);
      const path = typeof c.path === 'function' ? c.path(ids) : c.path;
      const res =
        c.method === 'get'
          ? await api.get(c.who, path)
          : await api[c.method](c.who, path, c.body);
      expect({ status: res.status, message: res.body?.error?.message }).toEqual(
        {
          status: c.status,
          message: expect.stringMatching(c.message),
        },
      );
      expect(await snapshotDatabase(knex)).toBe(before);
    });

    it('names the fields at fault in the 400 body, a message with "; " inside whole', async () => {
      const schema = await api.post('alice', '/requests', {
        ...valid,
        durationMinutes: 0,
        justification: 'short',
        status: 'approved',
      });
      expect(schema.status).toBe(400);
      expect(schema.body.error).toEqual({
        name: 'InputError',
        message: expect.stringMatching(/^Invalid input: /),
        fields: {
          durationMinutes: 'Duration must be at least 1 minute',
          justification: 'Justification must be at least 10 characters',
          _: 'Unknown field: status',
        },
      });
      expect(schema.body.response).toEqual({ statusCode: 400 });

      const past = await api.post('alice', '/requests', {
        ...valid,
        startTime: days(-1),
      });
      expect(past.status).toBe(400);
      expect(past.body.error.fields).toEqual({
        startTime: 'Start time is in the past; leave it empty to start now',
      });

      const policy = await api.post('dave', '/policies/eligibility', {
        ...DEMO_ELIGIBILITY[0],
        name: 'Unknown targets',
        accounts: ['123456789012', ACCOUNT.management],
        ous: ['ou-zzzz-zzzzzzzz'],
      });
      expect(policy.status).toBe(400);
      // two problems with one field: both, one sentence after the other
      expect(policy.body.error.fields).toEqual({
        accounts: `Unknown account 123456789012. The management account ${ACCOUNT.management} cannot be granted through Elevated Access`,
        ous: 'Unknown OU ou-zzzz-zzzzzzzz',
      });
    });

    it('refuses a body that is not JSON, or too large, with a 400', async () => {
      const before = await snapshotDatabase(knex);
      const server = request(api.backend.server);
      const broken = await server
        .post('/api/elevated-access/requests')
        .set('Authorization', mockCredentials.user.header('user:default/alice'))
        .set('Content-Type', 'application/json')
        .send('{"accountId": "111111111111",');
      expect(broken.status).toBe(400);
      expect(broken.body.error.message).toBe(
        'The request body is not valid JSON',
      );
      const huge = await api.post('alice', '/requests', {
        ...valid,
        justification: 'z'.repeat(70_000),
      });
      expect(huge.status).toBe(400);
      expect(huge.body.error.message).toBe(
        'The request body is larger than 64 kB',
      );
      expect(await snapshotDatabase(knex)).toBe(before);
    });

    it('stores HTML, SQL and a formula in free text verbatim, and the CSV export keeps the formula inert', async () => {
      const text = `=HYPERLINK("https://evil.example","open") <img src=x onerror=alert(1)> '); DROP TABLE requests; -- ${OU.Workloads}`;
      const res = await api.post('alice', '/requests', {
        ...valid,
        justification: text,
        // after any window of the other tests' requests for this pair
        startTime: new Date(Date.now() + 20 * 24 * 3600_000).toISOString(),
      });
      expect(res.status).toBe(201);
      const read = await api.get('alice', `/requests/${res.body.id}`);
      expect(read.body.justification).toBe(text);
      // A spreadsheet shows the cell as text: a leading quote, CSV-quoted.
      const csv = await api.get('carol', '/audit/requests.csv');
      expect(csv.status).toBe(200);
      const row = csv.text
        .split('\n')
        .find(line => line.startsWith(res.body.id));
      expect(row).toContain(`,"'${text.replace(/"/g, '""')}",`);
    });
  },
);
