/**
 * Revoked means revoked: the Deny statements that end sessions a user opened
 * before their access ended. Deleting an Identity Center assignment does not
 * end sessions already issued (they last up to the permission set's session
 * duration), so the permission set's inline policy denies everything to that
 * user's role sessions in that account issued before the end. Pure: no I/O.
 *
 * The plugin owns only statements whose Sid starts with {@link SID_PREFIX};
 * every other statement (the admin's own) is kept as it is.
 */
import { createHash } from 'node:crypto';

/** The Sid prefix of every statement the plugin writes, and only those. */
export const SID_PREFIX = 'ElevatedAccessEndSessions';

/** IAM Identity Center's limit on an inline policy, in characters. */
export const INLINE_POLICY_MAX_CHARS = 32_768;

/** Sessions of one user in one account issued before a moment. */
export interface SessionBlock {
  accountId: string;
  /** The Identity Center user name: the role session name of their sessions. */
  userName: string;
  /** ISO time: sessions issued before it are denied. */
  issuedBefore: string;
}

/** The inline policy can not hold the blocks even with users merged. */
export class InlinePolicyTooLargeError extends Error {
  name = 'InlinePolicyTooLargeError';
}

/** The admin's inline policy is not a JSON policy document: never overwritten. */
export class InlinePolicyUnreadableError extends Error {
  name = 'InlinePolicyUnreadableError';
}

export interface BuiltInlinePolicy {
  /** The document to put; undefined: delete the inline policy (nothing left). */
  document: string | undefined;
  /** Users of one account were merged under the latest time to fit the limit. */
  mergedUsers: boolean;
}

type Statement = Record<string, unknown>;

const isOwn = (s: unknown) =>
  typeof (s as Statement)?.Sid === 'string' &&
  ((s as Statement).Sid as string).startsWith(SID_PREFIX);

/**
 * The moment rounded up to the whole second (IAM compares times to the
 * second; a session issued in the same second before the end is denied too).
 */
export function policyTime(iso: string): string {
  const ms = Date.parse(iso);
  return new Date(Math.ceil(ms / 1000) * 1000)
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
}

function parse(current: string | undefined): {
  document: Statement;
  statements: unknown[];
} {
  const text = current?.trim();
  if (!text) return { document: { Version: '2012-10-17' }, statements: [] };
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (e) {
    throw new InlinePolicyUnreadableError(
      `The permission set's inline policy is not valid JSON: ${
        (e as Error).message
      }`,
    );
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    throw new InlinePolicyUnreadableError(
      "The permission set's inline policy is not a policy document",
    );
  }
  const raw = (document as Statement).Statement;
  let statements: unknown[] = [];
  if (Array.isArray(raw)) statements = raw;
  else if (raw !== undefined) statements = [raw];
  return { document: document as Statement, statements };
}

/** The plugin's own statements in an inline policy document. */
export function ownStatements(current: string | undefined): Statement[] {
  return parse(current).statements.filter(isOwn) as Statement[];
}

/** Every statement that is not the plugin's (the admin's), as written. */
export function adminStatements(current: string | undefined): unknown[] {
  return parse(current).statements.filter(s => !isOwn(s));
}

const shortHash = (text: string) =>
  createHash('sha256').update(text).digest('hex').slice(0, 12);

const one = <T>(values: T[]): T | T[] =>
  values.length === 1 ? values[0] : values;

function statement(
  accountId: string,
  userNames: string[],
  issuedBefore: string,
  sid: string,
): Statement {
  return {
    Sid: sid,
    Effect: 'Deny',
    Action: '*',
    Resource: '*',
    Condition: {
      // an Identity Center session's user id is <role id>:<user name>
      StringLike: { 'aws:userid': one(userNames.map(u => `AROA*:${u}`)) },
      StringEquals: { 'aws:PrincipalAccount': accountId },
      DateLessThan: { 'aws:TokenIssueTime': policyTime(issuedBefore) },
    },
  };
}

