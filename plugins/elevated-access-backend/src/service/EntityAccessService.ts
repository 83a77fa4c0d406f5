import {
  Entity,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AccountSummary,
  EligiblePair,
  EntityAccessResponse,
  PermissionSetSummary,
  accountIdsOfEntity,
  elevatedAccessHoldersReadPermission,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { RequestStore } from '../database/RequestStore';
import { AccessControl, CallContext } from './AccessControl';
import { Clock } from './Clock';
import { RequestService } from './RequestService';
import { TargetsService } from './TargetsService';

/** Most related entities looked at for account ids. */
const RELATED_LIMIT = 200;
/** Most grants one entity card lists. */
const GRANTS_LIMIT = 100;

/**
 * What an entity's page shows of elevated access: the AWS accounts the entity
 * is about (its account id annotation, and the account entities it depends
 * on or has as parts), who holds access to them now or soon, and what the
 * caller may request there. The entity is read with the caller's own
 * credentials, so the catalog's permissions decide what they may see.
 */
export class EntityAccessService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      access: AccessControl;
      targets: TargetsService;
      requests: RequestStore;
      requestService: RequestService;
      clock: Clock;
    },
  ) {}

  async forEntity(
    ctx: CallContext,
    entityRef: string,
  ): Promise<EntityAccessResponse> {
    await this.deps.access.require(
      elevatedAccessHoldersReadPermission,
      ctx.credentials,
      'You may not see who holds elevated access',
    );
    const ref = stringifyEntityRef(parseEntityRef(entityRef));
    const entity = await this.deps.catalog.getEntityByRef(ref, {
      credentials: ctx.credentials,
    });
    if (!entity) {
      throw new NotFoundError(
        `There is no ${ref} in the catalog, or you may not see it`,
      );
    }
    const accountIds = await this.accountIdsOf(ctx, entity);
    const tree = await this.deps.targets.tree();
    const known = accountIds.filter(id => tree.account(id));
    const [grants, eligibility] = await Promise.all([
      this.deps.requests.grantsOn(known, this.deps.clock.now(), GRANTS_LIMIT),
      Promise.all(
        known.map(accountId =>
          this.deps.requestService.eligibility(ctx, { accountId }),
        ),
      ),
    ]);
    const summaries = new Map<string, AccountSummary>();
    const permissionSets = new Map<string, PermissionSetSummary>();
    const pairs: EligiblePair[] = [];
    for (const answer of eligibility) {
      answer.accounts.forEach(a => summaries.set(a.id, a));
      answer.permissionSets.forEach(p => permissionSets.set(p.arn, p));
      pairs.push(...answer.pairs);
    }
    return {
      entityRef: ref,
      accounts: known
        .map(id => summaries.get(id) ?? tree.accountSummary(id)!)
        .sort((a, b) => a.name.localeCompare(b.name)),
      unknownAccountIds: accountIds.filter(id => !tree.account(id)),
      grants: grants.map(r => ({
        accountId: r.accountId,
        accountName: r.accountName,
        permissionSetName: r.permissionSetName,
        requesterRef: r.requesterRef,
        status: r.status,
        startTime: r.startTime,
        endTime: r.endTime,
        breakGlass: r.breakGlass,
      })),
      pairs,
      permissionSets: [...permissionSets.values()].sort((a, b) =>
        a.name.localeCompare(b.name),
      ),
    };
  }

  /** The entity's own account ids and those of the resources it relates to. */
  private async accountIdsOf(
    ctx: CallContext,
    entity: Entity,
  ): Promise<string[]> {
    const ids = new Set(accountIdsOfEntity(entity));
    const related = [
      ...new Set(
        (entity.relations ?? [])
          .filter(
            r =>
              (r.type === RELATION_DEPENDS_ON ||
                r.type === RELATION_HAS_PART) &&
              parseEntityRef(r.targetRef).kind.toLocaleLowerCase('en-US') ===
                'resource',
          )
          .map(r => r.targetRef),
      ),
    ].slice(0, RELATED_LIMIT);
    if (related.length) {
      const { items } = await this.deps.catalog.getEntitiesByRefs(
        {
          entityRefs: related,
          fields: ['kind', 'metadata.name', 'metadata.annotations'],
        },
        { credentials: ctx.credentials },
      );
      for (const item of items) {
        if (item) accountIdsOfEntity(item).forEach(id => ids.add(id));
      }
    }
    return [...ids];
  }
}
