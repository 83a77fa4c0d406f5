import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE,
  REQUEST_STATUSES,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  elevatedAccessRequestRules,
  ElevatedAccessRequestQuery,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import fc from 'fast-check';
import { ACCOUNT } from '../__testUtils__/fixtures';
import {
  describeWithStores,
  minutes,
  newRequest,
} from '../__testUtils__/storeTests';
import { toResource } from './RequestStore';

jest.setTimeout(120_000);

describeWithStores('stores', stores => {
  it('applies permission conditions as SQL exactly as the rules apply them', async () => {
    const requesters = [
      'user:default/alice',
      'user:default/erin',
      'user:default/bob',
    ];
    const approvers = [
      'group:default/platform-leads',
      'group:default/security-leads',
      'user:default/carol',
    ];
    const accounts = [
      ACCOUNT['payments-prod'],
      ACCOUNT['data-prod'],
      ACCOUNT.audit,
    ];
    for (let i = 0; i < 30; i++) {
      const r = await stores.requests.create(
        newRequest({
          createdAt: minutes(i),
          requesterRef: requesters[i % 3],
          accountId: accounts[(i * 7) % 3],
          approverRefs: [
            approvers[i % 3],
            ...(i % 5 === 0 ? [approvers[(i + 1) % 3]] : []),
          ],
        }),
      );
      const target = REQUEST_STATUSES[i % REQUEST_STATUSES.length];
      if (target !== 'pending') {
        await stores
          .knex('requests')
          .where({ id: r.id })
          .update({ status: target });
      }
    }
    const all = (await stores.requests.list({ limit: 500 })).items;
    const rules = Object.values(elevatedAccessRequestRules);
    const authorize = createConditionAuthorizer(rules);
    const transform = createConditionTransformer(rules);

    const condition: fc.Arbitrary<PermissionCriteria<PermissionCondition>> =
      fc.oneof(
        fc.record({
          rule: fc.constant('IS_REQUESTER'),
          resourceType: fc.constant(ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE),
          params: fc.record({ claims: fc.subarray(requesters) }),
        }),
        fc.record({
          rule: fc.constant('IS_APPROVER'),
          resourceType: fc.constant(ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE),
          params: fc.record({ claims: fc.subarray(approvers) }),
        }),
        fc.record({
          rule: fc.constant('HAS_ACCOUNT'),
          resourceType: fc.constant(ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE),
          params: fc.record({ accountIds: fc.subarray(accounts) }),
        }),
        fc.record({
          rule: fc.constant('HAS_STATUS'),
          resourceType: fc.constant(ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE),
          params: fc.record({ statuses: fc.subarray([...REQUEST_STATUSES]) }),
        }),
      ) as fc.Arbitrary<PermissionCriteria<PermissionCondition>>;
    type Criteria = PermissionCriteria<PermissionCondition>;
    const criteria = fc.letrec(tie => ({
      c: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        condition,
        fc.record({
          allOf: fc.array(tie('c') as fc.Arbitrary<Criteria>, {
            minLength: 1,
            maxLength: 3,
          }),
        }),
        fc.record({
          anyOf: fc.array(tie('c') as fc.Arbitrary<Criteria>, {
            minLength: 1,
            maxLength: 3,
          }),
        }),
        fc.record({ not: tie('c') as fc.Arbitrary<Criteria> }),
      ) as fc.Arbitrary<Criteria>,
    })).c;

    let partial = 0;
    await fc.assert(
      fc.asyncProperty(
        criteria,
        fc.option(fc.constantFrom(...requesters), { nil: undefined }),
        async (conditions, onlyRequester) => {
          const decision: ConditionalPolicyDecision = {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'elevated-access',
            resourceType: ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE,
            conditions,
          };
          const expected = all
            .filter(r => authorize(decision, toResource(r)))
            .filter(r => !onlyRequester || r.requesterRef === onlyRequester)
            .map(r => r.id)
            .sort();
          const viaSql = (
            await stores.requests.list({
              limit: 500,
              requesterRefs: onlyRequester ? [onlyRequester] : undefined,
              permission: transform(
                conditions,
              ) as PermissionCriteria<ElevatedAccessRequestQuery>,
            })
          ).items
            .map(r => r.id)
            .sort();
          expect(viaSql).toEqual(expected);
          if (expected.length > 0 && expected.length < all.length) partial++;
        },
      ),
      { numRuns: 100 },
    );
    // The property is not vacuous: the conditions kept some requests and
    // left out others (an empty listing would match a rule that never holds).
    expect(all).toHaveLength(30);
    expect(partial).toBeGreaterThan(0);
  });
});
