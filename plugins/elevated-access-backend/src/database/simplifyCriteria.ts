import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import { ElevatedAccessRequestQuery } from '@elevated-access/backstage-plugin-elevated-access-node';

type Criteria = PermissionCriteria<ElevatedAccessRequestQuery>;

/**
 * Folds permission criteria that the list's own filter already decides: when
 * a list holds only one requester's requests, `IS_REQUESTER` naming that
 * requester is true for every row (and one not naming them is false), so an
 * `anyOf` containing it needs no SQL at all. Returns true, false, or the
 * criteria that are left.
 */
export function simplifyCriteria(
  criteria: Criteria,
  known: { requesterRef?: string },
): Criteria | boolean {
  if (isAndCriteria(criteria)) {
    const parts = criteria.allOf.map(c => simplifyCriteria(c, known));
    if (parts.some(p => p === false)) return false;
    const left = parts.filter((p): p is Criteria => p !== true);
    if (!left.length) return true;
    return left.length === 1
      ? left[0]
      : { allOf: left as [Criteria, ...Criteria[]] };
  }
  if (isOrCriteria(criteria)) {
    const parts = criteria.anyOf.map(c => simplifyCriteria(c, known));
    if (parts.some(p => p === true)) return true;
    const left = parts.filter((p): p is Criteria => p !== false);
    if (!left.length) return false;
    return left.length === 1
      ? left[0]
      : { anyOf: left as [Criteria, ...Criteria[]] };
  }
  if (isNotCriteria(criteria)) {
    const inner = simplifyCriteria(criteria.not, known);
    return typeof inner === 'boolean' ? !inner : { not: inner };
  }
  if (criteria.property === 'requesterRef' && known.requesterRef) {
    return criteria.values.includes(known.requesterRef);
  }
  return criteria;
}
