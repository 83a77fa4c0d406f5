import { BadInput } from './harness';

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

/** Queries of the request lists, the activity and the audit views refused. */
export const LIST_QUERY_CASES: BadInput[] = [
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
];
