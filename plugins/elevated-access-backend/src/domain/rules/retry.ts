import { RequestFacts } from './requestFacts';
import { enforce, RuleVerdict, verdict } from './RuleVerdict';

/**
 * Retrying failed provisioning: admins only, and only a request in error.
 * Whether the grant or the revocation is retried is planRetry's (it reads the
 * failed step).
 */
export function retryRule(facts: {
  request: Pick<RequestFacts, 'status'>;
  isAdmin: boolean;
}): RuleVerdict {
  if (!facts.isAdmin) {
    return verdict.forbidden(
      'Only Elevated Access admins can retry provisioning',
    );
  }
  if (facts.request.status !== 'error') {
    return verdict.conflict(
      `The request is ${facts.request.status}; only requests in error can be retried`,
    );
  }
  return verdict.allowed;
}

/** Refuses a retry the rule does not allow. */
export function assertCanRetry(options: Parameters<typeof retryRule>[0]) {
  enforce(retryRule(options));
}
