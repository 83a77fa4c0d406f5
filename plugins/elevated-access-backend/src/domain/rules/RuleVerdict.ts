import { ConflictError, NotAllowedError } from '@backstage/errors';

/**
 * A rule's answer to "may this caller do this to this request now": allowed,
 * or refused with the sentence the caller sees. `forbidden` is about who the
 * caller is (403), `conflict` about the request's state (409).
 */
export type RuleVerdict =
  | { allowed: true }
  | { allowed: false; refusal: 'forbidden' | 'conflict'; reason: string };

export const ALLOWED: RuleVerdict = { allowed: true };

export const forbidden = (reason: string): RuleVerdict => ({
  allowed: false,
  refusal: 'forbidden',
  reason,
});

export const conflict = (reason: string): RuleVerdict => ({
  allowed: false,
  refusal: 'conflict',
  reason,
});

/** Throws the refusal as the error the API answers with; nothing when allowed. */
export function enforce(verdict: RuleVerdict): void {
  if (verdict.allowed) return;
  throw verdict.refusal === 'forbidden'
    ? new NotAllowedError(verdict.reason)
    : new ConflictError(verdict.reason);
}
