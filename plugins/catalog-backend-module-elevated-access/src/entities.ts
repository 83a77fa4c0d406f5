/*
 * The organisation tree and its tags turned into catalog entities: names,
 * owners, systems, sensitivity and the accounts the catalog already has.
 * Pure: no AWS or catalog calls, so every rule is tested without I/O.
 */
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  DEFAULT_NAMESPACE,
  Entity,
  KubernetesValidatorFunctions,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { DeferredEntity } from '@backstage/plugin-catalog-node';
import {
  accountIdsOfEntity,
  AWS_ACCOUNT_ID_ANNOTATION,
  AWS_ACCOUNT_RESOURCE_TYPE,
  AWS_OU_ID_ANNOTATION,
  AWS_OU_PATH_ANNOTATION,
  AWS_OU_RESOURCE_TYPE,
  SENSITIVE_ANNOTATION,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  AccountNode,
  OrganizationalUnitNode,
  OrganizationTree,
  ResourceTags,
} from './organization';

/**
 * `"true"` on the entity of the organisation's management account.
 *
 * @public
 */
export const AWS_MANAGEMENT_ACCOUNT_ANNOTATION =
  'aws.amazon.com/management-account';

/**
 * The location type of the entities this module writes; their
 * `backstage.io/managed-by-location` is
 * `elevated-access-aws-organization:<organization id>`.
 *
 * @public
 */
export const ORGANIZATION_LOCATION_TYPE = 'elevated-access-aws-organization';

const MAX_NAME_LENGTH = 63;

/** How tags become owners, systems and sensitivity. */
export interface EntitySettings {
  /** Tag whose value is the owner. */
  ownerTag: string;
  /** Owner (full entity ref) of accounts and OUs without an owner tag above them. */
  defaultOwner: string;
  /** Tag whose value is the account's System. */
  systemTag: string;
  /** Tag whose value `true` marks an account or OU sensitive. */
  sensitiveTag: string;
}

/** The location ref of the entities of one organisation. */
export function organizationLocationRef(tree: OrganizationTree): string {
  return `${ORGANIZATION_LOCATION_TYPE}:${tree.organizationId ?? tree.rootId}`;
}

/**
 * A catalog entity name made from any text: lower case, letters, digits and
 * `-_.` only, starting and ending with a letter or digit, at most `maxLength`
 * characters. Empty when nothing usable is left.
 */
export function entitySafeName(
  text: string,
  maxLength: number = MAX_NAME_LENGTH,
): string {
  const trimEnds = (s: string) => s.replace(/^[-_.]+|[-_.]+$/g, '');
  const safe = trimEnds(
    text
      .normalize('NFKD')
      // accents apart from their letters (é -> e)
      .replace(/[\u0300-\u036f]/g, '')
      .toLocaleLowerCase('en-US')
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/[-_.]{2,}/g, run => run[0]),
  );
  return trimEnds(safe.slice(0, maxLength));
}

/**
 * The owner ref a tag value names: a bare name is a group in the default
 * namespace, a ref (`user:default/x`, `group:ns/x`) is kept. Undefined when
 * the value is not a valid ref.
 */
export function ownerRefFromTagValue(value: string): string | undefined {
  return validRef(value, 'group');
}

/**
 * What `spec.system` gets from a tag value: a bare name as the name, a ref as
 * the full ref. Undefined when the value is not a valid ref.
 */
export function systemFromTagValue(value: string): string | undefined {
  const ref = validRef(value, 'system');
  if (!ref) return undefined;
  return /[:/]/.test(value.trim()) ? ref : parseEntityRef(ref).name;
}

function validRef(value: string, defaultKind: string): string | undefined {
  const text = value.trim();
  if (!text) return undefined;
  try {
    const ref = parseEntityRef(text, {
      defaultKind,
      defaultNamespace: DEFAULT_NAMESPACE,
    });
    if (
      !KubernetesValidatorFunctions.isValidObjectName(ref.name) ||
      !KubernetesValidatorFunctions.isValidNamespace(ref.namespace) ||
      !/^[a-zA-Z][a-zA-Z0-9]*$/.test(ref.kind)
    ) {
      return undefined;
    }
    return stringifyEntityRef(ref);
  } catch {
    return undefined;
  }
}

