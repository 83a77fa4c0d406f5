import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import { ElevatedAccessRequestQuery } from '@elevated-access/backstage-plugin-elevated-access-node';
import { Knex } from 'knex';
import { ApproverGrant } from '../domain/approvers';
import { usesPostgres } from './util';

/**
 * Applies a conditional permission decision to a query on `requests` as SQL,
 * so list views are filtered in the database rather than in memory.
 */
export function applyRequestPermissionFilter(
  query: Knex.QueryBuilder,
  criteria: PermissionCriteria<ElevatedAccessRequestQuery>,
  knex: Knex,
  scope?: ApproverScope,
): Knex.QueryBuilder {
  if (isAndCriteria(criteria)) {
    return query.where(q => {
      for (const c of criteria.allOf) {
        q.andWhere(sub => {
          applyRequestPermissionFilter(sub, c, knex, scope);
        });
      }
    });
  }
  if (isOrCriteria(criteria)) {
    return query.where(q => {
      for (const c of criteria.anyOf) {
        q.orWhere(sub => {
          applyRequestPermissionFilter(sub, c, knex, scope);
        });
      }
    });
  }
  if (isNotCriteria(criteria)) {
    return query.whereNot(q => {
      applyRequestPermissionFilter(q, criteria.not, knex, scope);
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
      return whereApprover(query, knex, values, scope);
    default:
      throw new Error(`Unknown permission query property ${property}`);
  }
}

/** Where the caller approves today, and who they are (see approverScopeOf). */
export interface ApproverScope {
  callerRef: string;
  grants: ApproverGrant[];
}

/**
 * Requests whose approver snapshot holds one of `refs`. With a scope, only
 * where a current policy still makes those refs approvers of the request's
 * pair, plus the requests the caller decided themselves.
 */
export function whereApprover(
  query: Knex.QueryBuilder,
  knex: Knex,
  refs: string[],
  scope?: ApproverScope,
): Knex.QueryBuilder {
  const held = refs.map(r => r.toLocaleLowerCase('en-US'));
  const inSnapshot = (among: string[]) =>
    knex('request_approvers')
      .select(knex.raw('1'))
      .whereRaw('request_approvers.request_id = requests.id')
      .whereIn('request_approvers.approver_ref', among);
  if (!scope) return query.whereExists(inSnapshot(held));
  const grants = scope.grants
    .map(g => ({ ...g, among: g.refs.filter(r => held.includes(r)) }))
    .filter(g => g.among.length && g.accountIds.length);
  // One subquery over the request's snapshot rows, whichever grant matches:
  // a subquery per grant made PostgreSQL plan and JIT-compile hundreds of
  // them (seconds) for an approver named by many policies.
  return query.where(outer => {
    if (grants.length) {
      outer.whereExists(
        knex('request_approvers')
          .select(knex.raw('1'))
          .whereRaw('request_approvers.request_id = requests.id')
          .where(anyGrant => {
            for (const grant of grants) {
              anyGrant.orWhere(sub => {
                whereInList(
                  sub,
                  knex,
                  'request_approvers.approver_ref',
                  grant.among,
                );
                whereInList(sub, knex, 'requests.account_id', grant.accountIds);
                if (grant.permissionSetArns) {
                  whereInList(
                    sub,
                    knex,
                    'requests.permission_set_arn',
                    grant.permissionSetArns,
                  );
                }
              });
            }
          }),
      );
    }
    outer.orWhereExists(decidedBy(knex, scope.callerRef));
  });
}

/**
 * Lists longer than this are sent as one parameter, not one per value: fewer
 * parameters to bind and a shorter statement to parse.
 */
const LONG_LIST = 20;

/**
 * `column IN (values)`, with a long list sent as one array (PostgreSQL) or
 * JSON (SQLite) parameter: an approver over thousands of accounts would
 * otherwise pass PostgreSQL's limit of 65,535 parameters per query.
 */
export function whereInList(
  query: Knex.QueryBuilder,
  knex: Knex,
  column: string,
  values: string[],
): Knex.QueryBuilder {
  if (values.length <= LONG_LIST) return query.whereIn(column, values);
  return usesPostgres(knex)
    ? query.whereRaw('?? = ANY(?::text[])', [column, values])
    : query.whereRaw('?? IN (SELECT value FROM json_each(?))', [
        column,
        JSON.stringify(values),
      ]);
}

/** A subquery for `whereExists`: the request has a decision by `ref`. */
export function decidedBy(knex: Knex, ref: string): Knex.QueryBuilder {
  return knex('request_decisions')
    .select(knex.raw('1'))
    .whereRaw('request_decisions.request_id = requests.id')
    .where('request_decisions.approver_ref', ref.toLocaleLowerCase('en-US'));
}