const later = (a: string, b: string) =>
  Date.parse(a) >= Date.parse(b) ? a : b;

/** One statement per account and user, with the latest time of its blocks. */
function perUser(blocks: SessionBlock[]): Statement[] {
  const byKey = new Map<string, SessionBlock>();
  for (const b of blocks) {
    const key = `${b.accountId}\u0000${b.userName}`;
    const seen = byKey.get(key);
    byKey.set(
      key,
      seen
        ? { ...b, issuedBefore: later(seen.issuedBefore, b.issuedBefore) }
        : b,
    );
  }
  return [...byKey.values()]
    .sort(
      (a, b) =>
        a.accountId.localeCompare(b.accountId) ||
        a.userName.localeCompare(b.userName),
    )
    .map(b =>
      statement(
        b.accountId,
        [b.userName],
        b.issuedBefore,
        `${SID_PREFIX}${b.accountId}U${shortHash(b.userName)}`,
      ),
    );
}

/** One statement per account: its users together, under the latest time. */
function perAccount(blocks: SessionBlock[]): Statement[] {
  const byAccount = new Map<string, { users: Set<string>; time: string }>();
  for (const b of blocks) {
    const seen = byAccount.get(b.accountId);
    if (seen) {
      seen.users.add(b.userName);
      seen.time = later(seen.time, b.issuedBefore);
    } else {
      byAccount.set(b.accountId, {
        users: new Set([b.userName]),
        time: b.issuedBefore,
      });
    }
  }
  return [...byAccount.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([accountId, { users, time }]) =>
      statement(
        accountId,
        [...users].sort(),
        time,
        `${SID_PREFIX}${accountId}All`,
      ),
    );
}

/**
 * The inline policy with the admin's statements kept as they are and the
 * plugin's statements replaced by exactly `blocks`. Over the size limit, the
 * users of each account are merged under the latest time; if even that does
 * not fit, nothing is built.
 */
export function buildInlinePolicy(
  current: string | undefined,
  blocks: SessionBlock[],
  maxChars = INLINE_POLICY_MAX_CHARS,
): BuiltInlinePolicy {
  const { document, statements } = parse(current);
  const admins = statements.filter(s => !isOwn(s));
  if (!blocks.length) {
    const hadOwn = statements.length !== admins.length;
    if (!hadOwn) return { document: current, mergedUsers: false };
    // nothing of the admin's: the plugin added the inline policy, so it goes
    if (!admins.length && isOnlyOwn(document)) {
      return { document: undefined, mergedUsers: false };
    }
    return {
      document: JSON.stringify({ ...document, Statement: admins }),
      mergedUsers: false,
    };
  }
  const render = (own: Statement[]) =>
    JSON.stringify({
      ...document,
      Version: document.Version ?? '2012-10-17',
      Statement: [...admins, ...own],
    });
  const fine = render(perUser(blocks));
  if (fine.length <= maxChars) return { document: fine, mergedUsers: false };
  const merged = render(perAccount(blocks));
  if (merged.length <= maxChars) return { document: merged, mergedUsers: true };
  throw new InlinePolicyTooLargeError(
    `The permission set's inline policy would have ${merged.length} characters with the session blocks of ${blocks.length} ended accesses, over the limit of ${maxChars}`,
  );
}

/** A document the plugin made that holds nothing else (Version, Statement). */
function isOnlyOwn(document: Statement): boolean {
  return Object.keys(document).every(k => k === 'Version' || k === 'Statement');
}

/**
 * The milliseconds of an ISO 8601 duration such as PT1H or PT12H30M: PT1H
 * (AWS's default) when unset, the 12-hour maximum when unreadable (a block
 * lifted late is safe, one lifted early is not).
 */
export function parseSessionDuration(iso: string | undefined): number {
  if (!iso) return 60 * 60_000;
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(iso);
  if (!m || (!m[1] && !m[2] && !m[3])) return 12 * 60 * 60_000;
  return (
    (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) *
    1000
  );
}
