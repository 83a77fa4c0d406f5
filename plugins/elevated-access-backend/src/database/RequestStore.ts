import { isDatabaseConflictError } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  AccessRequest,
  AuditEvent,
  FINAL_STATUSES,
  findTransition,
  HOLDING_STATUSES,
  LifecycleAction,
  LIVE_STATUSES,
  RequestDecision,
  RequestReview,
  RequestStatus,
  shortEntityRef,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  ElevatedAccessRequestQuery,
  ElevatedAccessRequestResource,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { tallyVote } from '../domain/voteTally';
import { EventLog } from './EventLog';
import {
  applyRequestPermissionFilter,
  ApproverScope,
  decidedBy,
  whereApprover,
} from './permissionFilter';
import { simplifyCriteria } from './simplifyCriteria';
import {
  DbTime,
  pageNewestFirst,
  parseJson,
  toBool,
  toDate,
  toIso,
  usesPostgres,
} from './util';

/**
 * A request as stored: the API's request without what the service adds per
 * caller (capabilities, the ticket link), plus what only the backend keeps.
 */
export interface StoredRequest
  extends Omit<AccessRequest, 'capabilities' | 'ticketUrl'> {
  policyIds: string[];
  reminderSentAt?: string;
  principalId?: string;
  principalName?: string;
  attempts: number;
  nextAttemptAt?: string;
  activityCollectedUntil?: string;
  /** When approvers and auditors were last reminded to review it. */
  reviewRemindedAt?: string;
  version: number;
}

export interface NewRequest {
  requesterRef: string;
  accountId: string;
  accountName: string;
  permissionSetArn: string;
  permissionSetName: string;
  status: 'pending' | 'approved';
  startTime: Date;
  endTime: Date;
  durationMinutes: number;
  justification: string;
  ticketId?: string;
  approvalRequired: boolean;
  minApprovals: number;
  approverRefs: string[];
  policyIds: string[];
  expiresAt?: Date;
  createdAt: Date;
  /** Break-glass: approved at once under this policy, reviewed afterwards. */
  breakGlass?: { policyName: string };
  /** The account was marked sensitive in the catalog. */
  sensitive?: boolean;
}

/** `review=` filter values: awaiting review, or reviewed with that outcome. */
export type ReviewFilter = 'awaiting' | RequestReview['outcome'];

export interface RequestListFilter {
  requesterRefs?: string[];
  /** Requests whose approver snapshot holds one of these refs. */
  approverRefs?: string[];
  excludeRequesterRef?: string;
  statuses?: RequestStatus[];
  accountId?: string;
  createdFrom?: Date;
  createdTo?: Date;
  /** Grants known used (true) or unused (false) from their activity. */
  used?: boolean;
  /** Break-glass requests only (true), or none (false). */
  breakGlass?: boolean;
  /** Break-glass awaiting review (access happened, no review), or reviewed so. */
  review?: ReviewFilter;
  /**
   * Break-glass that can be reviewed now: access over, activity complete,
   * not reviewed (the reviewer's badge).
   */
  reviewableNow?: boolean;
  /** A conditional permission decision, applied as SQL. */
  permission?: PermissionCriteria<ElevatedAccessRequestQuery>;
  /** Limits approver access to where the caller approves today. */
  approverScope?: ApproverScope;
  /**
   * An approver's history: the requests `callerRef` decided, and the final
   * requests that `approverRefs` approve (within `approverScope`).
   */
  approverHistory?: { callerRef: string; approverRefs: string[] };
  cursor?: string;
  limit: number;
}

/** A request list's filters without its paging (exports use every row). */
export type RequestFilter = Omit<RequestListFilter, 'cursor' | 'limit'>;

/** Columns a transition may set besides the status. */
export interface RequestPatch {
  approvals?: number;
  principal_id?: string | null;
  principal_name?: string | null;
  granted_at?: Date | null;
  end_time?: Date;
  ended_at?: Date | null;
  revoked_by?: string | null;
  revoke_comment?: string | null;
  error_reason?: string | null;
  attempts?: number;
  next_attempt_at?: Date | null;
  claimed_by?: string | null;
  claimed_until?: Date | null;
  expires_at?: Date | null;
  activity_complete?: boolean;
  activity_collected_until?: Date | null;
  activity_claimed_by?: string | null;
  activity_claimed_until?: Date | null;
  revoke_alerted_at?: Date | null;
  approved_duration_minutes?: number | null;
}

export interface TransitionInput {
  id: string;
  from: RequestStatus;
  to: RequestStatus;
  action: LifecycleAction;
  actorRef: string;
  now: Date;
  message?: string;
  patch?: RequestPatch;
}

