import { createConditionExports } from '@backstage/plugin-permission-node';
import { elevatedAccessRequestResourceRef } from './resourceRef';
import { elevatedAccessRequestRules } from './rules';

const exports_ = createConditionExports({
  resourceRef: elevatedAccessRequestResourceRef,
  rules: elevatedAccessRequestRules,
});

/**
 * Conditions for access-request permissions, for use in permission policies.
 *
 * @public
 */
export const elevatedAccessRequestConditions = exports_.conditions;

/**
 * Builds a conditional decision for an access-request permission.
 *
 * @public
 */
export const createElevatedAccessRequestConditionalDecision =
  exports_.createConditionalDecision;
