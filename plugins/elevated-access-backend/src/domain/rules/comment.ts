import { FieldInputError } from '../FieldInputError';

/**
 * Refuses an action without the comment the settings ask for (checked after
 * the action's rule: a comment matters only once the action is allowed).
 */
export function requireComment(
  required: boolean,
  comment: string | undefined,
  sayWhy: string,
) {
  if (required && !comment) {
    throw FieldInputError.of('comment', sayWhy);
  }
}
