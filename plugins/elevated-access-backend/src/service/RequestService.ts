import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  AccessRequest,
  AccessRequestDetail,
  ApproverPolicy,
  ApproveInput,
  CommentInput,
  CreateRequestInput,
  formatMinutes,
  EligibilityQuery,
  EligibilityResponse,
  EligibleAccountsQuery,
  EligibleAccountsResponse,
  elevatedAccessAuditReadPermission,
  elevatedAccessPolicyManagePermission,
  elevatedAccessRequestApprovePermission,
  elevatedAccessRequestCreatePermission,
  elevatedAccessRequestReadPermission,
  elevatedAccessRequestRevokePermission,
  ElevatedAccessSettings,
  ListRequestsQuery,
  MeResponse,
  Page,
  RequestDecision,
  RequestStatus,
  ReviewInput,
  shortEntityRef,
  statusesAllowing,
  eligibilityOptions,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Knex } from 'knex';
import { PolicyStore } from '../database/PolicyStore';
import {
  RequestFilter,
  RequestStore,
  StoredRequest,
  toResource,
} from '../database/RequestStore';
import {
  AccountOwnership,
  ApproverGrant,
  approverScopeOf,
  mergeApproverGrants,
  namesCatalogOwners,
  resolveApprovers,
} from '../domain/approvers';
import { AccountCatalog, OwnershipSnapshot } from './AccountCatalog';
import { planRetry } from '../domain/provisioningRules';
import { ApproverScope } from '../database/permissionFilter';
import { CallerCache } from './CallerCache';
import {
  CallerEligibility,
  hasEligiblePair,
  matchingEligibilityPolicies,
} from '../domain/eligibility';
import { OrgTree } from '../domain/OrgTree';
import { Caller, intersects, normalizeRef, sameRef } from '../domain/refs';
import { planRequest } from '../domain/requestRules';
import {
  assertCanCancel,
  CANCEL_REFUSED_BY_POLICY,
} from '../domain/rules/cancel';
import { capabilitiesFor } from '../domain/rules/capabilities';
import {
  assertCanDecide,
  decisionRefusedByPolicy,
} from '../domain/rules/decide';
import { assertCanRetry } from '../domain/rules/retry';
import { assertCanReview, reviewRefusedByPolicy } from '../domain/rules/review';
import {
  assertCanRevoke,
  REVOKE_REFUSED_BY_POLICY,
} from '../domain/rules/revoke';
import {
  AccessControl,
  CallContext,
  RequestPermissionDecision,
} from './AccessControl';
import { ApproverDirectory } from './ApproverDirectory';
import { Clock } from './Clock';
import { RequestNews, RequestNotifier } from './RequestNotifier';
import { SettingsService } from './SettingsService';
import { TargetsService } from './TargetsService';
import { EligibilityRechecker } from './EligibilityRechecker';
import { SYSTEM_ACTOR } from '../jobs/systemActor';
import { FieldInputError } from '../domain/FieldInputError';

/** A request list's view and filters, without paging (what exports take). */
export type ListView = Omit<ListRequestsQuery, 'cursor' | 'limit'>;

/** Statuses an approver can still act on (decide or revoke). */
const ACTIONABLE_FOR_APPROVERS: RequestStatus[] = [
  'pending',
  ...statusesAllowing('revoke'),
];

/** How many callers' eligibility and approver scope are kept built. */
const CALLERS_KEPT = 50;

/** Who the caller is, for what is kept built per caller. */
const callerKey = (ctx: CallContext) =>
  JSON.stringify([
    ctx.caller.userEntityRef,
    [...ctx.caller.ownershipEntityRefs].sort(),
  ]);

/** Everything the caller's permissions say about requests, evaluated once per call. */
interface CallerPermissions {
  approve: RequestPermissionDecision;
  revoke: RequestPermissionDecision;
  isAdmin: boolean;
}

/**
 * The request lifecycle's human side: create, list, read, approve, reject,
 * cancel and revoke. Each action passes the permission framework first and
 * then the plugin's own rules; both must allow it.
 */