/** A tag's value: the exact key first, else the key in any case. */
function tagValue(tags: ResourceTags, key: string): string | undefined {
  if (key in tags) return tags[key];
  const lower = key.toLocaleLowerCase('en-US');
  const found = Object.keys(tags).find(
    k => k.toLocaleLowerCase('en-US') === lower,
  );
  return found === undefined ? undefined : tags[found];
}

/**
 * Entity names for every account and OU: the safe name, and for names two or
 * more of them share, the safe name with `-<id>` appended (to all of them, so
 * no entity's name depends on which one AWS lists first).
 */
function entityNames(tree: OrganizationTree): Map<string, string> {
  const base = new Map<string, string>();
  for (const account of tree.accounts) {
    base.set(account.id, entitySafeName(account.name) || account.id);
  }
  for (const ou of tree.organizationalUnits) {
    const name = entitySafeName(ou.name, MAX_NAME_LENGTH - 3);
    base.set(ou.id, name ? `ou-${name}` : entitySafeName(ou.id));
  }
  const counts = new Map<string, number>();
  for (const name of base.values()) {
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const names = new Map<string, string>();
  for (const [id, name] of base) {
    if ((counts.get(name) ?? 0) < 2) {
      names.set(id, name);
      continue;
    }
    const suffix = entitySafeName(id);
    const head = entitySafeName(name, MAX_NAME_LENGTH - suffix.length - 1);
    names.set(id, head ? `${head}-${suffix}` : suffix);
  }
  return names;
}

/** The result of turning an organisation into entities. */
export interface OrganizationEntities {
  /** The entities to write, each with the organisation's location key. */
  entities: DeferredEntity[];
  /** Accounts left out because the catalog already has an entity for them. */
  linked: Array<{
    accountId: string;
    accountName: string;
    entityRefs: string[];
  }>;
  /** Tag values that were not used (invalid refs), for the log. */
  warnings: string[];
}

/**
 * The accounts that entities not written by this module already stand for:
 * `Resource` entities with an account id annotation (ours or the AWS catalog
 * module's) managed by any other location. Account id to entity refs.
 */
export function linkedAccounts(existing: Entity[]): Map<string, string[]> {
  const linked = new Map<string, string[]>();
  for (const entity of existing) {
    if (entity.kind.toLocaleLowerCase('en-US') !== 'resource') continue;
    const location = entity.metadata.annotations?.[ANNOTATION_LOCATION] ?? '';
    if (location.startsWith(`${ORGANIZATION_LOCATION_TYPE}:`)) continue;
    const ref = stringifyEntityRef(entity);
    for (const accountId of accountIdsOfEntity(entity)) {
      linked.set(accountId, [...(linked.get(accountId) ?? []), ref]);
    }
  }
  return linked;
}

/**
 * The entities of an organisation: one `Resource` per ACTIVE account and per
 * OU. Accounts that `existing` entities already stand for are left out
 * (`existing` undefined: the catalog could not be read, so all are written).
 */
export function organizationEntities(
  tree: OrganizationTree,
  settings: EntitySettings,
  existing?: Entity[],
): OrganizationEntities {
  const location = organizationLocationRef(tree);
  const names = entityNames(tree);
  const ouById = new Map(tree.organizationalUnits.map(ou => [ou.id, ou]));
  const warnings: string[] = [];
  const refOf = (id: string) =>
    stringifyEntityRef({
      kind: 'Resource',
      namespace: DEFAULT_NAMESPACE,
      name: names.get(id)!,
    });

  /** The OUs from the given parent up to the top level, nearest first. */
  const ancestors = (parentId: string): OrganizationalUnitNode[] => {
    const chain: OrganizationalUnitNode[] = [];
    const seen = new Set<string>();
    for (
      let ou = ouById.get(parentId);
      ou && !seen.has(ou.id);
      ou = ouById.get(ou.parentId)
    ) {
      seen.add(ou.id);
      chain.push(ou);
    }
    return chain;
  };

  /** The first valid value of a tag, on the node itself or up the OUs. */
  const inherited = <T>(
    nodes: Array<{ id: string; name: string; tags: ResourceTags }>,
    tag: string,
    parse: (value: string) => T | undefined,
  ): T | undefined => {
    for (const node of nodes) {
      const value = tagValue(node.tags, tag);
      if (value === undefined) continue;
      const parsed = parse(value);
      if (parsed !== undefined) return parsed;
      warnings.push(
        `The ${tag} tag of ${node.name} (${node.id}) is not a valid entity ref: ${value}`,
      );
    }
    return undefined;
  };
  const isTrue = (value: string) =>
    value.trim().toLocaleLowerCase('en-US') === 'true' ? true : undefined;

  const commonAnnotations = (
    nodes: Array<{ id: string; name: string; tags: ResourceTags }>,
    parentId: string,
  ): Record<string, string> => {
    const path = ancestors(parentId)
      .map(ou => ou.name)
      .reverse()
      .join('/');
    const annotations: Record<string, string> = {
      [ANNOTATION_LOCATION]: location,
      [ANNOTATION_ORIGIN_LOCATION]: location,
      [AWS_OU_PATH_ANNOTATION]: path,
    };
    // not inherited() : any of the chain saying true is enough, and a value
    // other than true is not a mistake to report
    if (
      nodes.some(n => isTrue(tagValue(n.tags, settings.sensitiveTag) ?? ''))
    ) {
      annotations[SENSITIVE_ANNOTATION] = 'true';
    }
    return annotations;
  };

  const entities: Entity[] = [];

  for (const ou of tree.organizationalUnits) {
    const chain = [ou, ...ancestors(ou.parentId)];
    const annotations = commonAnnotations(chain, ou.id);
    annotations[AWS_OU_ID_ANNOTATION] = ou.id;
    const parentOu = ouById.get(ou.parentId);
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: names.get(ou.id)!,
        title: ou.name,
        description: `AWS organizational unit ${ou.id}`,
        annotations,
      },
      spec: {
        type: AWS_OU_RESOURCE_TYPE,
        owner:
          inherited(chain, settings.ownerTag, ownerRefFromTagValue) ??
          settings.defaultOwner,
        ...(parentOu ? { dependsOn: [refOf(parentOu.id)] } : {}),
      },
    });
  }

  const linkedIds = existing ? linkedAccounts(existing) : new Map();
  const linked: OrganizationEntities['linked'] = [];
  for (const account of tree.accounts) {
    const linkedRefs = linkedIds.get(account.id);
    if (linkedRefs) {
      linked.push({
        accountId: account.id,
        accountName: account.name,
        entityRefs: linkedRefs,
      });
      continue;
    }
    entities.push(accountEntity(account));
  }

  function accountEntity(account: AccountNode): Entity {
    const chain = [account, ...ancestors(account.parentId)];
    const annotations = commonAnnotations(chain, account.parentId);
    annotations[AWS_ACCOUNT_ID_ANNOTATION] = account.id;
    annotations[AWS_OU_ID_ANNOTATION] = account.parentId;
    const isManagement = account.id === tree.managementAccountId;
    if (isManagement) annotations[AWS_MANAGEMENT_ACCOUNT_ANNOTATION] = 'true';
    const path = annotations[AWS_OU_PATH_ANNOTATION];
    const system = inherited(chain, settings.systemTag, systemFromTagValue);
    const parentOu = ouById.get(account.parentId);
    return {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: names.get(account.id)!,
        title: account.name,
        description: `${
          isManagement ? 'The management account' : 'AWS account'
        } ${account.id}${path ? ` in ${path}` : ' at the organisation root'}`,
        annotations,
      },
      spec: {
        type: AWS_ACCOUNT_RESOURCE_TYPE,
        owner:
          inherited(chain, settings.ownerTag, ownerRefFromTagValue) ??
          settings.defaultOwner,
        ...(system ? { system } : {}),
        ...(parentOu ? { dependsOn: [refOf(parentOu.id)] } : {}),
      },
    };
  }

  return {
    entities: entities.map(entity => ({ entity, locationKey: location })),
    linked,
    warnings: [...new Set(warnings)],
  };
}