interface RequestRow {
  id: string;
  requester_ref: string;
  account_id: string;
  account_name: string;
  permission_set_arn: string;
  permission_set_name: string;
  status: RequestStatus;
  start_time: DbTime;
  end_time: DbTime;
  duration_minutes: number;
  approved_duration_minutes: number | null;
  pending_extension_id: string | null;
  justification: string;
  ticket_id: string | null;
  approval_required: boolean | number;
  min_approvals: number;
  approvals: number;
  policy_ids: string;
  expires_at: DbTime | null;
  reminder_sent_at: DbTime | null;
  principal_id: string | null;
  principal_name: string | null;
  granted_at: DbTime | null;
  ended_at: DbTime | null;
  revoked_by: string | null;
  revoke_comment: string | null;
  error_reason: string | null;
  attempts: number;
  next_attempt_at: DbTime | null;
  activity_complete: boolean | number;
  activity_collected_until: DbTime | null;
  used: boolean | number | null;
  break_glass?: boolean | number;
  sensitive?: boolean | number;
  review_outcome?: RequestReview['outcome'] | null;
  reviewer_ref?: string | null;
  review_comment?: string | null;
  reviewed_at?: DbTime | null;
  review_reminded_at?: DbTime | null;
  version: number;
  created_at: DbTime;
  updated_at: DbTime;
}

