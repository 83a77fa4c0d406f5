import { BadInput, gets, Who } from './harness';

const alice = gets('alice');
const dave = gets('dave');

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
const TEXT_KEYED = [...FORGED_CURSORS, ...FORGED_TEXT_ID_CURSORS];
const NUMERIC_KEYED = [...FORGED_CURSORS, ...FORGED_NUMERIC_CURSORS];

/** A refused GET of one listing for each forged cursor. */
const forgedCursorsOn = (
  listing: string,
  who: Who,
  cursors: Array<[string, string]>,
  pathWith: (cursor: string) => BadInput['path'],
) =>
  cursors.map(([what, cursor]) =>
    gets(who)(
      `a forged cursor on ${listing}: ${what}`,
      pathWith(cursor),
      CURSOR_MESSAGE,
    ),
  );

/** Queries of the request lists, the activity and the audit views refused. */
export const LIST_QUERY_CASES: BadInput[] = [
  // --- list queries ---
  alice(
    'an unknown view',
    '/requests?view=everything',
    /View must be one of mine, approvals, decided, reviews, all/,
  ),
  alice(
    'an unknown status',
    '/requests?status=pending,bogus',
    /Status must be one of/,
  ),
  alice(
    'an unknown review filter',
    '/requests?review=maybe',
    /review: Review must be one of awaiting, appropriate, inappropriate/,
  ),
  alice(
    'a break-glass filter in words',
    '/requests?breakGlass=yes',
    /breakGlass: Break-glass must be true or false/,
  ),
  alice('a zero limit', '/requests?limit=0', /Limit must be at least 1/),
  alice('a huge limit', '/requests?limit=10000', /Limit must be at most 500/),
  alice(
    'a cursor with odd characters',
    '/requests?cursor=!!!',
    /Cursor is not valid/,
  ),
  alice(
    'a cursor the server did not make',
    '/requests?cursor=bm90LWEtY3Vyc29y',
    /cursor is not valid/,
  ),
  ...forgedCursorsOn(
    'my requests',
    'alice',
    TEXT_KEYED,
    cursor => `/requests?cursor=${cursor}`,
  ),
  ...forgedCursorsOn(
    'the audit list',
    'dave',
    TEXT_KEYED,
    cursor => `/requests?view=all&status=pending,approved&cursor=${cursor}`,
  ),
  ...forgedCursorsOn(
    'the approvals list',
    'bob',
    TEXT_KEYED,
    cursor => `/requests?view=approvals&cursor=${cursor}`,
  ),
  ...forgedCursorsOn(
    'session activity',
    'alice',
    NUMERIC_KEYED,
    cursor => ids => `/requests/${ids.pending}/activity?cursor=${cursor}`,
  ),
  alice(
    'a date in words',
    '/requests?from=yesterday',
    /From must be an ISO 8601/,
  ),
  alice(
    'an unknown query parameter',
    '/requests?sort=desc',
    /Unknown field: sort/,
  ),
  alice(
    'a repeated parameter',
    '/requests?view=mine&view=all',
    /View must be one of/,
  ),
  alice('a short account filter', '/requests?accountId=1', /12 digits/),
  // audit filters typed as free text: a plain sentence, never a bare 400
  dave(
    'a requester filter in words',
    '/requests?view=all&requester=Alice%20Liddell',
    /Requester must be a user name or entity ref/,
  ),
  dave(
    'an account filter by name',
    '/audit/decisions?accountId=payments-prod',
    /Account id must be 12 digits/,
  ),
  dave(
    'an approver filter in words',
    '/audit/decisions?approver=bob%20the%20lead',
    /Approver must be a user name or entity ref/,
  ),
  dave(
    'a changed-by filter in words',
    '/audit/changes?actor=dave%3F',
    /Actor must be a user name or entity ref/,
  ),
  alice(
    'an oversized activity search',
    ids => `/requests/${ids.pending}/activity?q=${'q'.repeat(201)}`,
    /Search must be at most 200 characters/,
  ),
];
