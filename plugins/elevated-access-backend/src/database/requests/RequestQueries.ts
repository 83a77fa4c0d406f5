import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  FINAL_STATUSES,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { ElevatedAccessRequestQuery } from '@elevated-access/backstage-plugin-elevated-access-node';
import { Knex } from 'knex';
import {
  applyRequestPermissionFilter,
  ApproverScope,
  decidedBy,
  whereApprover,
} from '../permissionFilter';
import { simplifyCriteria } from '../simplifyCriteria';
import { pageNewestFirst } from '../util';
import { RequestRow, withApprovers } from './requestRows';
import { RequestFilter, RequestListFilter, StoredRequest } from './types';

/** Statuses in which a break-glass request's access is over (see accessOver). */
const REVIEWABLE_STATUSES: RequestStatus[] = ['ended', 'revoked'];

/** Break-glass whose access happened and that nobody reviewed yet. */
export function whereAwaitingReview(query: Knex.QueryBuilder) {
  return query
    .where('requests.break_glass', true)
    .whereNotNull('requests.granted_at')
    .whereNull('requests.review_outcome');
}

/**
 * Requests by filter: the paged lists, their exports and counts, the
 * approver inbox badge, and the pages the entity view and the reconciler
 * read. Permission decisions are applied as SQL.
 */
export class RequestQueries {
  constructor(private readonly knex: Knex) {}

  /** Newest first, keyset-paginated on (created_at, id). */
  async list(
    filter: RequestListFilter,
  ): Promise<{ items: StoredRequest[]; nextCursor?: string }> {
    const query = this.filtered(filter)?.select('requests.*');
    if (!query) return { items: [] };
    const { rows, nextCursor } = await pageNewestFirst<RequestRow>(
      query,
      {
        timeColumn: 'requests.created_at',
        idColumn: 'requests.id',
        idType: 'string',
      },
      filter,
    );
    return { items: await withApprovers(this.knex, rows), nextCursor };
  }

  idsMatching(filter: RequestFilter): Knex.QueryBuilder | undefined {
    return this.filtered(filter)?.select('requests.id');
  }

  async count(filter: RequestFilter): Promise<number> {
    const query = this.filtered(filter);
    if (!query) return 0;
    const [{ n }] = await query.count({ n: '*' });
    return Number(n);
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
    return withApprovers(this.knex, rows);
  }

  async active(
    afterId: string | undefined,
    limit: number,
  ): Promise<StoredRequest[]> {
    const query = this.knex('requests')
      .where('status', 'active')
      .orderBy('id')
      .limit(limit);
    if (afterId) query.where('id', '>', afterId);
    return withApprovers(this.knex, await query);
  }
}
