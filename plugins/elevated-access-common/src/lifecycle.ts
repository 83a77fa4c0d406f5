import { RequestStatus } from './status';

/**
 * Who may cause a transition. `system` is the plugin's own scheduled work.
 *
 * @public
 */
export type TransitionActor = 'requester' | 'approver' | 'admin' | 'system';

/**
 * What happened to a request.
 *
 * @public
 */
export type LifecycleAction =
  | 'create'
  | 'approve'
  | 'reject'
  | 'cancel'
  | 'expire'
  | 'start-grant'
  | 'grant-succeeded'
  | 'grant-failed'
  | 'revoke'
  | 'end'
  | 'revoke-succeeded'
  | 'revoke-failed'
  | 'retry-grant'
  | 'retry-revoke'
  | 'window-elapsed'
  | 'ineligible';

/**
 * One legal transition of a request.
 *
 * @public
 */
export interface LifecycleTransition {
  from: RequestStatus | null;
  to: RequestStatus;
  action: LifecycleAction;
  actors: readonly TransitionActor[];
}

/** Who may end a request early (revoke it), from any status that allows it. */
const MAY_END_EARLY: readonly TransitionActor[] = [
  'requester',
  'approver',
  'admin',
];

/**
 * Every legal status change. The server guards every transition with this
 * table and writes each one as an event; nothing else changes a status.
 *
 * @public
 */
export const LIFECYCLE_TRANSITIONS: readonly LifecycleTransition[] = [
  // creation: approval needed, or approved at once (no approval needed)
  { from: null, to: 'pending', action: 'create', actors: ['requester'] },
  { from: null, to: 'approved', action: 'create', actors: ['requester'] },
  // decisions on a pending request
  { from: 'pending', to: 'approved', action: 'approve', actors: ['approver'] },
  { from: 'pending', to: 'rejected', action: 'reject', actors: ['approver'] },
  { from: 'pending', to: 'cancelled', action: 'cancel', actors: ['requester'] },
  { from: 'pending', to: 'expired', action: 'expire', actors: ['system'] },
  // approved, waiting for the start time
  {
    from: 'approved',
    to: 'cancelled',
    action: 'cancel',
    actors: ['requester'],
  },
  {
    from: 'approved',
    to: 'revoked',
    action: 'revoke',
    actors: MAY_END_EARLY,
  },
  {
    from: 'approved',
    to: 'granting',
    action: 'start-grant',
    actors: ['system'],
  },
  // the requester is no longer eligible under the request's terms (re-checked
  // when it is decided and when it is granted)
  {
    from: 'pending',
    to: 'rejected',
    action: 'ineligible',
    actors: ['system'],
  },
  { from: 'approved', to: 'ended', action: 'ineligible', actors: ['system'] },
  // nothing was granted before the window closed (e.g. the backend was down)
  {
    from: 'approved',
    to: 'ended',
    action: 'window-elapsed',
    actors: ['system'],
  },
  // provisioning
  {
    from: 'granting',
    to: 'active',
    action: 'grant-succeeded',
    actors: ['system'],
  },
  { from: 'granting', to: 'error', action: 'grant-failed', actors: ['system'] },
  {
    from: 'granting',
    to: 'revoking',
    action: 'revoke',
    actors: MAY_END_EARLY,
  },
  { from: 'active', to: 'revoking', action: 'end', actors: ['system'] },
  // the window closed before a grant completed: remove whatever was made
  { from: 'granting', to: 'revoking', action: 'end', actors: ['system'] },
  {
    from: 'active',
    to: 'revoking',
    action: 'revoke',
    actors: MAY_END_EARLY,
  },
  {
    from: 'revoking',
    to: 'ended',
    action: 'revoke-succeeded',
    actors: ['system'],
  },
  {
    from: 'revoking',
    to: 'revoked',
    action: 'revoke-succeeded',
    actors: ['system'],
  },
  {
    from: 'revoking',
    to: 'error',
    action: 'revoke-failed',
    actors: ['system'],
  },
  // an admin retries a failed grant or revocation
  { from: 'error', to: 'granting', action: 'retry-grant', actors: ['admin'] },
  { from: 'error', to: 'revoking', action: 'retry-revoke', actors: ['admin'] },
  {
    from: 'error',
    to: 'revoking',
    action: 'revoke',
    actors: MAY_END_EARLY,
  },
];

/**
 * Statuses after which nothing more happens to a request.
 *
 * @public
 */
export const FINAL_STATUSES: readonly RequestStatus[] = [
  'rejected',
  'cancelled',
  'expired',
  'ended',
  'revoked',
];

/**
 * Statuses of a request whose window still counts: it holds access or may
 * still get it. Two of one user's live requests for one pair may not overlap.
 *
 * @public
 */
export const LIVE_STATUSES: readonly RequestStatus[] = [
  'pending',
  'approved',
  'granting',
  'active',
];

/**
 * Statuses in which the plugin may hold an assignment in the target
 * (`revoking` included: the assignment stays until the removal is done). An
 * assignment no request in these statuses covers is an orphan.
 *
 * @public
 */
export const PROVISIONED_STATUSES: readonly RequestStatus[] = [
  'granting',
  'active',
  'revoking',
];

/**
 * Statuses of a request that has its assignment, or is getting it, and
 * keeps it: another request's revocation of the same assignment leaves it in
 * place while one of these holds it. `PROVISIONED_STATUSES` without
 * `revoking`.
 *
 * @public
 */
export const HOLDING_STATUSES: readonly RequestStatus[] = [
  'granting',
  'active',
];

/**
 * Finds the transition for an action from a status, if it is legal.
 *
 * @public
 */
export function findTransition(
  from: RequestStatus | null,
  action: LifecycleAction,
  to?: RequestStatus,
): LifecycleTransition | undefined {
  return LIFECYCLE_TRANSITIONS.find(
    t =>
      t.from === from &&
      t.action === action &&
      (to === undefined || t.to === to),
  );
}

/**
 * Whether a status change is in the transition table.
 *
 * @public
 */
export function isLegalTransition(
  from: RequestStatus | null,
  to: RequestStatus,
): boolean {
  return LIFECYCLE_TRANSITIONS.some(t => t.from === from && t.to === to);
}

/**
 * The statuses from which an action is legal.
 *
 * @public
 */
export function statusesAllowing(action: LifecycleAction): RequestStatus[] {
  return [
    ...new Set(
      LIFECYCLE_TRANSITIONS.filter(t => t.action === action && t.from).map(
        t => t.from as RequestStatus,
      ),
    ),
  ];
}
