import {
  AccessRequest,
  ApproverPolicy,
  elevatedAccessPolicyManagePermission,
  elevatedAccessRequestApprovePermission,
  elevatedAccessRequestRevokePermission,
  ElevatedAccessSettings,
  RequestDecision,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { StoredRequest, toResource } from '../../database/RequestStore';
import { namesCatalogOwners, resolveApprovers } from '../../domain/approvers';
import { OrgTree } from '../../domain/OrgTree';
import { Caller, sameRef } from '../../domain/refs';
import { capabilitiesFor } from '../../domain/rules/capabilities';
import { CallContext, RequestPermissionDecision } from '../AccessControl';
import { RequestServiceDeps } from './RequestServiceDeps';

/** Everything the caller's permissions say about requests, evaluated once per call. */
interface CallerPermissions {
  approve: RequestPermissionDecision;
  revoke: RequestPermissionDecision;
  isAdmin: boolean;
}

/** The permissions toDtos asks for (a view prefetches them with its own). */
export const ROW_PERMISSIONS = [
  elevatedAccessRequestApprovePermission,
  elevatedAccessRequestRevokePermission,
  elevatedAccessPolicyManagePermission,
];

/**
 * Requests as the caller sees them: each with the ticket link and what the
 * caller may do with it (capabilities, by the same rules as the actions).
 */
export class RequestViews {
  constructor(
    private readonly deps: Pick<
      RequestServiceDeps,
      | 'access'
      | 'settings'
      | 'approverPolicies'
      | 'targets'
      | 'requests'
      | 'accountCatalog'
      | 'logger'
    >,
  ) {}

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
