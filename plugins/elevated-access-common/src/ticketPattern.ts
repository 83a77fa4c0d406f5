import { RE2JS, RE2JSSyntaxException } from 're2js';

/*
 * Ticket patterns are written by admins and matched against text typed by
 * any requester. JavaScript's RegExp backtracks, so a pattern such as
 * `^([A-Z0-9]+)+-[0-9]+$` would take exponential time on a short crafted
 * ticket and block the whole process. Patterns are therefore matched with
 * RE2 (here its pure-JavaScript port), which runs in time linear in the
 * ticket; the few features RE2 cannot offer (backreferences, lookarounds)
 * are refused when the settings are saved.
 */

const CACHE_LIMIT = 20;
const compiled = new Map<string, RE2JS | string>();

/** Names the part of the pattern RE2 refused, for a person to find it. */
function describeFeature(error: RE2JSSyntaxException): string {
  const part = (error.input ?? '').slice(0, 30);
  if (/^\\([1-9]|k)/.test(part)) return `backreference ${part}`;
  if (/^\(\?[=!]/.test(part)) return `lookahead ${part.slice(0, 3)}`;
  if (/^\(\?<[=!]/.test(part)) return `lookbehind ${part.slice(0, 4)}`;
  return part ? `${error.error}: ${part}` : error.error;
}

function compile(pattern: string): RE2JS | string {
  let entry = compiled.get(pattern);
  if (entry === undefined) {
    try {
      // eslint-disable-next-line no-new
      new RegExp(pattern);
    } catch {
      entry = 'Ticket pattern is not a valid regular expression';
    }
    if (entry === undefined) {
      try {
        entry = RE2JS.compile(pattern);
      } catch (error) {
        const feature =
          error instanceof RE2JSSyntaxException
            ? describeFeature(error)
            : String(error);
        entry = `The ticket pattern uses a feature (${feature}) that cannot be matched safely; write it without backreferences or lookarounds, e.g. ^[A-Z]+-[0-9]+$`;
      }
    }
    if (compiled.size >= CACHE_LIMIT) {
      compiled.delete(compiled.keys().next().value!);
    }
    compiled.set(pattern, entry);
  }
  return entry;
}

/**
 * Why a ticket pattern cannot be used, or undefined when it can: it must be a
 * valid regular expression that RE2 can match in linear time.
 *
 * @public
 */
export function ticketPatternProblem(pattern: string): string | undefined {
  const entry = compile(pattern);
  return typeof entry === 'string' ? entry : undefined;
}

/**
 * Whether a ticket matches an admin's ticket pattern (anywhere in the ticket,
 * like `RegExp.prototype.test`), in time linear in the ticket's length. A
 * pattern that cannot be used (see {@link ticketPatternProblem}) matches
 * nothing.
 *
 * @public
 */
export function ticketMatches(pattern: string, ticket: string): boolean {
  const entry = compile(pattern);
  return typeof entry !== 'string' && entry.test(ticket);
}
