import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  AuditEvent,
  RequestDecision,
  RequestReview,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { ElevatedAccessRequestQuery } from '@elevated-access/backstage-plugin-elevated-access-node';
import { Knex } from 'knex';
import { ApproverScope } from './permissionFilter';
import { DatabaseRequestStore } from './requests/DatabaseRequestStore';
import {
  ActivityProgress,
  Lease,
  NewRequest,
  RequestFilter,
  RequestListFilter,
  StoredRequest,
  SystemChange,
  Transition,
  Vote,
} from './requests/types';

export type {
  ActivityProgress,
  Lease,
  NewRequest,
  RequestFilter,
  RequestListFilter,
  ReviewFilter,
  StoredRequest,
  SystemChange,
  Transition,
  Vote,
} from './requests/types';
export { toResource } from './requests/types';
export { alreadyReviewed } from './requests/RequestDecisions';
export { DatabaseRequestStore };

/**
 * Requests, their approver snapshots, votes, events and the leases of the
 * work done on them. Every change that touches more than one row runs in one
 * transaction, and every status change is a guarded update
 * (`WHERE status = <expected>`), so concurrent actors and backend replicas
 * cannot both win. Its methods say what happens; callers never build rows.
 */
export interface RequestStore {
  // --- one request (requests/RequestRecords) ---

  /**
   * Stores a new request. With `exclusiveWindow`, refuses it (409, naming the
   * other request) when the same user has a live request for the same pair
   * whose window overlaps; the check and the insert are one transaction,
   * serialised per user and pair, so two concurrent requests cannot both pass.
   */
  create(
    input: NewRequest,
    options?: { exclusiveWindow?: boolean },
  ): Promise<StoredRequest>;
  get(id: string): Promise<StoredRequest | undefined>;
  getMany(ids: string[]): Promise<StoredRequest[]>;
  events(requestId: string): Promise<AuditEvent[]>;
  /** Records an event that changes no status (e.g. a drift repair). */
  note(
    id: string,
    action: string,
    actorRef: string,
    message: string,
    now: Date,
  ): Promise<void>;
  /** How the last failure happened: grant or revoke (for an admin retry). */
  lastErrorAction(id: string): Promise<string | undefined>;
  /** Requests of the plugin that hold (or are getting) this assignment, except one. */
  holders(
    triple: {
      principalId: string;
      accountId: string;
      permissionSetArn: string;
    },
    exceptId: string,
    statuses?: readonly RequestStatus[],
  ): Promise<Array<{ id: string; status: RequestStatus; endTime: string }>>;

  /**
   * Moves a request into a final status without (further) access: cancelled,
   * rejected, expired, or ended before a grant; records when it closed.
   * Like every change below, it happens only if the request is still in
   * `from`, and throws ConflictError when someone else changed it first.
   */
  close(change: Transition): Promise<StoredRequest>;
  /** Like close, but returns false instead of throwing when it lost a race. */
  tryClose(change: Transition): Promise<boolean>;
  /**
   * A person revokes: records who (the actor) and why. Into `revoked`, the
   * request closes (nothing was granted); into `revoking`, its revocation is
   * due at once, whoever held its lease.
   */
  revoke(change: Transition & { comment?: string }): Promise<StoredRequest>;
  /**
   * An admin retries a failed grant or revocation: the error is cleared and
   * the attempts reset, due at once for whichever replica runs next.
   */
  retryFailed(change: Transition): Promise<StoredRequest>;

  // --- lists and counts (requests/RequestQueries) ---

  /** Newest first, keyset-paginated on (created_at, id). */
  list(
    filter: RequestListFilter,
  ): Promise<{ items: StoredRequest[]; nextCursor?: string }>;
  /**
   * The ids of the requests a list with these filters holds (every page), as
   * a subquery: an activity export selects the sessions of a list with it.
   * Undefined when nothing can match.
   */
  idsMatching(filter: RequestFilter): Knex.QueryBuilder | undefined;
  /** How many requests a filter holds (the reviewer's badge). */
  count(filter: RequestFilter): Promise<number>;
  /**
   * Pending requests these refs approve, not made by the caller, on which the
   * caller has not voted yet (the approver inbox badge).
   */
  countPendingFor(
    approverRefs: string[],
    callerRef: string,
    permission?: PermissionCriteria<ElevatedAccessRequestQuery>,
    scope?: ApproverScope,
  ): Promise<number>;
  /**
   * Access held on these accounts now or later: active, being granted, or
   * approved to start, not yet ended; soonest end first.
   */
  grantsOn(
    accountIds: string[],
    now: Date,
    limit: number,
  ): Promise<StoredRequest[]>;
  /** Active requests, in pages (for the reconciler). */
  active(afterId: string | undefined, limit: number): Promise<StoredRequest[]>;

  // --- votes and reviews (requests/RequestDecisions) ---

  decisions(requestIds: string[]): Promise<Map<string, RequestDecision[]>>;
  /**
   * Records one approver's vote. A rejection ends the request; approvals move
   * it to `approved` once `min_approvals` is reached, all in one transaction.
   */
  recordDecision(input: Vote): Promise<StoredRequest>;
  /**
   * Records the review of a break-glass request and its event, if nobody
   * reviewed it first (409 naming the review that won otherwise).
   */
  recordReview(input: {
    id: string;
    reviewerRef: string;
    outcome: RequestReview['outcome'];
    comment?: string;
    now: Date;
  }): Promise<StoredRequest>;

  // --- deadlines and reminders (requests/RequestReminders) ---

