import { ACCOUNT, PS } from '../fixtures';
import { BadInput, days, sends, valid } from './harness';

const bob = sends('bob');
/** alice's POST /requests with this body, refused. */
const create = (
  name: string,
  body: unknown,
  message: RegExp,
  status?: BadInput['status'],
) => sends('alice')(name, '/requests', body, message, status);

/** Bodies of POST /requests refused for their shape or for eligibility. */
export const REQUEST_CASES: BadInput[] = [
  // --- POST /requests: shape ---
  create('empty body', {}, /accountId: Account id must be text/),
  create(
    'account id as a number',
    { ...valid, accountId: 111111111111 },
    /Account id must be text/,
  ),
  create(
    'short account id',
    { ...valid, accountId: '1234' },
    /Account id must be 12 digits/,
  ),
  create(
    'SQL in the account id',
    { ...valid, accountId: "111111111111' OR '1'='1" },
    /12 digits/,
  ),
  create(
    'permission set name instead of ARN',
    { ...valid, permissionSetArn: 'PowerUserAccess' },
    /permission set ARN/,
  ),
  create(
    'HTML in the permission set',
    { ...valid, permissionSetArn: '<script>alert(1)</script>' },
    /permission set ARN/,
  ),
  create(
    'zero duration',
    { ...valid, durationMinutes: 0 },
    /Duration must be at least 1 minute/,
  ),
  create(
    'negative duration',
    { ...valid, durationMinutes: -30 },
    /at least 1 minute/,
  ),
  create(
    'fractional duration',
    { ...valid, durationMinutes: 1.5 },
    /whole minutes/,
  ),
  create(
    'duration as a string',
    { ...valid, durationMinutes: '60' },
    /Duration must be a number of minutes/,
  ),
  create(
    'duration over the policy cap',
    { ...valid, durationMinutes: 241 },
    /at most 4 h/,
  ),
  create(
    'duration over the absolute cap',
    { ...valid, durationMinutes: 100_000 },
    /at most 10,080 minutes/,
  ),
  create(
    'missing justification',
    { ...valid, justification: undefined },
    /Justification must be text/,
  ),
  create(
    'short justification',
    { ...valid, justification: 'because' },
    /at least 10 characters/,
  ),
  create(
    'blank justification',
    { ...valid, justification: '             ' },
    /at least 10 characters/,
  ),
  // refused with its length, never cut
  create(
    'oversized justification',
    { ...valid, justification: 'x'.repeat(2940) },
    /Justification is 2,940 characters; the limit is 2,000/,
  ),
  create(
    'control characters in justification',
    { ...valid, justification: 'fix the thing\u0000\u001b[31m' },
    /control characters/,
  ),
  create(
    'SQL in the ticket',
    { ...valid, ticketId: "OPS-1'; DROP TABLE requests;--" },
    /Ticket may contain letters, digits/,
  ),
  create(
    'HTML in the ticket',
    { ...valid, ticketId: '<b>OPS-1</b>' },
    /Ticket may contain/,
  ),
  create(
    'oversized ticket',
    { ...valid, ticketId: 'A'.repeat(65) },
    /at most 64 characters/,
  ),
  create(
    'missing ticket where one is required',
    { ...valid, ticketId: undefined },
    /ticket is required/,
  ),
  create(
    'start time in the past',
    { ...valid, startTime: '2020-01-01T00:00:00Z' },
    /Start time is in the past/,
  ),
  create(
    'start time far in the future',
    { ...valid, startTime: days(90) },
    /within the next 30 days/,
  ),
  create(
    'start time without a zone',
    { ...valid, startTime: '2027-01-01T10:00:00' },
    /with a time zone/,
  ),
  create(
    'start time in words',
    { ...valid, startTime: 'tomorrow' },
    /ISO 8601/,
  ),
  create(
    'status in a create body',
    { ...valid, status: 'approved' },
    /Unknown field: status/,
  ),
  create(
    'approvers in a create body',
    { ...valid, approvers: ['user:default/alice'] },
    /Unknown field: approvers/,
  ),
  create(
    'break-glass as text',
    { ...valid, breakGlass: 'yes' },
    /^Invalid input: breakGlass: Break-glass must be true or false$/,
  ),
  create(
    'break-glass where no policy allows it',
    { ...valid, breakGlass: true },
    /^Invalid input: breakGlass: No policy allows break-glass for PowerUserAccess on payments-prod\. Request it with approval instead$/,
  ),
  create(
    'requester in a create body',
    { ...valid, requesterRef: 'user:default/bob' },
    /Unknown field: requesterRef/,
  ),
  create('a list instead of an object', [valid], /Invalid input/),
  // --- POST /requests: eligibility ---
  create(
    'a permission set nobody made eligible',
    { ...valid, permissionSetArn: PS.AdministratorAccess },
    /not eligible to request AdministratorAccess on payments-prod/,
    403,
  ),
  create(
    'an account outside the policies',
    { ...valid, accountId: ACCOUNT.audit },
    /not eligible to request PowerUserAccess on audit/,
    403,
  ),
  create(
    'the management account',
    { ...valid, accountId: ACCOUNT.management },
    /not eligible/,
    403,
  ),
  create(
    'an account that does not exist',
    { ...valid, accountId: '000000000000' },
    /account 000000000000/,
    403,
  ),
  bob('a user no policy names', '/requests', valid, /not eligible/, 403),
];
