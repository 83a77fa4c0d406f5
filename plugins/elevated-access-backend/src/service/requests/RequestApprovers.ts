import { ApproverPolicy } from '@elevated-access/backstage-plugin-elevated-access-common';
import { StoredRequest } from '../../database/RequestStore';
import {
  ApproverGrant,
  approverScopeOf,
  mergeApproverGrants,
  namesCatalogOwners,
  resolveApprovers,
} from '../../domain/approvers';
import { ApproverScope } from '../../database/permissionFilter';
import { CallerCache } from '../CallerCache';
import { intersects, sameRef } from '../../domain/refs';
import { CallContext } from '../AccessControl';
import { RequestServiceDeps } from './RequestServiceDeps';
import { callerKey, CALLERS_KEPT } from './callerKey';

/**
 * Who approves requests under today's policies and today's owners in the
 * catalog: a request's current approvers (what decisions re-check), and where
 * the caller approves (what reads are scoped to).
 */
export class RequestApprovers {
  constructor(
    private readonly deps: Pick<
      RequestServiceDeps,
      'targets' | 'approverPolicies' | 'accountCatalog' | 'requests'
    >,
  ) {}

  /**
   * The recent callers' approver scope: every page asks GET /me, and building
   * it walks every approver policy over every account.
   */
  private readonly approverScopeBuilt = new CallerCache<ApproverGrant[]>(
    CALLERS_KEPT,
  );

  /** Where the caller approves under today's policies (for reads). */
  async approverScope(ctx: CallContext): Promise<ApproverScope> {
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
   * Whether a current policy makes the caller an approver: by name, or as
   * the catalog owner of an account a policy naming owners covers.
   */
  async approvesToday(
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

  /**
   * The request's approvers as far as reading goes: those of the snapshot
   * who still approve its pair today, and the caller if they decided it.
   */
  async effectiveApproverRefs(
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
}
