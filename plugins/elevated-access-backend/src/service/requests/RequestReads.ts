import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AccessRequest,
  AccessRequestDetail,
  elevatedAccessAuditReadPermission,
  elevatedAccessPolicyManagePermission,
  elevatedAccessRequestApprovePermission,
  elevatedAccessRequestReadPermission,
  ListRequestsQuery,
  MeResponse,
  Page,
  RequestStatus,
  shortEntityRef,
  statusesAllowing,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Knex } from 'knex';
import {
  RequestFilter,
  StoredRequest,
  toResource,
} from '../../database/RequestStore';
import { ApproverScope } from '../../database/permissionFilter';
import { normalizeRef } from '../../domain/refs';
import { CallContext } from '../AccessControl';
import { RequestApprovers } from './RequestApprovers';
import { RequestEligibility } from './RequestEligibility';
import { RequestServiceDeps } from './RequestServiceDeps';
import { ROW_PERMISSIONS, RequestViews } from './RequestViews';

/** A request list's view and filters, without paging (what exports take). */
export type ListView = Omit<ListRequestsQuery, 'cursor' | 'limit'>;

/** Statuses an approver can still act on (decide or revoke). */
const ACTIONABLE_FOR_APPROVERS: RequestStatus[] = [
  'pending',
  ...statusesAllowing('revoke'),
];

/**
 * Reading requests: the caller's standing (GET /me), the list views and their
 * exports, and one request, each within what the read permission shows.
 */
export class RequestReads {
  constructor(
    private readonly deps: Pick<
      RequestServiceDeps,
      'access' | 'requests' | 'approverPolicies'
    > & {
      approvers: RequestApprovers;
      views: RequestViews;
      requestEligibility: RequestEligibility;
    },
  ) {}

  /**
   * The caller's own standing in the plugin: what the pages show them (the
   * server still checks every action), and how many requests await them.
   */
  async me(ctx: CallContext): Promise<MeResponse> {
    const [read, approverPolicies, canAudit, canManage, canRequest] =
      await Promise.all([
        this.deps.access.requestDecision(
          elevatedAccessRequestReadPermission,
          ctx.credentials,
        ),
        this.deps.approverPolicies.list(),
        this.deps.access.allows(
          elevatedAccessAuditReadPermission,
          ctx.credentials,
        ),
        this.deps.access.allows(
          elevatedAccessPolicyManagePermission,
          ctx.credentials,
        ),
        this.deps.requestEligibility.canRequest(ctx),
      ]);
    const scope =
      read.filter === 'deny'
        ? undefined
        : await this.deps.approvers.approverScope(ctx);
    const isApprover = await this.deps.approvers.approvesToday(
      ctx,
      approverPolicies,
    );
    const [pendingApprovals, pendingReviews] =
      read.filter === 'deny'
        ? [0, 0]
        : await Promise.all([
            this.deps.requests.countPendingFor(
              ctx.caller.ownershipEntityRefs,
              ctx.caller.userEntityRef,
              read.filter,
              scope,
            ),
            this.countReviewable(ctx, read.filter, scope!, canManage),
          ]);
    return {
      userEntityRef: ctx.caller.userEntityRef,
      isApprover,
      pendingApprovals,
      pendingReviews,
      canAudit,
      canManagePolicies: canManage,
      canRequest,
    };
  }

  /**
   * Break-glass requests the caller may review now: those of the reviews
   * view (approver in scope or admin, not their own) whose access is over
   * and whose activity is complete, if the approve permission allows.
   */
  private async countReviewable(
    ctx: CallContext,
    read: RequestFilter['permission'],
    scope: ApproverScope,
    isAdmin: boolean,
  ): Promise<number> {
    const approve = await this.deps.access.requestDecision(
      elevatedAccessRequestApprovePermission,
      ctx.credentials,
    );
    if (approve.filter === 'deny') return 0;
    const permission =
      read && approve.filter
        ? { allOf: [read, approve.filter] as [typeof read, typeof read] }
        : read ?? approve.filter;
    return this.deps.requests.count({
      permission,
      approverScope: scope,
      ...(isAdmin ? {} : { approverRefs: ctx.caller.ownershipEntityRefs }),
      excludeRequesterRef: ctx.caller.userEntityRef,
      reviewableNow: true,
    });
  }

