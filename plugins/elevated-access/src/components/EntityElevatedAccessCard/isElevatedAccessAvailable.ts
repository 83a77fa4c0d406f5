import {
  Entity,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
} from '@backstage/catalog-model';
import {
  accountIdsOfEntity,
  AWS_ACCOUNT_RESOURCE_TYPE,
} from '@elevated-access/backstage-plugin-elevated-access-common';

const ACCOUNT_RELATIONS = [RELATION_DEPENDS_ON, RELATION_HAS_PART];

/**
 * Whether an entity may be about AWS accounts, so the Elevated access card
 * belongs on its page (for `EntitySwitch`): it names account ids in its
 * annotations, is an account's own `Resource`, or depends on or has a part
 * that is a `Resource` (the server decides which of those are accounts, and
 * the card says so when none is).
 *
 * @public
 */
export function isElevatedAccessAvailable(entity: Entity): boolean {
  if (accountIdsOfEntity(entity).length > 0) return true;
  if (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === AWS_ACCOUNT_RESOURCE_TYPE
  ) {
    return true;
  }
  return (entity.relations ?? []).some(
    r =>
      ACCOUNT_RELATIONS.includes(r.type) &&
      r.targetRef.toLocaleLowerCase('en-US').startsWith('resource:'),
  );
}
