import { parseFieldErrors } from '@internal/backstage-plugin-elevated-access-common';

/** The server's own message when there is one (ResponseError keeps it in body). */
export function messageOf(error: unknown): string {
  const body = (error as { body?: { error?: { message?: string } } })?.body;
  return body?.error?.message ?? (error as Error)?.message ?? String(error);
}

/** Field errors from a server's "Invalid input: field: message; …" answer. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  return parseFieldErrors(messageOf(error));
}
