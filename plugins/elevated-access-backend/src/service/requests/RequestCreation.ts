import { NotAllowedError } from '@backstage/errors';
import {
  AccessRequest,
  CreateRequestInput,
  elevatedAccessRequestCreatePermission,
  eligibilityOptions,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { resolveApprovers } from '../../domain/approvers';
import { matchingEligibilityPolicies } from '../../domain/eligibility';
import { sameRef } from '../../domain/refs';
import { planRequest } from '../../domain/requestRules';
import { CallContext } from '../AccessControl';
import { RequestEligibility } from './RequestEligibility';
import { RequestServiceDeps } from './RequestServiceDeps';
import { RequestViews } from './RequestViews';

/**
 * Creating a request: the create permission, then eligibility, the approvers
 * of the pair and the plan (planRequest) decide what is stored; the requester
 * and approvers are told.
 */
export class RequestCreation {
  constructor(
    private readonly deps: Pick<
      RequestServiceDeps,
      | 'access'
      | 'targets'
      | 'settings'
      | 'eligibilityPolicies'
      | 'approverPolicies'
      | 'approverDirectory'
      | 'clock'
      | 'requests'
      | 'notifier'
    > & { requestEligibility: RequestEligibility; views: RequestViews },
  ) {}

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
    const ownership = await this.deps.requestEligibility.ownershipNow(
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
    const [dto] = await this.deps.views.toDtos(ctx, [stored], {
      tree,
      settings,
      approverPolicies,
    });
    return dto;
  }
}