export class RequestService {
  constructor(
    private readonly deps: {
      requests: RequestStore;
      eligibilityPolicies: PolicyStore<'eligibility'>;
      approverPolicies: PolicyStore<'approver'>;
      settings: SettingsService;
      targets: TargetsService;
      access: AccessControl;
      approverDirectory: ApproverDirectory;
      /** Account owners and sensitive accounts, from the catalog. */
      accountCatalog: AccountCatalog;
      /** Re-checks eligibility when a request is decided. */
      eligibility: EligibilityRechecker;
      notifier: RequestNotifier;
      clock: Clock;
      logger: LoggerService;
    },
  ) {}

  /**
   * The recent callers' eligibility and approver scope: the form's account
   * picker asks on every keystroke and every page asks GET /me, and building
   * either walks thousands of policies and accounts.
   */
  private readonly eligibilityBuilt = new CallerCache<CallerEligibility>(
    CALLERS_KEPT,
  );
  private readonly approverScopeBuilt = new CallerCache<ApproverGrant[]>(
    CALLERS_KEPT,
  );

  /**
   * The caller's eligibility, built again only when the organisation tree,
   * a policy or the settings changed since this caller's last call.
   */
  private async callerEligibility(ctx: CallContext) {
    const [tree, settings, policies] = await Promise.all([
      this.deps.targets.tree(),
      this.deps.settings.current(),
      this.deps.eligibilityPolicies.list(),
    ]);
    const eligibility = this.eligibilityBuilt.get(
      callerKey(ctx),
      [tree, JSON.stringify(settings), ...policies],
      () =>
        new CallerEligibility({
          caller: ctx.caller,
          policies,
          tree,
          settings,
        }),
    );
    return { tree, eligibility };
  }

  /** The form's account picker: eligible accounts matching a search. */
  async eligibleAccounts(
    ctx: CallContext,
    query: EligibleAccountsQuery,
  ): Promise<EligibleAccountsResponse> {
    const [{ tree, eligibility }, ownership] = await Promise.all([
      this.callerEligibility(ctx),
      this.deps.accountCatalog.snapshot(),
    ]);
    const found = eligibility.searchAccounts(query.q, query.limit);
    return {
      ...found,
      items: found.items.map(a => withSensitivity(a, ownership, tree)),
    };
  }

  /**
   * What the catalog says of one account now, for creating and deciding:
   * when no approver policy depends on it, the shared snapshot serves if the
   * catalog cannot be read.
   */
  async ownershipNow(
    tree: OrgTree,
    accountId: string,
    approverPolicies: ApproverPolicy[],
  ): Promise<AccountOwnership> {
    try {
      return await this.deps.accountCatalog.read(
        accountId,
        tree.ancestors(accountId),
      );
    } catch (error) {
      if (
        namesCatalogOwners(approverPolicies) ||
        approverPolicies.some(p => p.sensitiveMinApprovals)
      ) {
        throw error;
      }
      return (await this.deps.accountCatalog.snapshot()).of(
        accountId,
        tree.ancestors(accountId),
      );
    }
  }

