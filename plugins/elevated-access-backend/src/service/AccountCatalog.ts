import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  Entity,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  parseEntityRef,
} from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import {
  AWS_ACCOUNT_ID_ANNOTATIONS,
  AWS_OU_ID_ANNOTATION,
  AWS_OU_RESOURCE_TYPE,
  accountIdsOfEntity,
  isMarkedSensitive,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AccountOwnership, UNKNOWN_OWNERSHIP } from '../domain/approvers';
import { normalizeRef } from '../domain/refs';
import { Clock } from './Clock';

/** What the catalog says of the accounts at one moment. */
export interface OwnershipSnapshot {
  /**
   * One account's owners and sensitivity; `ancestorOuIds` are its OUs (from
   * the organisation tree), any of which may be marked sensitive.
   */
  of(accountId: string, ancestorOuIds: readonly string[]): AccountOwnership;
}

/**
 * The AWS accounts' catalog entities: `Resource` entities with the account id
 * annotation (written by the catalog module of this plugin, by Backstage's
 * AWS module, or by hand), their owners, their System's owners, and the
 * accounts and OUs marked sensitive.
 */
export interface AccountCatalog {
  /**
   * Every account, read at most `maxAgeMs` ago (lists and inbox scopes); the
   * last good read while the catalog fails.
   */
  snapshot(): Promise<OwnershipSnapshot>;
  /**
   * One account read now: creating and deciding a request use today's
   * owners. Throws a 503 when the catalog cannot be read.
   */
  read(
    accountId: string,
    ancestorOuIds: readonly string[],
  ): Promise<AccountOwnership>;
}

const ENTITY_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.annotations',
  'spec.type',
  'spec.owner',
  'spec.system',
  'relations',
];

interface AccountEntry {
  ownerRefs: string[];
  systemRef?: string;
  sensitive: boolean;
}

/** Owners of an entity: its ownedBy relations, else its spec.owner. */
function ownersOf(entity: Entity): string[] {
  const related = (entity.relations ?? [])
    .filter(r => r.type === RELATION_OWNED_BY)
    .map(r => normalizeRef(r.targetRef));
  if (related.length) return [...new Set(related)];
  const owner = entity.spec?.owner;
  return typeof owner === 'string' && owner
    ? [normalizeRef(owner, 'group')]
    : [];
}

/** The System an entity is part of: its partOf relation, else spec.system. */
function systemOf(entity: Entity): string | undefined {
  const related = (entity.relations ?? []).find(
    r =>
      r.type === RELATION_PART_OF &&
      parseEntityRef(r.targetRef).kind.toLocaleLowerCase('en-US') === 'system',
  );
  if (related) return normalizeRef(related.targetRef);
  const system = entity.spec?.system;
  return typeof system === 'string' && system
    ? normalizeRef(system, 'system')
    : undefined;
}

class Snapshot implements OwnershipSnapshot {
  constructor(
    private readonly accounts: Map<string, AccountEntry>,
    private readonly systemOwners: Map<string, string[]>,
    private readonly sensitiveOus: Set<string>,
  ) {}

  of(accountId: string, ancestorOuIds: readonly string[]): AccountOwnership {
    const entry = this.accounts.get(accountId);
    const sensitive =
      Boolean(entry?.sensitive) ||
      ancestorOuIds.some(id => this.sensitiveOus.has(id));
    if (!entry)
      return sensitive
        ? { ...UNKNOWN_OWNERSHIP, sensitive }
        : UNKNOWN_OWNERSHIP;
    return {
      ownerRefs: entry.ownerRefs,
      systemOwnerRefs: entry.systemRef
        ? this.systemOwners.get(entry.systemRef) ?? []
        : [],
      sensitive,
    };
  }
}

/**
 * Reads the account entities through the catalog with the plugin's own
 * credentials. A snapshot is shared for `maxAgeMs` (the catalog changes
 * rarely, and an inbox is listed often); creating and deciding read again.
 */