function toStored(row: RequestRow, approverRefs: string[]): StoredRequest {
  const breakGlass = toBool(row.break_glass ?? false);
  const review: RequestReview | undefined =
    row.review_outcome && row.reviewer_ref
      ? {
          reviewerRef: row.reviewer_ref,
          outcome: row.review_outcome,
          comment: row.review_comment ?? undefined,
          createdAt: toIso(row.reviewed_at ?? null) ?? '',
        }
      : undefined;
  return {
    id: row.id,
    requesterRef: row.requester_ref,
    accountId: row.account_id,
    accountName: row.account_name,
    permissionSetArn: row.permission_set_arn,
    permissionSetName: row.permission_set_name,
    status: row.status,
    startTime: toIso(row.start_time),
    endTime: toIso(row.end_time),
    durationMinutes: row.duration_minutes,
    approvedDurationMinutes: row.approved_duration_minutes ?? undefined,
    pendingExtensionId: row.pending_extension_id ?? undefined,
    justification: row.justification,
    ticketId: row.ticket_id ?? undefined,
    approvalRequired: toBool(row.approval_required),
    minApprovals: row.min_approvals,
    approvals: row.approvals,
    approverRefs,
    policyIds: parseJson(row.policy_ids, []),
    expiresAt: toIso(row.expires_at),
    reminderSentAt: toIso(row.reminder_sent_at),
    principalId: row.principal_id ?? undefined,
    principalName: row.principal_name ?? undefined,
    grantedAt: toIso(row.granted_at),
    endedAt: toIso(row.ended_at),
    revokedBy: row.revoked_by ?? undefined,
    revokeComment: row.revoke_comment ?? undefined,
    errorReason: row.error_reason ?? undefined,
    attempts: row.attempts,
    nextAttemptAt: toIso(row.next_attempt_at),
    activityComplete: toBool(row.activity_complete),
    activityCollectedUntil: toIso(row.activity_collected_until),
    used:
      row.used === null || row.used === undefined
        ? undefined
        : toBool(row.used),
    breakGlass,
    ...(toBool(row.sensitive ?? false) && { sensitive: true }),
    awaitingReview: breakGlass && Boolean(row.granted_at) && !review,
    review,
    reviewRemindedAt: toIso(row.review_reminded_at ?? null),
    version: row.version,
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

/** Statuses in which a break-glass request's access is over (see accessOver). */
const REVIEWABLE_STATUSES: RequestStatus[] = ['ended', 'revoked'];

/** Break-glass whose access happened and that nobody reviewed yet. */
function whereAwaitingReview(query: Knex.QueryBuilder) {
  return query
    .where('requests.break_glass', true)
    .whereNotNull('requests.granted_at')
    .whereNull('requests.review_outcome');
}

/** The creation event's message: how the request starts out. */
function creationMessage(input: NewRequest): string {
  if (input.breakGlass) {
    return `Break-glass: approved at once under policy ${input.breakGlass.policyName}, review needed`;
  }
  if (input.status === 'approved') return 'Requested; no approval needed';
  return `Requested; waiting for ${input.minApprovals} approval${
    input.minApprovals > 1 ? 's' : ''
  }`;
}

/** The 409 for a second review: who reviewed it, and how. */
export function alreadyReviewed(r: Pick<StoredRequest, 'review'>): string {
  return r.review
    ? `Already reviewed by ${shortEntityRef(r.review.reviewerRef)}: ${
        r.review.outcome
      }`
    : 'It changed meanwhile, reload it';
}

/** What permission rules see of a stored request. */
export function toResource(r: StoredRequest): ElevatedAccessRequestResource {
  return {
    id: r.id,
    requesterRef: r.requesterRef,
    accountId: r.accountId,
    permissionSetArn: r.permissionSetArn,
    status: r.status,
    approverRefs: r.approverRefs,
  };
}

/**
 * Requests, their approver snapshots, votes and events. Every change that
 * touches more than one row runs in one transaction, and every status change
 * is a guarded update (`WHERE status = <expected>`), so concurrent actors and
 * backend replicas cannot both win.
 */
export class RequestStore {
  constructor(private readonly knex: Knex) {}

  /**
   * Stores a new request. With `exclusiveWindow`, refuses it (409, naming the
   * other request) when the same user has a live request for the same pair
   * whose window overlaps; the check and the insert are one transaction,
   * serialised per user and pair, so two concurrent requests cannot both pass.
   */
  async create(
    input: NewRequest,
    options: { exclusiveWindow?: boolean } = {},
  ): Promise<StoredRequest> {
    if (!findTransition(null, 'create', input.status)) {
      throw new Error(`A request cannot be created as ${input.status}`);
    }
    const id = randomUUID();
    await this.knex.transaction(async trx => {
      if (options.exclusiveWindow) {
        await this.refuseOverlap(trx, input);
      }
      await trx('requests').insert({
        id,
        requester_ref: input.requesterRef,
        account_id: input.accountId,
        account_name: input.accountName,
        permission_set_arn: input.permissionSetArn,
        permission_set_name: input.permissionSetName,
        status: input.status,
        start_time: input.startTime,
        end_time: input.endTime,
        duration_minutes: input.durationMinutes,
        justification: input.justification,
        ticket_id: input.ticketId ?? null,
        approval_required: input.approvalRequired,
        min_approvals: input.minApprovals,
        approvals: 0,
        policy_ids: JSON.stringify(input.policyIds),
        expires_at: input.expiresAt ?? null,
        break_glass: Boolean(input.breakGlass),
        sensitive: Boolean(input.sensitive),
        version: 1,
        created_at: input.createdAt,
        updated_at: input.createdAt,
      });
      const refs = [...new Set(input.approverRefs)];
      if (refs.length) {
        await trx('request_approvers').insert(
          refs.map(ref => ({ request_id: id, approver_ref: ref })),
        );
      }
      await EventLog.append(trx, {
        entityType: 'request',
        entityId: id,
        action: 'create',
        actorRef: input.requesterRef,
        fromStatus: null,
        toStatus: input.status,
        message: creationMessage(input),
        createdAt: input.createdAt,
      });
    });
    return (await this.get(id))!;
  }

  private async refuseOverlap(trx: Knex.Transaction, input: NewRequest) {
    if (usesPostgres(this.knex)) {
      // one creator at a time per user and pair (released at commit)
      await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [
        `${input.requesterRef}|${input.accountId}|${input.permissionSetArn}`,
      ]);
    }
    const other = await trx('requests')
      .where({
        requester_ref: input.requesterRef,
        account_id: input.accountId,
        permission_set_arn: input.permissionSetArn,
      })
      .whereIn('status', [...LIVE_STATUSES])
      .where('start_time', '<', input.endTime)
      .where('end_time', '>', input.startTime)
      .orderBy('start_time')
      .first('id', 'status', 'start_time', 'end_time');
    if (other) {
      throw new ConflictError(
        `You already have a ${other.status} request (${other.id}) for ${
          input.permissionSetName
        } on ${input.accountName} from ${toIso(
          other.start_time as DbTime,
        )} to ${toIso(
          other.end_time as DbTime,
        )}; choose a window that starts after it ends, or cancel it first`,
      );
    }
  }

  async get(
    id: string,
    trx: Knex = this.knex,
  ): Promise<StoredRequest | undefined> {
    const row: RequestRow | undefined = await trx('requests')
      .where({ id })
      .first();
    if (!row) return undefined;
    const approvers = await trx('request_approvers')
      .where({ request_id: id })
      .orderBy('approver_ref')
      .pluck('approver_ref');
    return toStored(row, approvers);
  }

  async getMany(ids: string[]): Promise<StoredRequest[]> {
    if (!ids.length) return [];
    const rows: RequestRow[] = await this.knex('requests').whereIn('id', ids);
    return this.withApprovers(rows);
  }

  private async withApprovers(rows: RequestRow[]): Promise<StoredRequest[]> {
    if (!rows.length) return [];
    const approvers: Array<{ request_id: string; approver_ref: string }> =
      await this.knex('request_approvers')
        .whereIn(
          'request_id',
          rows.map(r => r.id),
        )
        .orderBy('approver_ref');
    const byRequest = new Map<string, string[]>();
    for (const a of approvers) {
      byRequest.set(a.request_id, [
        ...(byRequest.get(a.request_id) ?? []),
        a.approver_ref,
      ]);
    }
    return rows.map(r => toStored(r, byRequest.get(r.id) ?? []));
  }

  /** Newest first, keyset-paginated on (created_at, id). */
  async list(
    filter: RequestListFilter,
  ): Promise<{ items: StoredRequest[]; nextCursor?: string }> {
    const query = this.filtered(filter)?.select('requests.*');
    if (!query) return { items: [] };
    const { rows, nextCursor } = await pageNewestFirst<RequestRow>(query, {
      timeColumn: 'requests.created_at',
      idColumn: 'requests.id',
      idType: 'string',
      cursor: filter.cursor,
      limit: filter.limit,
      keyOf: row => ({ time: row.created_at, id: row.id }),
    });
    return { items: await this.withApprovers(rows), nextCursor };
  }

  /**
   * The ids of the requests a list with these filters holds (every page), as
   * a subquery: an activity export selects the sessions of a list with it.
   * Undefined when nothing can match.
   */
  idsMatching(filter: RequestFilter): Knex.QueryBuilder | undefined {
    return this.filtered(filter)?.select('requests.id');
  }

  /**
   * One query builder for a filtered request list, used by the paged list,
   * its CSV exports and the exports' activity alike, so they cannot differ.
   * Undefined when the permission decision matches nothing.
   */
  private filtered(filter: RequestFilter): Knex.QueryBuilder | undefined {
    const knex = this.knex;
    const query = knex<RequestRow>('requests');
    if (filter.requesterRefs) {
      query.whereIn('requests.requester_ref', filter.requesterRefs);
    }
    if (filter.approverRefs) {
      const refs = filter.approverRefs;
      query.where(q => {
        whereApprover(q, knex, refs, filter.approverScope);
      });
    }
    if (filter.approverHistory) {
      const { callerRef, approverRefs } = filter.approverHistory;
      query.where(q => {
        q.whereExists(decidedBy(knex, callerRef)).orWhere(final => {
          final.whereIn('requests.status', [...FINAL_STATUSES]).where(sub => {
            whereApprover(sub, knex, approverRefs, filter.approverScope);
          });
        });
      });
    }
    if (filter.excludeRequesterRef) {
      query.whereNot('requests.requester_ref', filter.excludeRequesterRef);
    }
    if (filter.statuses?.length) {
      query.whereIn('requests.status', filter.statuses);
    }
    if (filter.accountId) {
      query.where('requests.account_id', filter.accountId);
    }
    if (filter.createdFrom) {
      query.where('requests.created_at', '>=', filter.createdFrom);
    }
    if (filter.createdTo) {
      query.where('requests.created_at', '<', filter.createdTo);
    }
    if (filter.used !== undefined) {
      query.where('requests.used', filter.used);
    }
    if (filter.breakGlass !== undefined) {
      query.where('requests.break_glass', filter.breakGlass);
    }
    if (filter.review === 'awaiting') {
      whereAwaitingReview(query);
    } else if (filter.review) {
      query.where('requests.review_outcome', filter.review);
    }
    if (filter.reviewableNow) {
      whereAwaitingReview(query);
      query.where('requests.activity_complete', true).where(q => {
        q.whereIn('requests.status', REVIEWABLE_STATUSES).orWhere(err =>
          err
            .where('requests.status', 'error')
            .whereNotNull('requests.ended_at'),
        );
      });
    }
    const permission =
      filter.permission &&
      simplifyCriteria(filter.permission, {
        requesterRef:
          filter.requesterRefs?.length === 1
            ? filter.requesterRefs[0]
            : undefined,
        approverRefs: filter.approverRefs,
      });
    if (permission === false) {
      return undefined;
    }
    if (permission && permission !== true) {
      query.where(q => {
        applyRequestPermissionFilter(q, permission, knex, filter.approverScope);
      });
    }
    return query;
  }

  /**
   * Pending requests these refs approve, not made by the caller, on which the
   * caller has not voted yet (the approver inbox badge).
   */
  async countPendingFor(
    approverRefs: string[],
    callerRef: string,
    permission?: PermissionCriteria<ElevatedAccessRequestQuery>,
    scope?: ApproverScope,
  ): Promise<number> {
    const knex = this.knex;
    const query = knex('requests')
      .where('requests.status', 'pending')
      .whereNot('requests.requester_ref', callerRef)
      .where(q => {
        whereApprover(q, knex, approverRefs, scope);
      })
      .whereNotExists(
        knex('request_decisions')
          .select(knex.raw('1'))
          .whereRaw('request_decisions.request_id = requests.id')
          .where('request_decisions.approver_ref', callerRef),
      );
    const left = permission && simplifyCriteria(permission, { approverRefs });
    if (left === false) return 0;
    if (left && left !== true) {
      query.where(q => {
        applyRequestPermissionFilter(q, left, knex, scope);
      });
    }
    const [{ n }] = await query.count({ n: '*' });
    return Number(n);
  }

  async decisions(
    requestIds: string[],
  ): Promise<Map<string, RequestDecision[]>> {
    const out = new Map<string, RequestDecision[]>();
    if (!requestIds.length) return out;
    const rows = await this.knex('request_decisions')
      .whereIn('request_id', requestIds)
      .orderBy('created_at', 'asc');
    for (const row of rows) {
      out.set(row.request_id, [
        ...(out.get(row.request_id) ?? []),
        {
          approverRef: row.approver_ref,
          decision: row.decision,
          comment: row.comment ?? undefined,
          durationMinutes: row.duration_minutes ?? undefined,
          createdAt: toIso(row.created_at as DbTime),
        },
      ]);
    }
    return out;
  }

  async events(requestId: string): Promise<AuditEvent[]> {
    return EventLog.forEntity(this.knex, 'request', requestId);
  }

  /**
   * Records one approver's vote. A rejection ends the request; approvals move
   * it to `approved` once `min_approvals` is reached. The vote, the counter,
   * the status change and their events commit together or not at all.
   */
  async recordDecision(input: {
    requestId: string;
    approverRef: string;
    decision: 'approve' | 'reject';
    comment?: string;
    /** An approval for less time than asked. */
    durationMinutes?: number;
    now: Date;
  }): Promise<StoredRequest> {
    await this.knex.transaction(async trx => {
      const row: RequestRow | undefined = await trx('requests')
        .where({ id: input.requestId })
        .first();
      if (!row) throw new NotFoundError('Request not found');
      if (row.status !== 'pending') {
        throw new ConflictError(
          `The request is ${row.status}; only pending requests can be decided`,
        );
      }
      try {
        await trx('request_decisions').insert({
          id: randomUUID(),
          request_id: input.requestId,
          approver_ref: input.approverRef,
          decision: input.decision,
          comment: input.comment ?? null,
          duration_minutes: input.durationMinutes ?? null,
          created_at: input.now,
        });
      } catch (e) {
        if (isDatabaseConflictError(e)) {
          throw new ConflictError('You have already decided on this request');
        }
        throw e;
      }
      // the last vote's shorter durations count too (already inserted above)
      const shortenedVotes =
        input.decision === 'approve' && row.approvals + 1 >= row.min_approvals
          ? (
              await trx('request_decisions')
                .where({ request_id: input.requestId, decision: 'approve' })
                .whereNotNull('duration_minutes')
                .pluck('duration_minutes')
            ).map(Number)
          : [];
      const outcome = tallyVote({
        decision: input.decision,
        comment: input.comment,
        durationMinutes: input.durationMinutes,
        request: {
          approvals: row.approvals,
          minApprovals: row.min_approvals,
          durationMinutes: row.duration_minutes,
          startTime: new Date(toIso(row.start_time)),
        },
        shortenedVotes,
      });
      if (outcome.kind === 'rejected') {
        await this.transitionIn(trx, {
          id: input.requestId,
          from: 'pending',
          to: 'rejected',
          action: 'reject',
          actorRef: input.approverRef,
          now: input.now,
          message: outcome.message,
        });
        return;
      }
      if (outcome.kind === 'approved') {
        // the count, the status change and the approved window are one update
        await this.transitionIn(trx, {
          id: input.requestId,
          from: 'pending',
          to: 'approved',
          action: 'approve',
          actorRef: input.approverRef,
          now: input.now,
          message: outcome.message,
          patch: {
            approvals: outcome.approvals,
            ...(outcome.approvedMinutes !== undefined && {
              approved_duration_minutes: outcome.approvedMinutes,
              end_time: outcome.endTime,
            }),
          },
        });
        return;
      }
      // a guarded increment: a concurrent vote or status change makes it miss
      const updated = await trx('requests')
        .where({
          id: input.requestId,
          status: 'pending',
          approvals: row.approvals,
        })
        .update({
          approvals: outcome.approvals,
          version: row.version + 1,
          updated_at: input.now,
        });
      if (updated !== 1) {
        throw new ConflictError('The request changed meanwhile; try again');
      }
      await EventLog.append(trx, {
        entityType: 'request',
        entityId: input.requestId,
        action: 'approve-vote',
        actorRef: input.approverRef,
        message: outcome.message,
        createdAt: input.now,
      });
    });
    return (await this.get(input.requestId))!;
  }

  /**
   * Moves a request from one status to another, if it is still in `from`.
   * Throws ConflictError when someone else changed it first.
   */
  async transition(input: TransitionInput): Promise<StoredRequest> {
    await this.knex.transaction(trx => this.transitionIn(trx, input));
    return (await this.get(input.id))!;
  }

  /** Like transition, but returns false instead of throwing when it lost a race. */
  async tryTransition(input: TransitionInput): Promise<boolean> {
    try {
      await this.knex.transaction(trx => this.transitionIn(trx, input));
      return true;
    } catch (e) {
      if (e instanceof ConflictError) return false;
      throw e;
    }
  }

  private async transitionIn(trx: Knex.Transaction, input: TransitionInput) {
    if (!findTransition(input.from, input.action, input.to)) {
      throw new Error(
        `Illegal transition ${input.from} -> ${input.to} (${input.action})`,
      );
    }
    const updated = await trx('requests')
      .where({ id: input.id, status: input.from })
      .update({
        ...input.patch,
        status: input.to,
        version: trx.raw('version + 1'),
        updated_at: input.now,
      });
    if (updated !== 1) {
      const current = await trx('requests')
        .where({ id: input.id })
        .first('status');
      if (!current) throw new NotFoundError('Request not found');
      throw new ConflictError(
        `The request is ${current.status}, not ${input.from}; it changed meanwhile`,
      );
    }
    await EventLog.append(trx, {
      entityType: 'request',
      entityId: input.id,
      action: input.action,
      actorRef: input.actorRef,
      fromStatus: input.from,
      toStatus: input.to,
      message: input.message,
      createdAt: input.now,
    });
  }

  /** Pending requests whose deadline has passed. */
  async dueForExpiry(now: Date, limit: number): Promise<StoredRequest[]> {
    const rows: RequestRow[] = await this.knex('requests')
      .where('status', 'pending')
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(limit);
    return this.withApprovers(rows);
  }

  /** Pending requests that expire within `withinMs` and got no reminder yet. */
  async dueForReminder(now: Date, withinMs: number, limit: number) {
    const rows: RequestRow[] = await this.knex('requests')
      .where('status', 'pending')
      .whereNull('reminder_sent_at')
      .where('expires_at', '>', now)
      .where('expires_at', '<=', new Date(now.getTime() + withinMs))
      .orderBy('expires_at')
      .limit(limit);
    return this.withApprovers(rows);
  }

  /** Marks the reminder sent; false when another replica already did. */
  async markReminderSent(id: string, now: Date): Promise<boolean> {
    const updated = await this.knex('requests')
      .where({ id, status: 'pending' })
      .whereNull('reminder_sent_at')
      .update({ reminder_sent_at: now });
    return updated === 1;
  }

  /**
   * Records the review of a break-glass request and its event, if nobody
   * reviewed it first: the update is guarded (`review_outcome IS NULL`), so of
   * two reviewers at once exactly one wins and the other gets a 409 naming
   * the review that won.
   */
  async recordReview(input: {
    id: string;
    reviewerRef: string;
    outcome: RequestReview['outcome'];
    comment?: string;
    now: Date;
  }): Promise<StoredRequest> {
    await this.knex.transaction(async trx => {
      const updated = await trx('requests')
        .where({ id: input.id, break_glass: true })
        .whereNull('review_outcome')
        .update({
          review_outcome: input.outcome,
          reviewer_ref: input.reviewerRef,
          review_comment: input.comment ?? null,
          reviewed_at: input.now,
          version: trx.raw('version + 1'),
          updated_at: input.now,
        });
      if (updated !== 1) {
        const current = await this.get(input.id, trx);
        if (!current) throw new NotFoundError('Request not found');
        throw new ConflictError(alreadyReviewed(current));
      }
      await EventLog.append(trx, {
        entityType: 'request',
        entityId: input.id,
        action: 'review',
        actorRef: input.reviewerRef,
        message: `Reviewed as ${input.outcome}${
          input.comment ? `: ${input.comment}` : ''
        }`,
        createdAt: input.now,
      });
    });
    return (await this.get(input.id))!;
  }

  /** How many requests a filter holds (the reviewer's badge). */
  async count(filter: RequestFilter): Promise<number> {
    const query = this.filtered(filter);
    if (!query) return 0;
    const [{ n }] = await query.count({ n: '*' });
    return Number(n);
  }

  /**
   * Break-glass awaiting review whose activity is complete and whose last
   * reminder (if any) is at least `everyMs` old.
   */
  async dueForReviewReminder(
    now: Date,
    everyMs: number,
    limit: number,
  ): Promise<StoredRequest[]> {
    const query = this.knex('requests');
    whereAwaitingReview(query);
    const rows: RequestRow[] = await query
      .where('requests.activity_complete', true)
      .where(q =>
        q
          .whereNull('review_reminded_at')
          .orWhere(
            'review_reminded_at',
            '<=',
            new Date(now.getTime() - everyMs),
          ),
      )
      .orderBy('created_at')
      .limit(limit);
    return this.withApprovers(rows);
  }

  /**
   * Claims today's review reminder of a request: false when another replica
   * (or an earlier run) reminded within `everyMs`, or it was reviewed.
   */
  async claimReviewReminder(
    id: string,
    now: Date,
    everyMs: number,
  ): Promise<boolean> {
    const updated = await this.knex('requests')
      .where({ id, break_glass: true })
      .whereNull('review_outcome')
      .where(q =>
        q
          .whereNull('review_reminded_at')
          .orWhere(
            'review_reminded_at',
            '<=',
            new Date(now.getTime() - everyMs),
          ),
      )
      .update({ review_reminded_at: now });
    return updated === 1;
  }

  /** Approved requests whose start has come (and that nobody is working on). */
  async dueToGrant(now: Date, limit: number): Promise<StoredRequest[]> {
    const rows: RequestRow[] = await this.knex('requests')
      .where('status', 'approved')
      .where('start_time', '<=', now)
      .where('end_time', '>', now)
      .orderBy('start_time')
      .limit(limit);
    return this.withApprovers(rows);
  }

  /** Approved requests whose whole window passed without a grant. */
  async windowElapsed(now: Date, limit: number): Promise<StoredRequest[]> {
    const rows: RequestRow[] = await this.knex('requests')
      .where('status', 'approved')
      .where('end_time', '<=', now)
      .limit(limit);
    return this.withApprovers(rows);
  }

  /** Active requests whose end has come. */
  async dueToEnd(now: Date, limit: number): Promise<StoredRequest[]> {
    const rows: RequestRow[] = await this.knex('requests')
      .where('status', 'active')
      .where('end_time', '<=', now)
      .orderBy('end_time')
      .limit(limit);
    return this.withApprovers(rows);
  }

  /**
   * When the next grant or revocation is due (undefined: none is): the
   * earliest start of an approved request, the earliest end of an active
   * one, and retries of grants and revocations nobody holds (due at their
   * retry time, or now without one). One statement of index lookups
   * (status with start_time or end_time), cheap enough to poll every few
   * seconds.
   */
  async nextProvisioningDue(now: Date): Promise<Date | undefined> {
    const { knex } = this;
    const free = (q: Knex.QueryBuilder) =>
      q
        .whereIn('status', ['granting', 'revoking'])
        .where(w =>
          w.whereNull('claimed_until').orWhere('claimed_until', '<', now),
        );
    const rows: Array<{ kind: string; due: DbTime | null }> = await knex
      .select(knex.raw("'start' as kind"), knex.raw('min(start_time) as due'))
      .from('requests')
      .where('status', 'approved')
      .unionAll(q =>
        q
          .select(knex.raw("'end' as kind"), knex.raw('min(end_time) as due'))
          .from('requests')
          .where('status', 'active'),
      )
      .unionAll(q =>
        free(
          q
            .select(
              knex.raw("'retry' as kind"),
              knex.raw('min(next_attempt_at) as due'),
            )
            .from('requests'),
        ),
      )
      .unionAll(q =>
        free(
          q
            // any value means a row waits without a retry time: due now
            .select(
              knex.raw("'now' as kind"),
              knex.raw('min(start_time) as due'),
            )
            .from('requests')
            .whereNull('next_attempt_at'),
        ),
      );
    let next: number | undefined;
    for (const row of rows) {
      if (row.due === null || row.due === undefined) continue;
      const at = row.kind === 'now' ? now.getTime() : toDate(row.due).getTime();
      next = next === undefined ? at : Math.min(next, at);
    }
    return next === undefined ? undefined : new Date(next);
  }

  /**
   * Rows in `status` that nobody holds a live lease on and that are due for
   * (another) attempt: work a crashed or slow replica left behind included.
   */
  async unclaimed(status: 'granting' | 'revoking', now: Date, limit: number) {
    const rows: RequestRow[] = await this.knex('requests')
      .where('status', status)
      .where(q =>
        q.whereNull('claimed_until').orWhere('claimed_until', '<', now),
      )
      .where(q =>
        q.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now),
      )
      .orderBy('updated_at')
      .limit(limit);
    return this.withApprovers(rows);
  }

  /**
   * Takes the lease on a row in `status`, if nobody holds a live one. Only
   * one replica gets it; it lasts until `until` unless released.
   */
  async claim(
    id: string,
    status: RequestStatus,
    owner: string,
    now: Date,
    until: Date,
  ) {
    const updated = await this.knex('requests')
      .where({ id, status })
      .where(q =>
        q
          .whereNull('claimed_until')
          .orWhere('claimed_until', '<', now)
          .orWhere('claimed_by', owner),
      )
      .update({ claimed_by: owner, claimed_until: until });
    return updated === 1;
  }

  /** Updates a row this replica holds the lease on; false if it lost it. */
  async updateClaimed(id: string, owner: string, patch: RequestPatch) {
    const updated = await this.knex('requests')
      .where({ id, claimed_by: owner })
      .update(patch);
    return updated === 1;
  }

  /** Extends a lease this replica holds; false when it was lost. */
  async heartbeat(id: string, owner: string, until: Date): Promise<boolean> {
    const updated = await this.knex('requests')
      .where({ id, claimed_by: owner })
      .update({ claimed_until: until });
    return updated === 1;
  }

  /**
   * Gives back every lease this replica holds (graceful shutdown), due at
   * once for whichever replica runs next.
   */
  async releaseAllOf(owner: string): Promise<void> {
    await this.knex('requests')
      .where({ claimed_by: owner })
      .update({ claimed_by: null, claimed_until: null, next_attempt_at: null });
    await this.knex('requests')
      .where({ activity_claimed_by: owner })
      .update({ activity_claimed_by: null, activity_claimed_until: null });
  }

  /** Records that admins were alerted about a stuck revocation; false if already. */
  async markRevokeAlerted(id: string, now: Date): Promise<boolean> {
    const updated = await this.knex('requests')
      .where({ id })
      .whereNull('revoke_alerted_at')
      .update({ revoke_alerted_at: now });
    return updated === 1;
  }

  /** Lets go of a lease, optionally asking for the next attempt later. */
  async release(id: string, owner: string, patch: RequestPatch = {}) {
    await this.knex('requests')
      .where({ id, claimed_by: owner })
      .update({ ...patch, claimed_by: null, claimed_until: null });
  }

  /** Requests of the plugin that hold (or are getting) this assignment, except one. */
  async holders(
    triple: {
      principalId: string;
      accountId: string;
      permissionSetArn: string;
    },
    exceptId: string,
    statuses: readonly RequestStatus[] = HOLDING_STATUSES,
  ): Promise<Array<{ id: string; status: RequestStatus; endTime: string }>> {
    const rows = await this.knex('requests')
      .where({
        principal_id: triple.principalId,
        account_id: triple.accountId,
        permission_set_arn: triple.permissionSetArn,
      })
      .whereIn('status', [...statuses])
      .whereNot('id', exceptId)
      .select('id', 'status', 'end_time');
    return rows.map(r => ({
      id: r.id,
      status: r.status,
      endTime: toIso(r.end_time as DbTime),
    }));
  }

  /**
   * Access held on these accounts now or later: active, being granted, or
   * approved to start, not yet ended; soonest end first.
   */
  async grantsOn(
    accountIds: string[],
    now: Date,
    limit: number,
  ): Promise<StoredRequest[]> {
    if (!accountIds.length) return [];
    const rows = await this.knex('requests')
      .whereIn('account_id', accountIds)
      .whereIn('status', ['active', 'granting', 'approved'])
      .where('end_time', '>', now)
      .orderBy([
        { column: 'end_time', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(limit);
    return this.withApprovers(rows);
  }

  /** Active requests, in pages (for the reconciler). */
  async active(
    afterId: string | undefined,
    limit: number,
  ): Promise<StoredRequest[]> {
    const query = this.knex('requests')
      .where('status', 'active')
      .orderBy('id')
      .limit(limit);
    if (afterId) query.where('id', '>', afterId);
    return this.withApprovers(await query);
  }

  /** How the last failure happened: grant or revoke (for an admin retry). */
  async lastErrorAction(id: string): Promise<string | undefined> {
    const row = await this.knex('events')
      .where({ entity_type: 'request', entity_id: id, to_status: 'error' })
      .orderBy('id', 'desc')
      .first('action');
    return row?.action;
  }

  /** Records an event that changes no status (e.g. a drift repair). */
  async note(
    id: string,
    action: string,
    actorRef: string,
    message: string,
    now: Date,
  ) {
    await EventLog.append(this.knex, {
      entityType: 'request',
      entityId: id,
      action,
      actorRef,
      message,
      createdAt: now,
    });
  }

  /** Sessions whose activity is still being collected, not held by another collector. */
  async activityDue(now: Date, limit: number): Promise<StoredRequest[]> {
    const rows: RequestRow[] = await this.knex('requests')
      .whereNotNull('granted_at')
      .whereNotNull('principal_name')
      .where('activity_complete', false)
      .where(q =>
        q
          .whereNull('activity_claimed_until')
          .orWhere('activity_claimed_until', '<', now),
      )
      .orderBy('granted_at')
      .limit(limit);
    return this.withApprovers(rows);
  }

  /**
   * The granted sessions of one Identity Center user in one account and
   * permission set whose access overlaps [from, to): the sessions an event
   * seen in that window can belong to.
   */
  async sessionsOverlapping(options: {
    accountId: string;
    permissionSetArn: string;
    principalName: string;
    from: Date;
    to: Date;
  }): Promise<Array<{ requestId: string; grantedAt: string; endsAt: string }>> {
    const rows: Array<{
      id: string;
      granted_at: DbTime;
      ended_at: DbTime | null;
      end_time: DbTime;
    }> = await this.knex('requests')
      .where({
        account_id: options.accountId,
        permission_set_arn: options.permissionSetArn,
        principal_name: options.principalName,
      })
      .whereNotNull('granted_at')
      .where('granted_at', '<', options.to)
      .where(q =>
        q
          .where('ended_at', '>', options.from)
          .orWhere(w =>
            w.whereNull('ended_at').where('end_time', '>', options.from),
          ),
      )
      .select('id', 'granted_at', 'ended_at', 'end_time');
    return rows.map(row => ({
      requestId: row.id,
      grantedAt: toIso(row.granted_at)!,
      endsAt: toIso(row.ended_at ?? row.end_time)!,
    }));
  }

  async claimActivity(id: string, owner: string, now: Date, until: Date) {
    const updated = await this.knex('requests')
      .where({ id })
      .where(q =>
        q
          .whereNull('activity_claimed_until')
          .orWhere('activity_claimed_until', '<', now),
      )
      .update({ activity_claimed_by: owner, activity_claimed_until: until });
    return updated === 1;
  }

  /** Extends an activity lease this replica holds; false when it was lost. */
  async heartbeatActivity(id: string, owner: string, until: Date) {
    const updated = await this.knex('requests')
      .where({ id, activity_claimed_by: owner })
      .update({ activity_claimed_until: until });
    return updated === 1;
  }

  async releaseActivity(
    id: string,
    owner: string,
    progress: { collectedUntil: Date; complete: boolean; used?: boolean },
  ) {
    await this.knex('requests')
      .where({ id, activity_claimed_by: owner })
      .update({
        activity_collected_until: progress.collectedUntil,
        activity_complete: progress.complete,
        // known once collection is final; unknown (null) until then
        used: progress.complete ? progress.used ?? null : null,
        activity_claimed_by: null,
        activity_claimed_until: null,
      });
  }
}