  async list(
    ctx: CallContext,
    query: ListRequestsQuery,
  ): Promise<Page<AccessRequest>> {
    this.prefetchViewPermissions(ctx, query.view);
    const filter = await this.listFilter(ctx, query);
    if (!filter) return { items: [] };
    const page = await this.deps.requests.list({
      ...filter,
      cursor: query.cursor,
      limit: query.limit,
    });
    return {
      items: await this.deps.views.toDtos(ctx, page.items),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Every request of a list view with these filters, page by page (for its
   * CSV export). The caller's right to the view is checked before the first
   * page, so a refusal comes before anything is sent.
   */
  async exportPages(
    ctx: CallContext,
    query: ListView,
  ): Promise<AsyncIterable<StoredRequest[]>> {
    const filter = await this.listFilter(ctx, query);
    const store = this.deps.requests;
    return (async function* pages() {
      if (!filter) return;
      let cursor: string | undefined;
      do {
        const page = await store.list({ ...filter, cursor, limit: 500 });
        yield page.items;
        cursor = page.nextCursor;
      } while (cursor);
    })();
  }

  /**
   * The requests of a list view with these filters as a subquery of ids (an
   * activity export's sessions); 'none' when the caller sees none. Wrapped,
   * as a query builder is a thenable that `await` would run.
   */
  async exportIds(
    ctx: CallContext,
    query: ListView,
  ): Promise<{ subquery: Knex.QueryBuilder } | 'none'> {
    const filter = await this.listFilter(ctx, query);
    const subquery = filter && this.deps.requests.idsMatching(filter);
    return subquery ? { subquery } : 'none';
  }

  /**
   * What a list view with its filters selects, for the store: one function
   * for the paged list and its exports, so a CSV holds exactly the rows the
   * list shows. Checks the caller's right to the view; undefined when their
   * permission shows them nothing.
   */
  private async listFilter(
    ctx: CallContext,
    query: ListView,
  ): Promise<RequestFilter | undefined> {
    if (query.view === 'decided' || query.view === 'reviews') {
      await this.requireApproverOrAdmin(ctx);
    }
    if (query.view === 'all') {
      await this.deps.access.require(
        elevatedAccessAuditReadPermission,
        ctx.credentials,
        'Only auditors and admins can list every request',
      );
    }
    const read = await this.deps.access.requestDecision(
      elevatedAccessRequestReadPermission,
      ctx.credentials,
    );
    if (read.filter === 'deny') return undefined;

    const filter: RequestFilter = {
      permission: read.filter,
      approverScope: await this.deps.approvers.approverScope(ctx),
      statuses: query.status,
      accountId: query.accountId,
      createdFrom: query.from ? new Date(query.from) : undefined,
      createdTo: query.to ? new Date(query.to) : undefined,
      used: query.used,
      breakGlass: query.breakGlass,
      review: query.review,
    };
    if (query.requester) {
      filter.requesterRefs = [normalizeRef(query.requester)];
    }
    if (query.view === 'mine') {
      filter.requesterRefs = [ctx.caller.userEntityRef];
    } else if (query.view === 'approvals') {
      filter.approverRefs = ctx.caller.ownershipEntityRefs;
      // one's own requests are in "mine"; the approvals view is for others'
      filter.excludeRequesterRef = ctx.caller.userEntityRef;
      filter.statuses = query.status ?? ACTIONABLE_FOR_APPROVERS;
    } else if (query.view === 'decided') {
      // what they decided, and what ended where they approve today
      filter.approverHistory = {
        callerRef: ctx.caller.userEntityRef,
        approverRefs: ctx.caller.ownershipEntityRefs,
      };
      filter.excludeRequesterRef = ctx.caller.userEntityRef;
    } else if (query.view === 'reviews') {
      // break-glass awaiting review, where the caller approves (admins: all)
      const isAdmin = await this.deps.access.allows(
        elevatedAccessPolicyManagePermission,
        ctx.credentials,
      );
      if (!isAdmin) filter.approverRefs = ctx.caller.ownershipEntityRefs;
      filter.excludeRequesterRef = ctx.caller.userEntityRef;
      filter.breakGlass = true;
      if (query.review && query.review !== 'awaiting') return undefined;
      filter.review = 'awaiting';
    }
    return filter;
  }

  /** The decided view is for approvers (by a current policy) and admins. */
  private async requireApproverOrAdmin(ctx: CallContext) {
    const [policies, isAdmin] = await Promise.all([
      this.deps.approverPolicies.list(),
      this.deps.access.allows(
        elevatedAccessPolicyManagePermission,
        ctx.credentials,
      ),
    ]);
    const isApprover = await this.deps.approvers.approvesToday(ctx, policies);
    if (!isApprover && !isAdmin) {
      throw new NotAllowedError(
        'Only approvers and admins can list decided requests',
      );
    }
  }

  /** Loads a request the caller may read, or throws 404 / 403. */
  async readable(ctx: CallContext, id: string): Promise<StoredRequest> {
    const stored = await this.deps.requests.get(id);
    if (!stored) {
      throw new NotFoundError(`There is no request ${id}. Check the link.`);
    }
    const read = await this.deps.access.requestDecision(
      elevatedAccessRequestReadPermission,
      ctx.credentials,
    );
    const approverRefs = await this.deps.approvers.effectiveApproverRefs(
      ctx,
      stored,
    );
    if (!read.permits(toResource({ ...stored, approverRefs }))) {
      // who to ask instead: the requester by the name people know them by
      const owner = shortEntityRef(stored.requesterRef);
      throw new NotAllowedError(
        `You can't see this request: it belongs to ${owner}. Ask ${owner}, or an approver of it, for what you need.`,
      );
    }
    return stored;
  }

  async get(ctx: CallContext, id: string): Promise<AccessRequestDetail> {
    this.prefetchViewPermissions(ctx);
    const stored = await this.readable(ctx, id);
    const [[dto], decisions, events] = await Promise.all([
      this.deps.views.toDtos(ctx, [stored]),
      this.deps.requests.decisions([id]),
      this.deps.requests.events(id),
    ]);
    return { ...dto, decisions: decisions.get(id) ?? [], events };
  }

  /**
   * A list or a request page checks the view's right, the read permission
   * and then each row's capabilities, one step after another: asked up front
   * they go to the permission backend as one call instead of two or three.
   */
  private prefetchViewPermissions(ctx: CallContext, view?: ListView['view']) {
    this.deps.access.prefetch(
      [
        ...(view === 'all' ? [elevatedAccessAuditReadPermission] : []),
        elevatedAccessRequestReadPermission,
        ...ROW_PERMISSIONS,
      ],
      ctx.credentials,
    );
  }
}
