/**
 * Every status an access request can have.
 *
 * - `pending`: waiting for approval
 * - `approved`: approved (or approval not needed), waiting for its start time
 * - `rejected`, `cancelled`, `expired` (no decision in time): ended before access
 * - `granting`: the assignment is being created
 * - `active`: the assignment exists
 * - `revoking`: the assignment is being removed
 * - `ended` (duration elapsed), `revoked` (ended early by a person)
 * - `error`: provisioning failed; the reason is stored and shown
 *
 * @public
 */
export const REQUEST_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'cancelled',
  'expired',
  'granting',
  'active',
  'revoking',
  'ended',
  'revoked',
  'error',
] as const;

/**
 * The status of an access request.
 *
 * @public
 */
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/**
 * Tells whether a string is a request status.
 *
 * @public
 */
export function isRequestStatus(value: unknown): value is RequestStatus {
  return (
    typeof value === 'string' &&
    (REQUEST_STATUSES as readonly string[]).includes(value)
  );
}
