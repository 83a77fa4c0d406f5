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
    return simplifyJunction(
      criteria.allOf.map(c => simplifyCriteria(c, known)),
      false,
      allOf => ({ allOf }),
    );
  }
  if (isOrCriteria(criteria)) {
    return simplifyJunction(
      criteria.anyOf.map(c => simplifyCriteria(c, known)),
      true,
      anyOf => ({ anyOf }),
    );
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

/**
 * An `allOf` (`decides` false) or `anyOf` (`decides` true) of simplified
 * parts: one part equal to `decides` decides the whole, the other constant
 * drops out, and the criteria left are kept (alone, or joined by `join`).
 */
function simplifyJunction(
  parts: Array<Criteria | boolean>,
  decides: boolean,
  join: (left: [Criteria, ...Criteria[]]) => Criteria,
): Criteria | boolean {
  if (parts.some(p => p === decides)) return decides;
  const left = parts.filter((p): p is Criteria => typeof p !== 'boolean');
  if (!left.length) return !decides;
  return left.length === 1 ? left[0] : join(left as [Criteria, ...Criteria[]]);
}
