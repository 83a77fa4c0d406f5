import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import { ElevatedAccessRequestQuery } from '@elevated-access/backstage-plugin-elevated-access-node';

type Criteria = PermissionCriteria<ElevatedAccessRequestQuery>;

const lowerCase = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * Folds permission criteria that the list's own filter already decides: when
 * a list holds only one requester's requests, `IS_REQUESTER` naming that
 * requester is true for every row (and one not naming them is false), so an
 * `anyOf` containing it needs no SQL at all. Likewise when the list already
 * holds only requests that `approverRefs` approve (within the same scope):
 * `IS_APPROVER` naming all of those refs, or more, holds for every row (the
 * approver filter only widens with more refs), so the inbox does not repeat
 * its approver scope in SQL. Returns true, false, or the criteria that are
 * left.
 */
export function simplifyCriteria(
  criteria: Criteria,
  known: { requesterRef?: string; approverRefs?: string[] },
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
  if (criteria.property === 'approverRef' && known.approverRefs?.length) {
    const named = new Set(criteria.values.map(lowerCase));
    if (known.approverRefs.every(r => named.has(lowerCase(r)))) return true;
  }
  return criteria;
}
