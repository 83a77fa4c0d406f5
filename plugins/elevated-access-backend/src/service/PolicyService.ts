import { AuthService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { stringifyEntityRef, parseEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ApproverPolicy,
  ApproverPolicyInput,
  EligibilityPolicyInput,
  isOwnerApproverToken,
  ElevatedAccessSettings,
  elevatedAccessAuditReadPermission,
  elevatedAccessPolicyManagePermission,
  FieldErrors,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { PolicyStore } from '../database/PolicyStore';
import { AccountOwnership, resolveApprovers } from '../domain/approvers';
import { OrgTree } from '../domain/OrgTree';
import { normalizeRef, normalizeRefs } from '../domain/refs';
import { AccountCatalog } from './AccountCatalog';
import { AccessControl, CallContext } from './AccessControl';
import { Clock } from './Clock';
import { TargetsService } from './TargetsService';
import { FieldInputError } from '../domain/FieldInputError';

/** Checks that the users and groups a policy names exist in the catalog. */
export class CatalogEntityChecker {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async missing(refs: string[]): Promise<string[]> {
    if (!refs.length) return [];
    const normalized = refs.map(r => stringifyEntityRef(parseEntityRef(r)));
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs: normalized, fields: ['kind', 'metadata.name'] },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );
    return refs.filter((_, i) => !items[i]);
  }
}

type Kind = 'eligibility' | 'approver';

/** How many accounts a warning names before it says "and N more". */
const NAMED_ACCOUNTS = 5;

/**
 * What an admin should know about an eligibility policy they save: the pairs
 * it makes requestable with approval that no approver policy covers, whose
 * requests would be refused at creation (nobody could approve them). Pure:
 * the tree, the settings and the approver policies are given.
 */
export function uncoveredPairWarnings(options: {
  policy: Pick<
    EligibilityPolicyInput,
    'accounts' | 'ous' | 'permissionSets' | 'approvalRequired'
  >;
  tree: OrgTree;
  settings: Pick<ElevatedAccessSettings, 'approvalRequired'>;
  approverPolicies: ApproverPolicy[];
  /** The catalog's owners, for policies naming `owner` or `system-owner`. */
  ownershipOf?: (accountId: string) => AccountOwnership;
}): string[] {
  const { policy, tree, settings, approverPolicies } = options;
  if (!policy.approvalRequired || !settings.approvalRequired) return [];
  const accounts = tree
    .requestableAccounts()
    .filter(a => tree.covers(policy, a.id));
  const warnings: string[] = [];
  for (const arn of policy.permissionSets) {
    const uncovered = accounts.filter(
      a =>
        resolveApprovers({
          policies: approverPolicies,
          tree,
          accountId: a.id,
          permissionSetArn: arn,
          ownership: options.ownershipOf?.(a.id),
        }).approverRefs.length === 0,
    );
    if (!uncovered.length) continue;
    const names = uncovered.map(a => a.name).sort();
    const shown = names.slice(0, NAMED_ACCOUNTS).join(', ');
    const more =
      names.length > NAMED_ACCOUNTS
        ? ` and ${names.length - NAMED_ACCOUNTS} more`
        : '';
    warnings.push(
      `No approver policy covers ${
        tree.permissionSet(arn)?.name ?? arn
      } on ${shown}${more}: requests for ${
        uncovered.length === 1 ? 'it' : 'them'
      } need approval and will be refused until an approver policy covers ${
        uncovered.length === 1 ? 'it' : 'them'
      }.`,
    );
  }
  return warnings;
}

/**
 * The policy with its users and groups spelled as they are stored and
 * compared everywhere (see normalizeRef): a bare name is a user.
 */
function normalizePolicyRefs<
  T extends EligibilityPolicyInput | ApproverPolicyInput,
>(input: T): T {
  return 'principals' in input
    ? { ...input, principals: normalizeRefs(input.principals) }
    : {
        ...input,
        approvers: [
          ...new Set(
            input.approvers.map(a =>
              isOwnerApproverToken(a) ? a : normalizeRef(a),
            ),
          ),
        ],
      };
}

/**
 * Policy administration. Auditors and admins read; only admins write. A
 * policy may only name accounts, OUs and permission sets that exist, and
 * users and groups that the catalog knows.
 */
export class PolicyService {
  constructor(
    private readonly deps: {
      eligibility: PolicyStore<'eligibility'>;
      approver: PolicyStore<'approver'>;
      access: AccessControl;
      targets: TargetsService;
      entities: { missing(refs: string[]): Promise<string[]> };
      clock: Clock;
      /** For warnings about pairs that need approval (absent: none given). */
      settings?: { current(): Promise<ElevatedAccessSettings> };
      /** Owners in the catalog, for those warnings (absent: none known). */
      accountCatalog?: AccountCatalog;
    },
  ) {}

