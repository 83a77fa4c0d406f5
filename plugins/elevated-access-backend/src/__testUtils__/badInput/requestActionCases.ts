import { BadInput, onRequest, sends } from './harness';

const alice = sends('alice');
const bob = sends('bob');
const dave = sends('dave');

/**
 * Bodies and ids refused by the actions on one request: review, approve,
 * reject, cancel, revoke, extend and its decisions, retry.
 */
export const REQUEST_ACTION_CASES: BadInput[] = [
  // --- review ---
  bob(
    'a review with an unknown outcome',
    onRequest('pending', 'review'),
    { outcome: 'fine' },
    /outcome: Outcome must be appropriate or inappropriate/,
  ),
  bob(
    'a review without an outcome',
    onRequest('pending', 'review'),
    {},
    /outcome: Outcome must be appropriate or inappropriate/,
  ),
  bob(
    'an inappropriate review without a comment',
    onRequest('pending', 'review'),
    { outcome: 'inappropriate', comment: '  ' },
    /comment: Say what was inappropriate in a comment/,
  ),
  bob(
    'a reviewer in a review body',
    onRequest('pending', 'review'),
    { outcome: 'appropriate', reviewerRef: 'user:default/dave' },
    /Unknown field: reviewerRef/,
  ),
  bob(
    'an oversized review comment',
    onRequest('pending', 'review'),
    { outcome: 'appropriate', comment: 'y'.repeat(1001) },
    /comment: Comment must be at most 1000 characters/,
  ),
  // --- decisions, cancel, revoke ---
  bob(
    'comment as a number',
    onRequest('pending', 'approve'),
    { comment: 42 },
    /Comment must be text/,
  ),
  bob(
    'status in an approve body',
    onRequest('pending', 'approve'),
    { status: 'approved' },
    /Unknown field: status/,
  ),
  bob(
    'reject without a reason',
    onRequest('pending', 'reject'),
    {},
    /Say why you reject/,
  ),
  bob(
    'oversized comment',
    onRequest('pending', 'approve'),
    { comment: 'y'.repeat(1001) },
    /at most 1000 characters/,
  ),
  bob(
    'an id that is not a UUID',
    '/requests/not-a-uuid/approve',
    {},
    /Request id must be a UUID/,
  ),
  bob(
    'SQL as the id',
    `/requests/${encodeURIComponent("1' OR '1'='1")}/approve`,
    {},
    /UUID/,
  ),
  alice(
    'a reason in a cancel body',
    onRequest('pending', 'cancel'),
    { reason: 'x' },
    /Unknown field: reason/,
  ),
  alice(
    'revoke without a reason',
    onRequest('approved', 'revoke'),
    {},
    /Say why you revoke/,
  ),
  // --- decisions and actions on a request: their bodies ---
  bob(
    'an approval for zero minutes',
    onRequest('pending', 'approve'),
    { durationMinutes: 0 },
    /^Invalid input: durationMinutes: Duration must be at least 1 minute$/,
  ),
  bob(
    'a rejection comment as a number',
    onRequest('pending', 'reject'),
    { comment: 42 },
    /^Invalid input: comment: Comment must be text$/,
  ),
  alice(
    'an extension in words',
    onRequest('approved', 'extend'),
    { durationMinutes: 'an hour', justification: 'More time' },
    /durationMinutes: /,
  ),
  bob(
    'an extension approval with a control character',
    onRequest('approved', 'extension/approve'),
    { comment: 'fine\u0007' },
    /^Invalid input: comment: Comment contains control characters$/,
  ),
  bob(
    'an extension rejection with an unknown field',
    onRequest('approved', 'extension/reject'),
    { reason: 'no' },
    /Unknown field: reason/,
  ),
  bob(
    'a review outcome that is not one of the two',
    onRequest('approved', 'review'),
    { outcome: 'fine' },
    /outcome: Outcome must be appropriate or inappropriate/,
  ),
  alice(
    'a cancellation with a body',
    onRequest('pending', 'cancel'),
    { comment: 'never mind' },
    /Unknown field: comment/,
  ),
  dave(
    'a revocation comment over 1000 characters',
    onRequest('approved', 'revoke'),
    { comment: 'x'.repeat(1001) },
    /^Invalid input: comment: Comment must be at most 1000 characters$/,
  ),
  dave(
    'a retry with a body',
    onRequest('approved', 'retry'),
    { force: true },
    /Unknown field: force/,
  ),
];
