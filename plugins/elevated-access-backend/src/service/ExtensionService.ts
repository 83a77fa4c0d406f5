import { NotFoundError } from '@backstage/errors';
import {
  CommentInput,
  elevatedAccessRequestApprovePermission,
  elevatedAccessRequestCreatePermission,
  eligibilityOptions,
  ExtendInput,
  RequestExtension,
  RequestExtensionsResponse,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { ExtensionStore, StoredExtension } from '../database/ExtensionStore';
import { toResource } from '../database/RequestStore';
import { resolveApprovers } from '../domain/approvers';
import { matchingEligibilityPolicies } from '../domain/eligibility';
import { planExtension } from '../domain/extensionRules';
import {
  assertCanDecideExtension,
  canDecideExtension,
  extensionDecisionRefusedByPolicy,
} from '../domain/rules/decideExtension';
import { assertCanExtend, extendRule } from '../domain/rules/extend';
import { sameRef } from '../domain/refs';
import { CallContext } from './AccessControl';
import { RequestService } from './RequestService';
import { RequestServiceDeps } from './requests/RequestServiceDeps';

/** Without what only the backend keeps. */
function toDto({
  policyIds: _policyIds,
  ...ext
}: StoredExtension): RequestExtension {
  return ext;
}

/**
 * Extend in place (issue 14 §2): the requester asks for more time while the
 * access is active; one policy's terms for the whole window from the grant
 * decide whether the end moves at once, approvers must decide, or it is
 * refused. No AWS call is ever made: the assignment stays and the lifecycle
 * task ends it at the (new) end.
 */
export class ExtensionService {
  constructor(
    private readonly deps: Pick<
      RequestServiceDeps,
      | 'requests'
      | 'eligibilityPolicies'
      | 'approverPolicies'
      | 'settings'
      | 'targets'
      | 'access'
      | 'approverDirectory'
      | 'notifier'
      | 'clock'
    > & {
      extensions: ExtensionStore;
      /** Reading a request (its authorization) is the request service's. */
      requestService: RequestService;
    },
  ) {}

  /** The request's extensions and what the caller may do (readers of the request only). */
  async list(ctx: CallContext, id: string): Promise<RequestExtensionsResponse> {
    const request = await this.deps.requestService.get(ctx, id);
    const extensions = await this.deps.extensions.listFor(id);
    const pending = extensions.find(e => e.status === 'pending');
    const now = this.deps.clock.now();
    const canExtend =
      !pending &&
      extendRule({ caller: ctx.caller, request, now }).allowed &&
      (await this.deps.access.allows(
        elevatedAccessRequestCreatePermission,
        ctx.credentials,
      ));
    let canDecide = false;
    if (pending) {
      const [permission, current, voters] = await Promise.all([
        this.deps.access.requestDecision(
          elevatedAccessRequestApprovePermission,
          ctx.credentials,
        ),
        this.deps.requestService.currentApproverRefs(request),
        this.deps.extensions.voters(pending.id),
      ]);
      const stored = await this.load(id);
      canDecide =
        permission.permits(toResource(stored)) &&
        canDecideExtension({
          caller: ctx.caller,
          extension: pending,
          what: `${request.permissionSetName} on ${request.accountName}`,
          currentApproverRefs: current,
          alreadyDecided: voters.some(v =>
            sameRef(v, ctx.caller.userEntityRef),
          ),
        });
    }
    return {
      canExtend,
      ...(pending && { pending: { ...toDto(pending), canDecide } }),
      extensions: extensions.map(toDto),
    };
  }

  async extend(
    ctx: CallContext,
    id: string,
    input: ExtendInput,
  ): Promise<RequestExtension> {
    const stored = await this.load(id);
    await this.deps.access.require(
      elevatedAccessRequestCreatePermission,
      ctx.credentials,
      'You may not request elevated access',
    );
    const now = this.deps.clock.now();
    assertCanExtend(ctx.caller, stored, now);
    const [tree, settings, policies, approverPolicies] = await Promise.all([
      this.deps.targets.tree(),
      this.deps.settings.current(),
      this.deps.eligibilityPolicies.list(),
      this.deps.approverPolicies.list(),
    ]);
    const options = eligibilityOptions(
      matchingEligibilityPolicies({
        caller: ctx.caller,
        policies,
        tree,
        accountId: stored.accountId,
        permissionSetArn: stored.permissionSetArn,
      }),
      settings,
    );
    const approvers = resolveApprovers({
      policies: approverPolicies,
      tree,
      accountId: stored.accountId,
      permissionSetArn: stored.permissionSetArn,
      ownership: await this.deps.requestService.ownershipNow(
        tree,
        stored.accountId,
        approverPolicies,
      ),
    });
    const otherApprovers =
      options.some(o => o.approvalRequired) && approvers.approverRefs.length
        ? (
            await this.deps.approverDirectory.usersOf(approvers.approverRefs)
          ).filter(u => !sameRef(u, ctx.caller.userEntityRef)).length
        : 0;
    const plan = planExtension({
      request: stored,
      addedMinutes: input.durationMinutes,
      options,
      approvers,
      otherApprovers,
    });
    const extension = await this.deps.extensions.create({
      requestId: id,
      requestVersion: stored.version,
      requesterRef: ctx.caller.userEntityRef,
      addedMinutes: input.durationMinutes,
      totalMinutes: plan.totalMinutes,
      justification: input.justification,
      approvalRequired: plan.approvalRequired,
      minApprovals: plan.minApprovals,
      approverRefs: plan.approverRefs,
      policyIds: plan.policyIds,
      previousEndTime: new Date(stored.endTime),
      newEndTime: plan.newEndTime,
      now,
    });
    const updated = await this.load(id);
    await this.deps.notifier.notify(
      { ...updated, approverRefs: extension.approverRefs },
      extension.status === 'pending'
        ? {
            kind: 'extension-requested',
            addedMinutes: extension.addedMinutes,
            totalMinutes: extension.totalMinutes,
            justification: extension.justification,
          }
        : { kind: 'extended', addedMinutes: extension.addedMinutes },
    );
    return toDto(extension);
  }

  async decide(
    ctx: CallContext,
    id: string,
    decision: 'approve' | 'reject',
    input: CommentInput,
  ): Promise<RequestExtension> {
    const stored = await this.load(id);
    await this.deps.access.requirePermits(
      elevatedAccessRequestApprovePermission,
      ctx.credentials,
      toResource(stored),
      () => extensionDecisionRefusedByPolicy(ctx.caller, stored),
    );
    const pending = (await this.deps.extensions.listFor(id)).find(
      e => e.status === 'pending',
    );
    if (!pending) {
      throw new NotFoundError(
        'This request has no extension awaiting a decision',
      );
    }
    const [settings, currentApproverRefs, voters] = await Promise.all([
      this.deps.settings.current(),
      this.deps.requestService.currentApproverRefs(stored),
      this.deps.extensions.voters(pending.id),
    ]);
    assertCanDecideExtension({
      caller: ctx.caller,
      extension: pending,
      what: `${stored.permissionSetName} on ${stored.accountName}`,
      currentApproverRefs,
      alreadyDecided: voters.some(v => sameRef(v, ctx.caller.userEntityRef)),
      decision,
      comment: input.comment,
      settings,
    });
    const decided = await this.deps.extensions.recordDecision({
      extensionId: pending.id,
      approverRef: ctx.caller.userEntityRef,
      decision,
      comment: input.comment,
      now: this.deps.clock.now(),
    });
    const updated = await this.load(id);
    const request = { ...updated, approverRefs: decided.approverRefs };
    const actorRef = ctx.caller.userEntityRef;
    if (decided.status === 'approved') {
      await this.deps.notifier.notify(request, {
        kind: 'extended',
        addedMinutes: decided.addedMinutes,
        actorRef,
      });
    } else if (decided.status === 'rejected') {
      await this.deps.notifier.notify(request, {
        kind: 'extension-rejected',
        addedMinutes: decided.addedMinutes,
        actorRef,
        comment: input.comment,
      });
    } else {
      await this.deps.notifier.notify(request, { kind: 'changed' });
    }
    return toDto(decided);
  }

  private async load(id: string) {
    const stored = await this.deps.requests.get(id);
    if (!stored) throw new NotFoundError(`No request ${id}`);
    return stored;
  }
}