  /** The saved policy with its warnings (eligibility policies only). */
  private async withWarnings<T extends object>(
    kind: Kind,
    input: EligibilityPolicyInput | ApproverPolicyInput,
    saved: T,
  ): Promise<T & { warnings?: string[] }> {
    if (kind !== 'eligibility' || !this.deps.settings) return saved;
    let warnings: string[];
    try {
      const [tree, settings, approverPolicies, ownership] = await Promise.all([
        this.deps.targets.tree(),
        this.deps.settings.current(),
        this.deps.approver.list(),
        this.deps.accountCatalog?.snapshot(),
      ]);
      warnings = uncoveredPairWarnings({
        policy: input as EligibilityPolicyInput,
        tree,
        settings,
        approverPolicies,
        ownershipOf: ownership
          ? id => ownership.of(id, tree.ancestors(id))
          : undefined,
      });
    } catch {
      // the policy is saved; warnings are advice, never a failed save
      return saved;
    }
    return warnings.length ? { ...saved, warnings } : saved;
  }

  private store<K extends Kind>(kind: K): PolicyStore<K> {
    return (
      kind === 'eligibility' ? this.deps.eligibility : this.deps.approver
    ) as PolicyStore<K>;
  }

  private async requireRead(ctx: CallContext) {
    await this.deps.access.requireAny(
      [elevatedAccessAuditReadPermission, elevatedAccessPolicyManagePermission],
      ctx.credentials,
      'Only auditors and admins can read policies',
    );
  }

  private async requireManage(ctx: CallContext) {
    await this.deps.access.require(
      elevatedAccessPolicyManagePermission,
      ctx.credentials,
      'Only Elevated Access admins can change policies',
    );
  }

  async list(ctx: CallContext, kind: Kind) {
    await this.requireRead(ctx);
    return { items: await this.store(kind).list() };
  }

  async get(ctx: CallContext, kind: Kind, id: string) {
    await this.requireRead(ctx);
    const policy = await this.store(kind).get(id);
    if (!policy) {
      throw new NotFoundError(`No ${kind} policy ${id}`);
    }
    return { ...policy, events: await this.store(kind).events(id) };
  }

  async create(
    ctx: CallContext,
    kind: 'eligibility',
    input: EligibilityPolicyInput,
  ): Promise<unknown>;
  async create(
    ctx: CallContext,
    kind: 'approver',
    input: ApproverPolicyInput,
  ): Promise<unknown>;
  async create(
    ctx: CallContext,
    kind: Kind,
    input: EligibilityPolicyInput | ApproverPolicyInput,
  ) {
    await this.requireManage(ctx);
    const policy = normalizePolicyRefs(input);
    await this.validate(policy);
    const saved = await this.store(kind).create(
      policy as never,
      ctx.caller.userEntityRef,
      this.deps.clock.now(),
    );
    return this.withWarnings(kind, policy, saved);
  }

  async update(
    ctx: CallContext,
    kind: 'eligibility',
    id: string,
    input: EligibilityPolicyInput,
  ): Promise<unknown>;
  async update(
    ctx: CallContext,
    kind: 'approver',
    id: string,
    input: ApproverPolicyInput,
  ): Promise<unknown>;
  async update(
    ctx: CallContext,
    kind: Kind,
    id: string,
    input: EligibilityPolicyInput | ApproverPolicyInput,
  ) {
    await this.requireManage(ctx);
    const policy = normalizePolicyRefs(input);
    await this.validate(policy);
    const saved = await this.store(kind).update(
      id,
      policy as never,
      ctx.caller.userEntityRef,
      this.deps.clock.now(),
    );
    return this.withWarnings(kind, policy, saved);
  }

  async delete(ctx: CallContext, kind: Kind, id: string) {
    await this.requireManage(ctx);
    await this.store(kind).delete(
      id,
      ctx.caller.userEntityRef,
      this.deps.clock.now(),
    );
  }

  private async validate(input: EligibilityPolicyInput | ApproverPolicyInput) {
    const tree = await this.deps.targets.tree();
    // a field with two problems says both, one sentence after the other
    const problems: FieldErrors = {};
    const add = (field: string, message: string) => {
      problems[field] = problems[field]
        ? `${problems[field]}. ${message}`
        : message;
    };
    const unknownAccounts = input.accounts.filter(id => !tree.account(id));
    if (unknownAccounts.length)
      add('accounts', `Unknown account ${unknownAccounts.join(', ')}`);
    const management = input.accounts.filter(
      id => tree.account(id)?.isManagementAccount,
    );
    if (management.length) {
      add(
        'accounts',
        `The management account ${management.join(
          ', ',
        )} cannot be granted through Elevated Access`,
      );
    }
    const unknownOus = input.ous.filter(id => !tree.hasOu(id));
    if (unknownOus.length) add('ous', `Unknown OU ${unknownOus.join(', ')}`);
    const unknownSets = input.permissionSets.filter(
      arn => !tree.permissionSet(arn),
    );
    if (unknownSets.length) {
      add('permissionSets', `Unknown permission set ${unknownSets.join(', ')}`);
    }
    const refs =
      'principals' in input
        ? input.principals
        : input.approvers.filter(a => !isOwnerApproverToken(a));
    const missing = await this.deps.entities.missing(refs);
    if (missing.length) {
      add(
        'principals' in input ? 'principals' : 'approvers',
        `Not in the catalog: ${missing.join(', ')}`,
      );
    }
    if (Object.keys(problems).length) {
      throw new FieldInputError(problems);
    }
  }
}
