import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  AccessRequest,
  ApproveInput,
  CommentInput,
  formatMinutes,
  elevatedAccessPolicyManagePermission,
  elevatedAccessRequestApprovePermission,
  elevatedAccessRequestRevokePermission,
  ElevatedAccessRequestPermission,
  ReviewInput,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { StoredRequest, toResource } from '../../database/RequestStore';
import { planRetry } from '../../domain/provisioningRules';
import { sameRef } from '../../domain/refs';
import {
  assertCanCancel,
  CANCEL_REFUSED_BY_POLICY,
} from '../../domain/rules/cancel';
import {
  assertCanDecide,
  decisionRefusedByPolicy,
} from '../../domain/rules/decide';
import { assertCanRetry } from '../../domain/rules/retry';
import {
  assertCanReview,
  reviewRefusedByPolicy,
} from '../../domain/rules/review';
import {
  assertCanRevoke,
  REVOKE_REFUSED_BY_POLICY,
} from '../../domain/rules/revoke';
import { CallContext } from '../AccessControl';
import { RequestNews } from '../RequestNotifier';
import { SYSTEM_ACTOR } from '../../jobs/systemActor';
import { FieldInputError } from '../../domain/FieldInputError';
import { RequestApprovers } from './RequestApprovers';
import { RequestServiceDeps } from './RequestServiceDeps';
import { RequestViews } from './RequestViews';

/**
 * What people do to a request once made: approve, reject, review, cancel,
 * revoke and retry. Each action passes the permission framework first and
 * then its rule (domain/rules); both must allow it.
 */
export class RequestActions {
  constructor(
    private readonly deps: Pick<
      RequestServiceDeps,
      'access' | 'requests' | 'settings' | 'clock' | 'notifier' | 'eligibility'
    > & { approvers: RequestApprovers; views: RequestViews },
  ) {}

  async decide(
    ctx: CallContext,
    id: string,
    decision: 'approve' | 'reject',
    input: ApproveInput,
  ): Promise<AccessRequest> {
    const stored = await this.loadPermitted(
      ctx,
      id,
      elevatedAccessRequestApprovePermission,
      request => decisionRefusedByPolicy(ctx.caller, request),
    );
    const [settings, currentApproverRefs, decisions] = await Promise.all([
      this.deps.settings.current(),
      this.deps.approvers.currentApproverRefs(stored),
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
    return this.announce(ctx, updated, news);
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
    const stored = await this.loadPermitted(
      ctx,
      id,
      elevatedAccessRequestApprovePermission,
      request => reviewRefusedByPolicy(ctx.caller, request),
    );
    assertCanReview(await this.approverFacts(ctx, stored));
    const updated = await this.deps.requests.recordReview({
      id,
      reviewerRef: ctx.caller.userEntityRef,
      outcome: input.outcome,
      comment: input.comment,
      now: this.deps.clock.now(),
    });
    return this.announce(ctx, updated, {
      kind: 'reviewed',
      actorRef: ctx.caller.userEntityRef,
      outcome: input.outcome,
      comment: input.comment,
    });
  }

  async cancel(ctx: CallContext, id: string): Promise<AccessRequest> {
    const stored = await this.loadPermitted(
      ctx,
      id,
      elevatedAccessRequestRevokePermission,
      () => CANCEL_REFUSED_BY_POLICY,
    );
    assertCanCancel(ctx.caller, stored);
    const now = this.deps.clock.now();
    const updated = await this.deps.requests.close({
      id,
      from: stored.status,
      to: 'cancelled',
      action: 'cancel',
      actorRef: ctx.caller.userEntityRef,
      now,
      message: 'Cancelled by the requester',
    });
    return this.announce(ctx, updated, { kind: 'cancelled' });
  }

  async revoke(
    ctx: CallContext,
    id: string,
    input: CommentInput,
  ): Promise<AccessRequest> {
    const stored = await this.loadPermitted(
      ctx,
      id,
      elevatedAccessRequestRevokePermission,
      () => REVOKE_REFUSED_BY_POLICY,
    );
    const [settings, facts] = await Promise.all([
      this.deps.settings.current(),
      this.approverFacts(ctx, stored),
    ]);
    assertCanRevoke({ ...facts, comment: input.comment, settings });
    const now = this.deps.clock.now();
    const message = `Revoked by ${ctx.caller.userEntityRef}${
      input.comment ? `: ${input.comment}` : ''
    }`;
    // Nothing was granted yet: the request ends here. Otherwise the lifecycle
    // task removes the assignment and then marks it revoked.
    const updated = await this.deps.requests.revoke({
      id,
      from: stored.status,
      to: stored.status === 'approved' ? 'revoked' : 'revoking',
      action: 'revoke',
      actorRef: ctx.caller.userEntityRef,
      now,
      message,
      comment: input.comment,
    });
    return this.announce(ctx, updated, {
      kind: 'revoked',
      actorRef: ctx.caller.userEntityRef,
      comment: input.comment,
    });
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
    const updated = await this.deps.requests.retryFailed({
      id,
      from: 'error',
      to: plan.to,
      action: plan.action,
      actorRef: ctx.caller.userEntityRef,
      now: this.deps.clock.now(),
      message: `Retry requested by ${ctx.caller.userEntityRef}`,
    });
    return this.announce(ctx, updated, { kind: 'changed' });
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
    const closed = await this.deps.requests.tryClose({
      id: stored.id,
      from: 'pending',
      to: 'rejected',
      action: 'ineligible',
      actorRef: SYSTEM_ACTOR,
      now,
      message: recheck.reason,
    });
    if (closed) {
      await this.deps.notifier.notify(
        { ...stored, status: 'rejected' },
        { kind: 'ineligible', reason: recheck.reason },
      );
    }
    throw new ConflictError(`${recheck.reason}; the request was closed`);
  }

  /**
   * Loads the request and asks the permission framework first: a refusal
   * says why in the rule's own words.
   */
  private async loadPermitted(
    ctx: CallContext,
    id: string,
    permission: ElevatedAccessRequestPermission,
    refusal: (stored: StoredRequest) => string,
  ): Promise<StoredRequest> {
    const stored = await this.load(id);
    await this.deps.access.requirePermits(
      permission,
      ctx.credentials,
      toResource(stored),
      () => refusal(stored),
    );
    return stored;
  }

  /**
   * What the review and revoke rules ask besides the request: its approvers
   * under today's policies, and whether the caller is an admin.
   */
  private async approverFacts(ctx: CallContext, stored: StoredRequest) {
    const [currentApproverRefs, isAdmin] = await Promise.all([
      this.deps.approvers.currentApproverRefs(stored),
      this.deps.access.allows(
        elevatedAccessPolicyManagePermission,
        ctx.credentials,
      ),
    ]);
    return {
      caller: ctx.caller,
      request: stored,
      currentApproverRefs,
      isAdmin,
    };
  }

  /**
   * Tells those concerned what changed, and returns the request as the
   * caller sees it.
   */
  private async announce(
    ctx: CallContext,
    updated: StoredRequest,
    news: RequestNews,
  ): Promise<AccessRequest> {
    await this.deps.notifier.notify(updated, news);
    return (await this.deps.views.toDtos(ctx, [updated]))[0];
  }

  private async load(id: string): Promise<StoredRequest> {
    const stored = await this.deps.requests.get(id);
    if (!stored) throw new NotFoundError(`No request ${id}`);
    return stored;
  }
}