  /** Pending requests whose deadline has passed. */
  dueForExpiry(now: Date, limit: number): Promise<StoredRequest[]>;
  /** Pending requests that expire within `withinMs` and got no reminder yet. */
  dueForReminder(
    now: Date,
    withinMs: number,
    limit: number,
  ): Promise<StoredRequest[]>;
  /** Marks the reminder sent; false when another replica already did. */
  markReminderSent(id: string, now: Date): Promise<boolean>;
  /**
   * Break-glass awaiting review whose activity is complete and whose last
   * reminder (if any) is at least `everyMs` old.
   */
  dueForReviewReminder(
    now: Date,
    everyMs: number,
    limit: number,
  ): Promise<StoredRequest[]>;
  /**
   * Claims today's review reminder of a request: false when another replica
   * (or an earlier run) reminded within `everyMs`, or it was reviewed.
   */
  claimReviewReminder(id: string, now: Date, everyMs: number): Promise<boolean>;

  // --- grants and revocations as work (requests/RequestWorkQueue) ---

  /** Approved requests whose start has come (and that nobody is working on). */
  dueToGrant(now: Date, limit: number): Promise<StoredRequest[]>;
  /** Approved requests whose whole window passed without a grant. */
  windowElapsed(now: Date, limit: number): Promise<StoredRequest[]>;
  /** Active requests whose end has come. */
  dueToEnd(now: Date, limit: number): Promise<StoredRequest[]>;
  /**
   * When the next grant or revocation is due (undefined: none is): the
   * earliest start of an approved request, the earliest end of an active
   * one, and retries of grants and revocations nobody holds (due at their
   * retry time, or now without one).
   */
  nextProvisioningDue(now: Date): Promise<Date | undefined>;
  /**
   * Rows in `status` that nobody holds a live lease on and that are due for
   * (another) attempt: work a crashed or slow replica left behind included.
   */
  unclaimed(
    status: 'granting' | 'revoking',
    now: Date,
    limit: number,
  ): Promise<StoredRequest[]>;
  /**
   * Takes the lease on a row in `status`, if nobody holds a live one. Only
   * one replica gets it; it lasts until `until` unless released.
   */
  claim(
    id: string,
    status: RequestStatus,
    owner: string,
    now: Date,
    until: Date,
  ): Promise<boolean>;
  /**
   * Moves a due request into its working status (`granting`, `revoking`)
   * holding the lease: the transition is the claim, so one replica wins.
   */
  claimByTransition(change: Transition, lease: Lease): Promise<boolean>;
  /** Extends a lease this replica holds; false when it was lost. */
  heartbeat(id: string, owner: string, until: Date): Promise<boolean>;
  /** Keeps the requester's principal on a grant this replica holds; false if it lost the lease. */
  recordPrincipal(
    id: string,
    owner: string,
    principal: { principalId: string; userName: string },
  ): Promise<boolean>;
  /**
   * The target confirmed the grant: `granting` → `active`, granted now and
   * ending at `endTime`; attempts reset and the lease given back.
   */
  markGranted(change: SystemChange & { endTime: Date }): Promise<boolean>;
  /** The grant failed for good: `granting` → `error`, the reason kept. */
  markGrantFailed(
    change: Omit<SystemChange, 'message'> & { reason: string },
  ): Promise<boolean>;
  /**
   * The window ended before the grant completed: `granting` → `revoking`
   * (whatever was made is removed), due at once, the lease given back.
   */
  abandonGrant(change: SystemChange): Promise<boolean>;
  /**
   * The revocation is done (removed, or kept for another holder):
   * `revoking` → `ended` or `revoked`, the error cleared, attempts reset and
   * the lease given back.
   */
  markRevocationComplete(
    change: SystemChange & { to: 'ended' | 'revoked' },
  ): Promise<boolean>;
  /** Records that admins were alerted about a stuck revocation; false if already. */
  markRevokeAlerted(id: string, now: Date): Promise<boolean>;
  /** Lets go of a lease; the row stays due when it was. */
  release(id: string, owner: string): Promise<void>;
  /** Lets go of a lease (e.g. shutting down), due at once for the next replica. */
  releaseDueNow(id: string, owner: string): Promise<void>;
  /**
   * Lets go of a lease with the next attempt at `nextAttemptAt`, counting
   * `attempts` and keeping the `error` shown on the request when given.
   */
  releaseForRetry(
    id: string,
    owner: string,
    retry: { nextAttemptAt: Date; attempts?: number; error?: string },
  ): Promise<void>;
  /**
   * Gives back every lease this replica holds (graceful shutdown), due at
   * once for whichever replica runs next.
   */
  releaseAllOf(owner: string): Promise<void>;

  // --- activity collection as work (requests/ActivityLeases) ---

  /** Sessions whose activity is still being collected, not held by another collector. */
  activityDue(now: Date, limit: number): Promise<StoredRequest[]>;
  /**
   * The granted sessions of one Identity Center user in one account and
   * permission set whose access overlaps [from, to): the sessions an event
   * seen in that window can belong to.
   */
  sessionsOverlapping(options: {
    accountId: string;
    permissionSetArn: string;
    principalName: string;
    from: Date;
    to: Date;
  }): Promise<Array<{ requestId: string; grantedAt: string; endsAt: string }>>;
  claimActivity(
    id: string,
    owner: string,
    now: Date,
    until: Date,
  ): Promise<boolean>;
  /** Extends an activity lease this replica holds; false when it was lost. */
  heartbeatActivity(id: string, owner: string, until: Date): Promise<boolean>;
  /** Gives the activity lease back with the progress made. */
  releaseActivity(
    id: string,
    owner: string,
    progress: ActivityProgress,
  ): Promise<void>;
}
