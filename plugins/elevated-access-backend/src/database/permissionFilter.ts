import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import { ElevatedAccessRequestQuery } from '@internal/backstage-plugin-elevated-access-node';
import { Knex } from 'knex';

/**
 * Applies a conditional permission decision to a query on `requests` as SQL,
 * so list views are filtered in the database rather than in memory.
 */
export function applyRequestPermissionFilter(
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<ElevatedAccessRequestQuery>,
  knex: Knex,
): Knex.QueryBuilder {
  if (isAndCriteria(criteria)) {
    return query.where(q => {
      for (const c of criteria.allOf) {
        q.andWhere(sub => {
          applyRequestPermissionFilter(sub, c, knex);
        });
      }
    });
  }
  if (isOrCriteria(criteria)) {
    return query.where(q => {
      for (const c of criteria.anyOf) {
        q.orWhere(sub => {
          applyRequestPermissionFilter(sub, c, knex);
        });
      }
    });
  }
  if (isNotCriteria(criteria)) {
    return query.whereNot(q => {
      applyRequestPermissionFilter(q, criteria.not, knex);
    });
  }
  const { property, values } = criteria;
  // An empty value list matches nothing (rather than producing `IN ()`).
  if (values.length === 0) {
    return query.whereRaw('1 = 0');
  }
  switch (property) {
    case 'requesterRef':
      return query.whereIn('requests.requester_ref', values);
    case 'accountId':
      return query.whereIn('requests.account_id', values);
    case 'status':
      return query.whereIn('requests.status', values);
    case 'approverRef':
      return query.whereExists(
        knex('request_approvers')
          .select(knex.raw('1'))
          .whereRaw('request_approvers.request_id = requests.id')
          .whereIn('request_approvers.approver_ref', values),
      );
    default:
      throw new Error(`Unknown permission query property ${property}`);
  }
}
