import {
  ApproverPolicy,
  EligibilityQuery,
  EligibilityResponse,
  EligibleAccountsQuery,
  EligibleAccountsResponse,
  elevatedAccessRequestCreatePermission,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  AccountOwnership,
  namesCatalogOwners,
  resolveApprovers,
} from '../../domain/approvers';
import { OwnershipSnapshot } from '../AccountCatalog';
import { CallerCache } from '../CallerCache';
import { CallerEligibility, hasEligiblePair } from '../../domain/eligibility';
import { OrgTree } from '../../domain/OrgTree';
import { intersects, sameRef } from '../../domain/refs';
import { CallContext } from '../AccessControl';
import { RequestServiceDeps } from './RequestServiceDeps';
import { callerKey, CALLERS_KEPT } from './callerKey';

/**
 * What the caller may request: the form's account picker, every pair with its
 * terms and approvers, whether they may request anything at all, and what the
 * catalog says of an account now.
 */
export class RequestEligibility {
  constructor(
    private readonly deps: Pick<
      RequestServiceDeps,
      | 'targets'
      | 'settings'
      | 'eligibilityPolicies'
      | 'approverPolicies'
      | 'accountCatalog'
      | 'approverDirectory'
      | 'access'
    >,
  ) {}

  /**
   * The recent callers' eligibility: the form's account picker asks on every
   * keystroke, and building it walks thousands of policies and accounts.
   */
  private readonly eligibilityBuilt = new CallerCache<CallerEligibility>(
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
   * Whether the caller may request anything at all: the permission to create
   * requests and at least one eligible (account, permission set) pair. When
   * the organisation cannot be read, a policy naming the caller is enough
   * (the form then explains what is wrong rather than disappearing).
   */
  async canRequest(ctx: CallContext): Promise<boolean> {
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