export class CatalogAccountCatalog implements AccountCatalog {
  private cached?: { at: number; snapshot: Promise<Snapshot> };
  private lastGood?: Snapshot;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      clock: Clock;
      logger: LoggerService;
      maxAgeMs?: number;
    },
  ) {}

  async snapshot(): Promise<OwnershipSnapshot> {
    const now = this.options.clock.now().getTime();
    const maxAge = this.options.maxAgeMs ?? 30_000;
    if (!this.cached || now - this.cached.at >= maxAge) {
      const snapshot = this.load().then(
        loaded => {
          this.lastGood = loaded;
          return loaded;
        },
        error => {
          this.options.logger.warn(
            `Could not read the AWS accounts from the catalog, using the last good read: ${error}`,
          );
          this.cached = undefined;
          return this.lastGood ?? new Snapshot(new Map(), new Map(), new Set());
        },
      );
      this.cached = { at: now, snapshot };
    }
    return this.cached.snapshot;
  }

  async read(
    accountId: string,
    ancestorOuIds: readonly string[],
  ): Promise<AccountOwnership> {
    try {
      const loaded = await this.load({ accountId, ouIds: ancestorOuIds });
      return loaded.of(accountId, ancestorOuIds);
    } catch (error) {
      this.options.logger.warn(
        `Could not read account ${accountId} from the catalog: ${error}`,
      );
      throw new ServiceUnavailableError(
        'The catalog could not be read to find the account owners, try again in a moment',
      );
    }
  }

  /** Account entities, their Systems' owners and sensitive OUs. */
  private async load(only?: {
    accountId: string;
    ouIds: readonly string[];
  }): Promise<Snapshot> {
    const credentials = await this.options.auth.getOwnServiceCredentials();
    const value = only ? only.accountId : CATALOG_FILTER_EXISTS;
    const [{ items: accountEntities }, ouEntities] = await Promise.all([
      this.options.catalog.getEntities(
        {
          filter: AWS_ACCOUNT_ID_ANNOTATIONS.map(annotation => ({
            kind: 'resource',
            [`metadata.annotations.${annotation}`]: value,
          })),
          fields: ENTITY_FIELDS,
        },
        { credentials },
      ),
      only && !only.ouIds.length
        ? Promise.resolve({ items: [] as Entity[] })
        : this.options.catalog.getEntities(
            {
              filter: {
                kind: 'resource',
                'spec.type': AWS_OU_RESOURCE_TYPE,
                [`metadata.annotations.${AWS_OU_ID_ANNOTATION}`]: only
                  ? [...only.ouIds]
                  : CATALOG_FILTER_EXISTS,
              },
              fields: ['kind', 'metadata.annotations'],
            },
            { credentials },
          ),
    ]);
    const accounts = new Map<string, AccountEntry>();
    // Several entities may name one account (ours and a hand-written one):
    // their owners add up, and any one marking it sensitive is enough.
    for (const entity of accountEntities) {
      for (const id of accountIdsOfEntity(entity)) {
        const found = accounts.get(id);
        accounts.set(id, {
          ownerRefs: [
            ...new Set([...(found?.ownerRefs ?? []), ...ownersOf(entity)]),
          ],
          systemRef: found?.systemRef ?? systemOf(entity),
          sensitive: Boolean(found?.sensitive) || isMarkedSensitive(entity),
        });
      }
    }
    const systemRefs = [
      ...new Set([...accounts.values()].flatMap(a => a.systemRef ?? [])),
    ];
    const systemOwners = new Map<string, string[]>();
    if (systemRefs.length) {
      const { items } = await this.options.catalog.getEntitiesByRefs(
        {
          entityRefs: systemRefs,
          fields: [
            'kind',
            'metadata.name',
            'metadata.namespace',
            'spec.owner',
            'relations',
          ],
        },
        { credentials },
      );
      items.forEach((system, i) => {
        if (system) systemOwners.set(systemRefs[i], ownersOf(system));
      });
    }
    const sensitiveOus = new Set(
      ouEntities.items
        .filter(isMarkedSensitive)
        .map(e => e.metadata.annotations?.[AWS_OU_ID_ANNOTATION] ?? ''),
    );
    return new Snapshot(accounts, systemOwners, sensitiveOus);
  }
}
