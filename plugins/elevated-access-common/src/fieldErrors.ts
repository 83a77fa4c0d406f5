import { z } from 'zod';

/**
 * Input problems by field: the top-level field's name (as in the request
 * body) to one plain sentence. `_` holds a problem that belongs to no field,
 * such as an unknown field in the body. The backend sends them as `fields` in
 * its 400 error body, and forms mark each input with its message.
 *
 * @public
 */
export type FieldErrors = Record<string, string>;

/** The key of a problem that belongs to no field. @public */
export const NO_FIELD = '_';

/**
 * The field errors of a schema failure: the first problem of each field.
 *
 * @public
 */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const flat = z.flattenError(error, issue =>
    issue.code === 'unrecognized_keys'
      ? `Unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(
          ', ',
        )}`
      : issue.message,
  );
  const out: FieldErrors = {};
  for (const [field, messages] of Object.entries(flat.fieldErrors) as [
    string,
    string[] | undefined,
  ][]) {
    if (messages?.length) out[field] = messages[0];
  }
  if (flat.formErrors.length) out[NO_FIELD] = flat.formErrors[0];
  return out;
}

/**
 * Field errors as one sentence for logs and for clients that show only the
 * message: `Invalid input: durationMinutes: Duration must be …; justification: …`.
 * Read the fields from the error body rather than from this text, as a
 * message may itself contain "; ".
 *
 * @public
 */
export function describeFieldErrors(fields: FieldErrors): string {
  return `Invalid input: ${Object.entries(fields)
    .map(([field, message]) =>
      field === NO_FIELD ? message : `${field}: ${message}`,
    )
    .join('; ')}`;
}
