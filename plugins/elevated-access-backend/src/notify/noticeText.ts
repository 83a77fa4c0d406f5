import { DateTime } from 'luxon';
import {
  formatMinutes,
  shortEntityRef,
} from '@elevated-access/backstage-plugin-elevated-access-common';

/*
 * How notices write what they quote (text from users, the catalog or AWS),
 * people and times, the same for every renderer.
 */

/** Longest piece of free text (justification, comment, reason) in a notice. */
const MAX_FREE_TEXT = 500;

/**
 * Text from users, the catalog or AWS, made safe for every renderer of
 * notifications. They are plain text in Backstage, but the Slack
 * notification processor posts the description as Slack `mrkdwn`, where
 * `<!channel>`, `<@U…>`, `<https://…|label>` and `<@user:default/…>` are
 * mentions and links: `<` and `>` become the look-alikes `‹` and `›`, so
 * none of those can form. Line breaks become spaces (a justification cannot
 * start a line of its own and pass for one of ours) and long text is cut.
 */
export function plainText(
  value: string | undefined,
  maxLength = MAX_FREE_TEXT,
): string {
  const chars = Array.from((value ?? '').replace(/\s+/g, ' ').trim());
  const cut =
    chars.length > maxLength
      ? `${chars.slice(0, maxLength).join('')}…`
      : chars.join('');
  return cut.replace(/</g, '‹').replace(/>/g, '›');
}

/** `user:default/alice` → `alice`; other namespaces and kinds stay visible. */
export function shortRef(ref: string): string {
  return plainText(shortEntityRef(ref), 200);
}

/** `2026-11-21 09:00 UTC`: the same for every reader, in every renderer. */
export function utcTime(iso: string | undefined): string {
  const ms = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) return 'an unknown time';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * `Sat 21 Nov 2026, 09:00 UTC`, or in the organisation's zone when one is
 * configured (`notifications.timeZone`): `Sat 21 Nov 2026, 10:00 CET`. The
 * server does not know each reader's zone, so notices say times relative to
 * when they were sent ("in 2 h") and give the moment itself in a human format
 * with its zone named, never an ISO timestamp.
 */
export function humanTime(iso: string | undefined, zone = 'UTC'): string {
  const at = iso ? DateTime.fromISO(iso, { zone }) : undefined;
  if (!at?.isValid) return 'an unknown time';
  return at.setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm ZZZZ');
}

/** `now`, `in 2 h`, `5 min ago`: from the moment the notice is sent. */
export function fromNow(iso: string | undefined, now: Date): string {
  const ms = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) return 'at an unknown time';
  const minutes = Math.round((ms - now.getTime()) / 60_000);
  if (Math.abs(minutes) < 1) return 'now';
  return minutes > 0
    ? `in ${formatMinutes(minutes)}`
    : `${formatMinutes(-minutes)} ago`;
}

/** `now`, or `in 2 h (Sat 21 Nov 2026, 09:00 UTC)`, in `zone`. */
export function whenIn(
  iso: string | undefined,
  now: Date,
  zone = 'UTC',
): string {
  const relative = fromNow(iso, now);
  return relative === 'now'
    ? relative
    : `${relative} (${humanTime(iso, zone)})`;
}