  /**
   * Every pair the caller may request with its terms and approvers, or with
   * `accountId` only that account's (what the form loads once an account is
   * chosen: a large organisation has tens of thousands of pairs).
   */
  async eligibility(
    ctx: CallContext,
    query: EligibilityQuery = {},
  ): Promise<EligibilityResponse> {
    const [{ tree, eligibility }, approverPolicies, ownership] =
      await Promise.all([
        this.callerEligibility(ctx),
        this.deps.approverPolicies.list(),
        this.deps.accountCatalog.snapshot(),
      ]);
    const pairs =
      query.accountId === undefined
        ? eligibility.allPairs()
        : eligibility.pairsOf(query.accountId);
    // the approver policies covering each account, found once per account
    // rather than once per pair
    const approversOn = new Map<string, ApproverPolicy[]>();
    const approverPoliciesOf = (accountId: string) => {
      let list = approversOn.get(accountId);
      if (!list) {
        list = approverPolicies.filter(p => tree.covers(p, accountId));
        approversOn.set(accountId, list);
      }
      return list;
    };
    const approversOf = (p: { accountId: string; permissionSetArn: string }) =>
      resolveApprovers({
        policies: approverPoliciesOf(p.accountId),
        tree,
        accountId: p.accountId,
        permissionSetArn: p.permissionSetArn,
        ownership: ownership.of(p.accountId, tree.ancestors(p.accountId)),
      });
    const accountIds = new Set(pairs.map(p => p.accountId));
    const arns = new Set(pairs.map(p => p.permissionSetArn));
    // who besides the caller could decide, once per set of approver refs: the
    // form warns before submit when create would refuse (nobody to approve)
    const counted = new Map<string, Promise<number | undefined>>();
    const otherApprovers = (refs: string[]) => {
      const key = refs.join('\n');
      let count = counted.get(key);
      if (!count) {
        count = refs.length
          ? this.deps.approverDirectory.usersOf(refs).then(
              users =>
                users.filter(u => !sameRef(u, ctx.caller.userEntityRef)).length,
              () => undefined,
            )
          : Promise.resolve(0);
        counted.set(key, count);
      }
      return count;
    };
    const others = await Promise.all(
      pairs.map(p =>
        p.options.some(o => o.approvalRequired || o.breakGlass)
          ? otherApprovers(approversOf(p).approverRefs)
          : Promise.resolve(undefined),
      ),
    );
    return {
      accounts: [...accountIds]
        .map(id => withSensitivity(tree.accountSummary(id)!, ownership, tree))
        .sort((a, b) => a.name.localeCompare(b.name)),
      permissionSets: [...arns]
        .map(arn => tree.permissionSetSummary(arn)!)
        .sort((a, b) => a.name.localeCompare(b.name)),
      pairs: pairs.map((p, i) => {
        const breakGlass = p.options.filter(o => o.breakGlass);
        const approvers = p.options.some(o => o.approvalRequired)
          ? approversOf(p)
          : undefined;
        return {
          accountId: p.accountId,
          permissionSetArn: p.permissionSetArn,
          options: p.options,
          maxDurationMinutes: p.maxDurationMinutes,
          approvalRequired: p.approvalRequired,
          ticketRequired: p.ticketRequired,
          approvers: approvers?.approverRefs ?? [],
          minApprovals: approvers?.minApprovals ?? 0,
          ...(others[i] !== undefined && { otherApprovers: others[i] }),
          ...(breakGlass.length > 0 && {
            breakGlass: {
              maxDurationMinutes: Math.max(
                ...breakGlass.map(o => o.maxDurationMinutes),
              ),
              policyNames: [
                ...new Set(breakGlass.flatMap(o => o.policyNames)),
              ].sort(),
            },
          }),
        };
      }),
    };
  }

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
        this.canRequest(ctx),
      ]);
    const scope =
      read.filter === 'deny' ? undefined : await this.approverScope(ctx);
    const isApprover = await this.approvesToday(ctx, approverPolicies);
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

  /**
   * Whether the caller may request anything at all: the permission to create
   * requests and at least one eligible (account, permission set) pair. When
   * the organisation cannot be read, a policy naming the caller is enough
   * (the form then explains what is wrong rather than disappearing).
   */
  private async canRequest(ctx: CallContext): Promise<boolean> {
    const [allowed, policies] = await Promise.all([
      this.deps.access.allows(
        elevatedAccessRequestCreatePermission,
        ctx.credentials,
      ),
      this.deps.eligibilityPolicies.list(),
    ]);
    if (!allowed) return false;
    const named = policies.some(p =>
      intersects(ctx.caller.ownershipEntityRefs, p.principals),
    );
    if (!named) return false;
    let tree: OrgTree;
    try {
      tree = await this.deps.targets.tree();
    } catch {
      return true;
    }
    return hasEligiblePair({ caller: ctx.caller, policies, tree });
  }

  async create(
    ctx: CallContext,
    input: CreateRequestInput,
  ): Promise<AccessRequest> {
    await this.deps.access.require(
      elevatedAccessRequestCreatePermission,
      ctx.credentials,
      'You may not request elevated access',
    );
    const [tree, settings, policies, approverPolicies] = await Promise.all([
      this.deps.targets.tree(),
      this.deps.settings.current(),
      this.deps.eligibilityPolicies.list(),
      this.deps.approverPolicies.list(),
    ]);
    const account = tree.account(input.accountId);
    const permissionSet = tree.permissionSet(input.permissionSetArn);
    if (!account || !permissionSet) {
      throw new NotAllowedError(
        `You are not eligible to request ${
          permissionSet?.name ?? 'this permission set'
        } on ${account?.name ?? `account ${input.accountId}`}`,
      );
    }
    const options = eligibilityOptions(
      matchingEligibilityPolicies({
        caller: ctx.caller,
        policies,
        tree,
        accountId: account.id,
        permissionSetArn: permissionSet.arn,
      }),
      settings,
    );
    const ownership = await this.ownershipNow(
      tree,
      account.id,
      approverPolicies,
    );
    const approvers = resolveApprovers({
      policies: approverPolicies,
      tree,
      accountId: account.id,
      permissionSetArn: permissionSet.arn,
      ownership,
    });
    const otherApprovers =
      (input.breakGlass || options.some(o => o.approvalRequired)) &&
      approvers.approverRefs.length
        ? (
            await this.deps.approverDirectory.usersOf(approvers.approverRefs)
          ).filter(u => !sameRef(u, ctx.caller.userEntityRef)).length
        : 0;
    const now = this.deps.clock.now();
    const plan = planRequest({
      input,
      now,
      settings,
      options,
      accountName: account.name,
      permissionSetName: permissionSet.name,
      approvers,
      otherApprovers,
    });
    const stored = await this.deps.requests.create(
      {
        requesterRef: ctx.caller.userEntityRef,
        accountId: account.id,
        accountName: account.name,
        permissionSetArn: permissionSet.arn,
        permissionSetName: permissionSet.name,
        status: plan.status,
        startTime: plan.startTime,
        endTime: plan.endTime,
        durationMinutes: input.durationMinutes,
        justification: input.justification,
        ticketId: plan.ticketId,
        approvalRequired: plan.approvalRequired,
        minApprovals: plan.minApprovals,
        approverRefs: plan.approverRefs,
        policyIds: plan.policyIds,
        expiresAt: plan.expiresAt,
        createdAt: now,
        breakGlass: plan.breakGlass,
        sensitive: ownership.sensitive,
      },
      { exclusiveWindow: true },
    );
    await this.deps.notifier.notify(stored, {
      kind: plan.breakGlass ? 'break-glass' : 'created',
    });
    const [dto] = await this.toDtos(ctx, [stored], {
      tree,
      settings,
      approverPolicies,
    });
    return dto;
  }

  async list(
    ctx: CallContext,
    query: ListRequestsQuery,
  ): Promise<Page<AccessRequest>> {
    const filter = await this.listFilter(ctx, query);
    if (!filter) return { items: [] };
    const page = await this.deps.requests.list({
      ...filter,
      cursor: query.cursor,
      limit: query.limit,
    });
    return {
      items: await this.toDtos(ctx, page.items),
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
      approverScope: await this.approverScope(ctx),
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

  /**
   * Whether a current policy makes the caller an approver: by name, or as
   * the catalog owner of an account a policy naming owners covers.
   */
  private async approvesToday(
    ctx: CallContext,
    policies: ApproverPolicy[],
  ): Promise<boolean> {
    if (
      policies.some(p =>
        intersects(ctx.caller.ownershipEntityRefs, p.approvers),
      )
    ) {
      return true;
    }
    return (
      namesCatalogOwners(policies) &&
      (await this.approverScope(ctx)).grants.length > 0
    );
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
    const isApprover = await this.approvesToday(ctx, policies);
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
    const approverRefs = await this.effectiveApproverRefs(ctx, stored);
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
    const stored = await this.readable(ctx, id);
    const [[dto], decisions, events] = await Promise.all([
      this.toDtos(ctx, [stored]),
      this.deps.requests.decisions([id]),
      this.deps.requests.events(id),
    ]);
    return { ...dto, decisions: decisions.get(id) ?? [], events };
  }

  async decide(
    ctx: CallContext,
    id: string,
    decision: 'approve' | 'reject',
    input: ApproveInput,
  ): Promise<AccessRequest> {
    const stored = await this.load(id);
    const permission = await this.deps.access.requestDecision(
      elevatedAccessRequestApprovePermission,
      ctx.credentials,
    );
    if (!permission.permits(toResource(stored))) {
      throw new NotAllowedError(decisionRefusedByPolicy(ctx.caller, stored));
    }
    const [settings, currentApproverRefs, decisions] = await Promise.all([
      this.deps.settings.current(),
      this.currentApproverRefs(stored),
      this.deps.requests.decisions([id]),
    ]);
    assertCanDecide({
      caller: ctx.caller,
      request: stored,
      currentApproverRefs,
      alreadyDecided: (decisions.get(id) ?? []).some(d =>
        sameRef(d.approverRef, ctx.caller.userEntityRef),
      ),
      decision,
      comment: input.comment,
      settings,
    });
    const shortenTo =
      decision === 'approve' ? input.durationMinutes : undefined;
    if (shortenTo !== undefined && shortenTo > stored.durationMinutes) {
      throw FieldInputError.of(
        'durationMinutes',
        `An approval can shorten the request (${formatMinutes(
          stored.durationMinutes,
        )} asked) but not lengthen it`,
      );
    }
    await this.recheckBeforeDecision(stored);
    const updated = await this.deps.requests.recordDecision({
      requestId: id,
      approverRef: ctx.caller.userEntityRef,
      decision,
      comment: input.comment,
      durationMinutes:
        shortenTo !== undefined && shortenTo < stored.durationMinutes
          ? shortenTo
          : undefined,
      now: this.deps.clock.now(),
    });
    const actorRef = ctx.caller.userEntityRef;
    let news: RequestNews = { kind: 'vote', actorRef };
    if (updated.status === 'approved') news = { kind: 'approved', actorRef };
    if (updated.status === 'rejected') {
      news = { kind: 'rejected', actorRef, comment: input.comment };
    }
    await this.deps.notifier.notify(updated, news);
    return (await this.toDtos(ctx, [updated]))[0];
  }

  /**
   * An approver's review of a break-glass request, once its access is over
   * and its activity collected. The approve permission decides who may (as
   * for approving), then the rules; the store records it once (of two
   * reviewers at once, one wins). The requester hears the outcome, and the
   * auditors too when it was inappropriate.
   */
  async review(
    ctx: CallContext,
    id: string,
    input: ReviewInput,
  ): Promise<AccessRequest> {
    const stored = await this.load(id);
    const permission = await this.deps.access.requestDecision(
      elevatedAccessRequestApprovePermission,
      ctx.credentials,
    );
    if (!permission.permits(toResource(stored))) {
      throw new NotAllowedError(reviewRefusedByPolicy(ctx.caller, stored));
    }
    const [currentApproverRefs, isAdmin] = await Promise.all([
      this.currentApproverRefs(stored),
      this.deps.access.allows(
        elevatedAccessPolicyManagePermission,
        ctx.credentials,
      ),
    ]);
    assertCanReview({
      caller: ctx.caller,
      request: stored,
      currentApproverRefs,
      isAdmin,
    });
    const updated = await this.deps.requests.recordReview({
      id,
      reviewerRef: ctx.caller.userEntityRef,
      outcome: input.outcome,
      comment: input.comment,
      now: this.deps.clock.now(),
    });
    await this.deps.notifier.notify(updated, {
      kind: 'reviewed',
      actorRef: ctx.caller.userEntityRef,
      outcome: input.outcome,
      comment: input.comment,
    });
    return (await this.toDtos(ctx, [updated]))[0];
  }

  async cancel(ctx: CallContext, id: string): Promise<AccessRequest> {
    const stored = await this.load(id);
    const permission = await this.deps.access.requestDecision(
      elevatedAccessRequestRevokePermission,
      ctx.credentials,
    );
    if (!permission.permits(toResource(stored))) {
      throw new NotAllowedError(CANCEL_REFUSED_BY_POLICY);
    }
    assertCanCancel(ctx.caller, stored);
    const now = this.deps.clock.now();
    const updated = await this.deps.requests.transition({
      id,
      from: stored.status,
      to: 'cancelled',
      action: 'cancel',
      actorRef: ctx.caller.userEntityRef,
      now,
      message: 'Cancelled by the requester',
      patch: { ended_at: now },
    });
    await this.deps.notifier.notify(updated, { kind: 'cancelled' });
    return (await this.toDtos(ctx, [updated]))[0];
  }

  async revoke(
    ctx: CallContext,
    id: string,
    input: CommentInput,
  ): Promise<AccessRequest> {
    const stored = await this.load(id);
    const permission = await this.deps.access.requestDecision(
      elevatedAccessRequestRevokePermission,
      ctx.credentials,
    );
    if (!permission.permits(toResource(stored))) {
      throw new NotAllowedError(REVOKE_REFUSED_BY_POLICY);
    }
    const [settings, currentApproverRefs, isAdmin] = await Promise.all([
      this.deps.settings.current(),
      this.currentApproverRefs(stored),
      this.deps.access.allows(
        elevatedAccessPolicyManagePermission,
        ctx.credentials,
      ),
    ]);
    assertCanRevoke({
      caller: ctx.caller,
      request: stored,
      currentApproverRefs,
      isAdmin,
      comment: input.comment,
      settings,
    });
    const now = this.deps.clock.now();
    const patch = {
      revoked_by: ctx.caller.userEntityRef,
      revoke_comment: input.comment ?? null,
    };
    const message = `Revoked by ${ctx.caller.userEntityRef}${
      input.comment ? `: ${input.comment}` : ''
    }`;
    // Nothing was granted yet: the request ends here. Otherwise the lifecycle
    // task removes the assignment and then marks it revoked.
    const updated =
      stored.status === 'approved'
        ? await this.deps.requests.transition({
            id,
            from: 'approved',
            to: 'revoked',
            action: 'revoke',
            actorRef: ctx.caller.userEntityRef,
            now,
            message,
            patch: { ...patch, ended_at: now },
          })
        : await this.deps.requests.transition({
            id,
            from: stored.status,
            to: 'revoking',
            action: 'revoke',
            actorRef: ctx.caller.userEntityRef,
            now,
            message,
            patch: {
              ...patch,
              next_attempt_at: now,
              claimed_by: null,
              claimed_until: null,
            },
          });
    await this.deps.notifier.notify(updated, {
      kind: 'revoked',
      actorRef: ctx.caller.userEntityRef,
      comment: input.comment,
    });
    return (await this.toDtos(ctx, [updated]))[0];
  }

  /**
   * An admin retries a failed grant or revocation: the request goes back to
   * `granting` or `revoking` and the lifecycle task tries again at once.
   */
  async retry(ctx: CallContext, id: string): Promise<AccessRequest> {
    const stored = await this.load(id);
    const isAdmin = await this.deps.access.allows(
      elevatedAccessPolicyManagePermission,
      ctx.credentials,
    );
    assertCanRetry({ request: stored, isAdmin });
    const plan = planRetry({
      lastErrorAction: await this.deps.requests.lastErrorAction(id),
      endTime: stored.endTime,
      now: this.deps.clock.now(),
    });
    if (!plan.ok) throw new ConflictError(plan.reason);
    const updated = await this.deps.requests.transition({
      id,
      from: 'error',
      to: plan.to,
      action: plan.action,
      actorRef: ctx.caller.userEntityRef,
      now: this.deps.clock.now(),
      message: `Retry requested by ${ctx.caller.userEntityRef}`,
      patch: {
        error_reason: null,
        attempts: 0,
        next_attempt_at: null,
        claimed_by: null,
        claimed_until: null,
      },
    });
    await this.deps.notifier.notify(updated, { kind: 'changed' });
    return (await this.toDtos(ctx, [updated]))[0];
  }

  /** Where the caller approves under today's policies (for reads). */
  private async approverScope(ctx: CallContext): Promise<ApproverScope> {
    const [tree, policies] = await Promise.all([
      this.deps.targets.tree(),
      this.deps.approverPolicies.list(),
    ]);
    // owners come from the catalog snapshot, which is part of the cache key
    const ownership = namesCatalogOwners(policies)
      ? await this.deps.accountCatalog.snapshot()
      : undefined;
    return {
      callerRef: ctx.caller.userEntityRef,
      grants: this.approverScopeBuilt.get(
        callerKey(ctx),
        [tree, ownership, ...policies],
        () =>
          mergeApproverGrants(
            approverScopeOf({
              callerRefs: ctx.caller.ownershipEntityRefs,
              policies,
              tree,
              ownershipOf: ownership
                ? id => ownership.of(id, tree.ancestors(id))
                : undefined,
            }),
          ),
      ),
    };
  }

  /**
   * The request's approvers as far as reading goes: those of the snapshot
   * who still approve its pair today, and the caller if they decided it.
   */
  private async effectiveApproverRefs(
    ctx: CallContext,
    stored: StoredRequest,
  ): Promise<string[]> {
    const [current, decisions] = await Promise.all([
      this.currentApproverRefs(stored),
      this.deps.requests.decisions([stored.id]),
    ]);
    const refs = stored.approverRefs.filter(ref =>
      current.some(c => sameRef(c, ref)),
    );
    if (
      (decisions.get(stored.id) ?? []).some(d =>
        sameRef(d.approverRef, ctx.caller.userEntityRef),
      )
    ) {
      refs.push(ctx.caller.userEntityRef);
    }
    return refs;
  }

  /**
   * A decision re-checks what creation checked: the deadline, and the
   * requester's eligibility under the request's terms. A request that no
   * longer qualifies is closed with the reason, and the requester is told.
   */
  private async recheckBeforeDecision(stored: StoredRequest) {
    const now = this.deps.clock.now();
    if (stored.expiresAt && now.getTime() >= Date.parse(stored.expiresAt)) {
      throw new ConflictError(
        `The request expired at ${stored.expiresAt} because nobody decided in time; it can no longer be decided`,
      );
    }
    const recheck = await this.deps.eligibility.recheck(stored);
    if (recheck.ok) return;
    const closed = await this.deps.requests.tryTransition({
      id: stored.id,
      from: 'pending',
      to: 'rejected',
      action: 'ineligible',
      actorRef: SYSTEM_ACTOR,
      now,
      message: recheck.reason,
      patch: { ended_at: now },
    });
    if (closed) {
      await this.deps.notifier.notify(
        { ...stored, status: 'rejected' },
        { kind: 'ineligible', reason: recheck.reason },
      );
    }
    throw new ConflictError(`${recheck.reason}; the request was closed`);
  }

  private async load(id: string): Promise<StoredRequest> {
    const stored = await this.deps.requests.get(id);
    if (!stored) throw new NotFoundError(`No request ${id}`);
    return stored;
  }

  /**
   * The approvers of the request's pair under today's policies and today's
   * owners in the catalog (the re-check).
   */
  async currentApproverRefs(request: {
    accountId: string;
    permissionSetArn: string;
  }): Promise<string[]> {
    const [tree, policies] = await Promise.all([
      this.deps.targets.tree(),
      this.deps.approverPolicies.list(),
    ]);
    return resolveApprovers({
      policies,
      tree,
      accountId: request.accountId,
      permissionSetArn: request.permissionSetArn,
      ownership: namesCatalogOwners(policies)
        ? await this.deps.accountCatalog.read(
            request.accountId,
            tree.ancestors(request.accountId),
          )
        : undefined,
    }).approverRefs;
  }

  /** The caller's view of requests: DTOs with per-row capabilities. */
  async toDtos(
    ctx: CallContext,
    requests: StoredRequest[],
    preloaded?: {
      tree: OrgTree;
      settings: ElevatedAccessSettings;
      approverPolicies: ApproverPolicy[];
    },
  ): Promise<AccessRequest[]> {
    if (!requests.length) return [];
    const [permissions, settings, approverPolicies, tree, decisions] =
      await Promise.all([
        this.callerPermissions(ctx),
        preloaded?.settings ?? this.deps.settings.current(),
        preloaded?.approverPolicies ?? this.deps.approverPolicies.list(),
        preloaded?.tree ?? this.treeOrUndefined(),
        this.deps.requests.decisions(requests.map(r => r.id)),
      ]);
    const ownership = namesCatalogOwners(approverPolicies)
      ? await this.deps.accountCatalog.snapshot()
      : undefined;
    return requests.map(r =>
      this.toDto(ctx.caller, r, {
        permissions,
        settings,
        currentApproverRefs: tree
          ? resolveApprovers({
              policies: approverPolicies,
              tree,
              accountId: r.accountId,
              permissionSetArn: r.permissionSetArn,
              ownership: ownership?.of(
                r.accountId,
                tree.ancestors(r.accountId),
              ),
            }).approverRefs
          : [],
        alreadyDecided: (decisions.get(r.id) ?? []).some(d =>
          sameRef(d.approverRef, ctx.caller.userEntityRef),
        ),
        decisions: decisions.get(r.id) ?? [],
      }),
    );
  }

  private async treeOrUndefined(): Promise<OrgTree | undefined> {
    try {
      return await this.deps.targets.tree();
    } catch (error) {
      // Without the tree nobody is shown as an approver in scope; decisions
      // themselves fail closed with the tree's error.
      this.deps.logger.warn(`Organisation tree unavailable: ${error}`);
      return undefined;
    }
  }

  private async callerPermissions(
    ctx: CallContext,
  ): Promise<CallerPermissions> {
    const [approve, revoke, isAdmin] = await Promise.all([
      this.deps.access.requestDecision(
        elevatedAccessRequestApprovePermission,
        ctx.credentials,
      ),
      this.deps.access.requestDecision(
        elevatedAccessRequestRevokePermission,
        ctx.credentials,
      ),
      this.deps.access.allows(
        elevatedAccessPolicyManagePermission,
        ctx.credentials,
      ),
    ]);
    return { approve, revoke, isAdmin };
  }

  private toDto(
    caller: Caller,
    r: StoredRequest,
    facts: {
      permissions: CallerPermissions;
      settings: ElevatedAccessSettings;
      currentApproverRefs: string[];
      alreadyDecided: boolean;
      decisions?: RequestDecision[];
    },
  ): AccessRequest {
    const resource = toResource(r);
    const template = facts.settings.ticketLinkTemplate;
    return {
      id: r.id,
      requesterRef: r.requesterRef,
      accountId: r.accountId,
      accountName: r.accountName,
      permissionSetArn: r.permissionSetArn,
      permissionSetName: r.permissionSetName,
      status: r.status,
      startTime: r.startTime,
      endTime: r.endTime,
      durationMinutes: r.durationMinutes,
      approvedDurationMinutes: r.approvedDurationMinutes,
      pendingExtensionId: r.pendingExtensionId,
      justification: r.justification,
      ticketId: r.ticketId,
      ticketUrl:
        r.ticketId && template
          ? template.replace('{ticket}', encodeURIComponent(r.ticketId))
          : undefined,
      approvalRequired: r.approvalRequired,
      minApprovals: r.minApprovals,
      approverRefs: r.approverRefs,
      approvals: r.approvals,
      expiresAt: r.status === 'pending' ? r.expiresAt : undefined,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      grantedAt: r.grantedAt,
      endedAt: r.endedAt,
      revokedBy: r.revokedBy,
      revokeComment: r.revokeComment,
      errorReason: r.errorReason,
      activityComplete: r.activityComplete,
      used: r.used,
      breakGlass: r.breakGlass,
      ...(r.sensitive && { sensitive: true }),
      awaitingReview: r.awaitingReview,
      review: r.review,
      decidedBy: facts.decisions?.map(d => ({
        approverRef: d.approverRef,
        decision: d.decision,
        createdAt: d.createdAt,
      })),
      capabilities: capabilitiesFor({
        caller,
        request: r,
        currentApproverRefs: facts.currentApproverRefs,
        alreadyDecided: facts.alreadyDecided,
        isAdmin: facts.permissions.isAdmin,
        permits: {
          approve: facts.permissions.approve.permits(resource),
          revoke: facts.permissions.revoke.permits(resource),
        },
      }),
    };
  }
}

/** An account summary with the catalog's sensitive mark, when it has one. */
function withSensitivity<T extends { id: string }>(
  account: T,
  ownership: OwnershipSnapshot,
  tree: OrgTree,
): T {
  return ownership.of(account.id, tree.ancestors(account.id)).sensitive
    ? { ...account, sensitive: true }
    : account;
}
