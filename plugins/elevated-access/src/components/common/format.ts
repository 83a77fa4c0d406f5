import {
  AccessRequest,
  formatMinutes,
  minutesUntil,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { DateTime } from 'luxon';

/** A time in the user's own zone, e.g. "21 Nov 2026, 10:30". */
export function formatWhen(iso: string | undefined): string {
  if (!iso) return '—';
  return DateTime.fromISO(iso).toLocal().toLocaleString(DateTime.DATETIME_MED);
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

/** A catalog ref as a short name: user:default/alice → alice. */
export function shortRef(ref: string): string {
  return ref.replace(/^(user|group):(default\/)?/, '');
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
