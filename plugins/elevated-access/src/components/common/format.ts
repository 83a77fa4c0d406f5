import {
  AccessRequest,
  formatMinutes,
  minutesUntil,
  shortEntityRef,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { DateTime } from 'luxon';

/** A time in the user's own zone, e.g. "21 Nov 2026, 10:30". */
export function formatWhen(iso: string | undefined): string {
  if (!iso) return '—';
  return DateTime.fromISO(iso).toLocal().toLocaleString(DateTime.DATETIME_MED);
}

/** An ISO-8601 moment as servers write it, e.g. 2026-11-29T02:56:45.175Z. */
const ISO_MOMENT =
  /\b\d{4}-\d{2}-\d{2}(?:T| )\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z| UTC\b|[+-]\d{2}:\d{2})/g;

/**
 * Server-written text with its moments in the reader's zone: "Access
 * granted; until 2026-11-29T02:56:45.175Z" reads "… until 29 Nov 2026, 03:56".
 */
export function withLocalTimes(text: string): string {
  return text.replace(ISO_MOMENT, written => {
    // "2026-11-29 03:40 UTC" as the notices write it, or ISO-8601
    const iso = written.replace(' ', 'T').replace(/ UTC$/, 'Z');
    return DateTime.fromISO(iso).isValid ? formatWhen(iso) : written;
  });
}

/** The user's zone as people read it, e.g. "Europe/Paris (CET)". */
export function zoneLabel(): string {
  const now = DateTime.local();
  return `${now.zoneName} (${now.toFormat('ZZZZ')})`;
}

/** "in 2 h 10 min" / "5 min ago". */
export function relative(iso: string | undefined, nowIso: string): string {
  if (!iso) return '';
  const minutes = minutesUntil(iso, nowIso);
  if (Math.abs(minutes) < 1) return 'now';
  return minutes > 0
    ? `in ${formatMinutes(minutes)}`
    : `${formatMinutes(-minutes)} ago`;
}

/** A user or group ref as a short name: group:default/leads → leads. */
export function shortRef(ref: string): string {
  return shortEntityRef(ref, ['user', 'group']);
}

/**
 * What a request in provisioning is doing now, in words: a removal that the
 * target keeps refusing says that access is still present and being retried.
 */
export function provisioningState(r: AccessRequest): string | undefined {
  if (r.status === 'revoking') {
    return r.errorReason
      ? `Access still present, retrying removal: ${r.errorReason}`
      : 'Access is being removed';
  }
  if (r.status === 'granting') return 'Access is being granted';
  return undefined;
}

/** What a request's card says about its access now: a headline and a detail. */
export interface AccessState {
  headline: string;
  detail?: string;
}

/** A list of names as people write it: "a", "a or b", "a, b or c". */
export function orList(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/**
 * What is happening with a request's access, in words, for every status a
 * request can have: never "Starts 3 min ago" for access that is being removed.
 */
export function accessState(r: AccessRequest, nowIso: string): AccessState {
  switch (r.status) {
    case 'pending': {
      const approvers = orList(r.approverRefs.map(shortRef));
      const votes =
        r.minApprovals > 1
          ? ` (${r.approvals} of ${r.minApprovals} approvals)`
          : '';
      return {
        headline: `Waiting for approval${votes}`,
        detail: [
          approvers && `${approvers} can approve it.`,
          r.expiresAt &&
            `Closes ${relative(r.expiresAt, nowIso)} (${formatWhen(
              r.expiresAt,
            )}) unless someone decides.`,
        ]
          .filter(Boolean)
          .join(' '),
      };
    }
    case 'approved':
      return minutesUntil(r.startTime, nowIso) >= 1
        ? {
            headline: `Starts ${relative(r.startTime, nowIso)}`,
            detail: `${formatWhen(r.startTime)} for ${formatMinutes(
              r.approvedDurationMinutes ?? r.durationMinutes,
            )}.`,
          }
        : {
            headline: 'Access is about to be granted',
            detail: 'It starts as soon as the grant is confirmed.',
          };
    case 'granting':
      return {
        headline: 'Access is being granted',
        detail: 'This usually takes less than a minute.',
      };
    case 'active':
      return {
        headline: `Ends ${relative(r.endTime, nowIso)}`,
        detail: `Until ${formatWhen(r.endTime)}.`,
      };
    case 'revoking':
      return r.errorReason
        ? {
            headline: 'Access still present, retrying removal',
            detail: r.errorReason,
          }
        : {
            headline: 'Access is being removed',
            detail: 'It is gone within a minute or two.',
          };
    case 'error':
      return {
        headline: r.grantedAt
          ? 'Removing access failed'
          : 'Granting access failed',
        detail: `${
          r.errorReason ? `${r.errorReason.replace(/\.+$/, '')}. ` : ''
        }An admin can retry it from the request page.`,
      };
    case 'ended':
      return { headline: 'Access has ended' };
    case 'revoked':
      return {
        headline: r.revokedBy
          ? `Access was ended early by ${shortRef(r.revokedBy)}`
          : 'Access was ended early',
      };
    case 'rejected':
      return { headline: 'The request was rejected' };
    case 'cancelled':
      return { headline: 'The request was cancelled' };
    case 'expired':
      return { headline: 'Nobody decided in time' };
    default:
      return { headline: String(r.status) };
  }
}
