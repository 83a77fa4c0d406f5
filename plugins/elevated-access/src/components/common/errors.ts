import { fieldErrorsOf } from '../../api/fieldErrors';

type ErrorLike = {
  name?: string;
  message?: string;
  statusCode?: number;
  body?: { error?: { message?: string }; response?: { statusCode?: number } };
};

const BROWSER_PREFIX = /^Request failed with (status )?\d{3}/;

/** The HTTP status of a failed call, when it reached the server. */
export function statusOf(error: unknown): number | undefined {
  const e = error as ErrorLike | undefined;
  return e?.statusCode ?? e?.body?.response?.statusCode;
}

/**
 * What our server said, when it said it in words: an HTML error page from a
 * proxy or the browser's "Request failed with 503" are not messages for people.
 */
export function serverMessage(error: unknown): string | undefined {
  const message = (error as ErrorLike | undefined)?.body?.error?.message;
  if (!message || BROWSER_PREFIX.test(message) || /<[a-z!]/i.test(message)) {
    return undefined;
  }
  return message;
}

/** A failure as a person reads it: what happened, and what to do about it. */
export interface ErrorDescription {
  /** One sentence: what went wrong. */
  title: string;
  /** What to do next. */
  advice: string;
  /** Whether trying the same call again may succeed. */
  retryable: boolean;
  status?: number;
}

/**
 * Describes a failed call in plain words. `action` is what the page tried,
 * e.g. "load your requests", used when the server gave no message.
 */
export function describeError(
  error: unknown,
  action = 'do that',
): ErrorDescription {
  const status = statusOf(error);
  const said = serverMessage(error);
  if (status === undefined) {
    const name = (error as ErrorLike | undefined)?.name;
    if (name === 'TypeError' || /fetch|network/i.test(String(error))) {
      return {
        title: `Couldn't ${action}: the Elevated Access service could not be reached.`,
        advice: 'Check your connection, then try again.',
        retryable: true,
      };
    }
    return {
      title:
        said ?? `Couldn't ${action}: ${(error as Error)?.message ?? error}`,
      advice: 'Try again; if it keeps failing, tell your Backstage admins.',
      retryable: true,
    };
  }
  if (status === 400) {
    return {
      title: said ?? `Couldn't ${action}: the input was not accepted.`,
      advice: 'Correct what is marked and try again.',
      retryable: false,
      status,
    };
  }
  if (status === 401) {
    return {
      title: 'Your sign-in has expired.',
      advice: 'Reload the page to sign in again.',
      retryable: false,
      status,
    };
  }
  if (status === 403) {
    return {
      title: said ?? `You don't have permission to ${action}.`,
      advice:
        'If you need this, ask an Elevated Access admin to give you the permission.',
      retryable: false,
      status,
    };
  }
  if (status === 404) {
    return {
      title: said ?? `Couldn't ${action}: it was not found.`,
      advice: 'It may have been removed, or the link may be wrong.',
      retryable: false,
      status,
    };
  }
  if (status === 409) {
    return {
      title: said ?? `Couldn't ${action}: something changed meanwhile.`,
      advice: 'Reload to see the current state, then decide again.',
      retryable: true,
      status,
    };
  }
  if (status === 429) {
    return {
      title: `Couldn't ${action}: too many requests right now.`,
      advice: 'Wait a few seconds, then try again.',
      retryable: true,
      status,
    };
  }
  return {
    title:
      status === 503 || status === 502 || status === 504
        ? `Couldn't ${action}: the Elevated Access service is unavailable at the moment (${status}).`
        : `Couldn't ${action}: the Elevated Access service had a problem (${status}).`,
    advice:
      'Nothing was lost. Try again in a moment; if it keeps failing, tell your Backstage admins.',
    retryable: true,
    status,
  };
}

/** The server's own message when there is one, else a plain sentence. */
export function messageOf(error: unknown): string {
  return serverMessage(error) ?? describeError(error).title;
}

/**
 * A failed save as form errors: by field when the server named fields, else
 * the whole message under `_` (shown above the form's buttons).
 */
export function formErrorsOf(error: unknown): Record<string, string> {
  const fields = fieldErrorsOf(error);
  return Object.keys(fields).length ? fields : { _: messageOf(error) };
}
