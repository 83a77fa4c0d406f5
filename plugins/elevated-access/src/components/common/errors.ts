import { parseFieldErrors } from '@elevated-access/backstage-plugin-elevated-access-common';

/** The server's own message when there is one (ResponseError keeps it in body). */
export function messageOf(error: unknown): string {
  const body = (error as { body?: { error?: { message?: string } } })?.body;
  return body?.error?.message ?? (error as Error)?.message ?? String(error);
}

/** Field errors from a server's "Invalid input: field: message; …" answer. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  return parseFieldErrors(messageOf(error));
}

/**
 * A failed save as form errors: by field when the server named fields, else
 * the whole message under `_` (shown above the form's buttons).
 */
export function formErrorsOf(error: unknown): Record<string, string> {
  const fields = fieldErrorsOf(error);
  return Object.keys(fields).length ? fields : { _: messageOf(error) };
}
