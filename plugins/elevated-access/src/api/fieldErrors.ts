import { FieldErrors } from '@elevated-access/backstage-plugin-elevated-access-common';

/**
 * The field errors of a failed call: the `fields` the backend adds to its 400
 * body (`{ error: { name, message, fields }, response }`), which the client's
 * `ResponseError` keeps as `body`. Empty when the server named no field, or
 * when the answer did not come from the backend (a proxy's error page).
 */
export function fieldErrorsOf(error: unknown): FieldErrors {
  const fields = (error as { body?: { error?: { fields?: unknown } } } | null)
    ?.body?.error?.fields;
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) {
    return {};
  }
  const out: FieldErrors = {};
  for (const [field, message] of Object.entries(fields)) {
    if (typeof message === 'string' && message) out[field] = message;
  }
  return out;
}
