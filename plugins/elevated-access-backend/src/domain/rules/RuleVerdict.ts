import { ConflictError, NotAllowedError } from '@backstage/errors';
import { Caller, sameRef } from '../refs';
import { FieldInputError } from '../FieldInputError';

/**
 * A rule's answer to "may this caller do this to this request now": allowed,
 * or refused with the sentence the caller sees. `forbidden` is about who the
 * caller is (403), `conflict` about the request's state (409).
 */
export type RuleVerdict =
  | { allowed: true }
  | { allowed: false; refusal: 'forbidden' | 'conflict'; reason: string };

/** The verdicts a rule returns. */
export const verdict = {
  allowed: { allowed: true } as RuleVerdict,
  forbidden: (reason: string): RuleVerdict => ({
    allowed: false,
    refusal: 'forbidden',
    reason,
  }),
  conflict: (reason: string): RuleVerdict => ({
    allowed: false,
    refusal: 'conflict',
    reason,
  }),
  /**
   * Allowed when the request's status is one the action starts from, else a
   * 409 that names them: "The request is active; only pending or approved
   * requests can be cancelled".
   */
  fromStatus(
    status: string,
    statuses: readonly string[],
    actionDone: string,
    separator = ' or ',
  ): RuleVerdict {
    return statuses.includes(status)
      ? verdict.allowed
      : verdict.conflict(
          `The request is ${status}; only ${statuses.join(
            separator,
          )} requests can be ${actionDone}`,
        );
  },
};

/**
 * Throws the refusal as the error the API answers with; nothing when allowed.
 * With `comment`, an allowed action still needs the reason the settings ask
 * for (checked after the rule: a comment matters only once the action is
 * allowed).
 */
export function enforce(
  ruling: RuleVerdict,
  comment?: { required: boolean; given?: string; sayWhy: string },
): void {
  if (!ruling.allowed) {
    throw ruling.refusal === 'forbidden'
      ? new NotAllowedError(ruling.reason)
      : new ConflictError(ruling.reason);
  }
  if (comment?.required && !comment.given) {
    throw FieldInputError.of('comment', comment.sayWhy);
  }
}

/**
 * The sentence the caller hears when the permission policy refuses an action
 * on a request: one for the requester's own request, one for anybody else.
 */
export function refusedByPolicy(
  caller: Caller,
  requesterRef: string,
  sentences: { own: string; other: string },
): string {
  return sameRef(requesterRef, caller.userEntityRef)
    ? sentences.own
    : sentences.other;
}
