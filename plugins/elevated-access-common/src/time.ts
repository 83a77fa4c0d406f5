import { DateTime, Duration } from 'luxon';

/**
 * The planned access window of a request: from the requested start for the
 * requested duration. Access itself lasts the full duration from the actual
 * grant (see `windowFromGrant`): a late approval does not eat into it.
 *
 * @public
 */
export function accessWindow(
  startTime: string,
  durationMinutes: number,
): { start: string; end: string } {
  const start = DateTime.fromISO(startTime, { zone: 'utc' });
  return {
    start: start.toISO()!,
    end: start.plus({ minutes: durationMinutes }).toISO()!,
  };
}

/**
 * When an undecided request expires: the pending timeout counted from
 * creation, but never later than the end of the requested window.
 *
 * @public
 */
export function pendingDeadline(options: {
  createdAt: string;
  startTime: string;
  durationMinutes: number;
  pendingTimeoutMinutes: number;
}): string {
  const byTimeout = DateTime.fromISO(options.createdAt, { zone: 'utc' }).plus({
    minutes: options.pendingTimeoutMinutes,
  });
  const byWindow = DateTime.fromISO(
    accessWindow(options.startTime, options.durationMinutes).end,
    {
      zone: 'utc',
    },
  );
  return DateTime.min(byTimeout, byWindow).toISO()!;
}

/**
 * A duration in minutes as people say it: `45 min`, `2 h`, `1 h 30 min`,
 * `2 d 4 h`.
 *
 * @public
 */
export function formatMinutes(minutes: number): string {
  if (!Number.isFinite(minutes)) return '';
  const rounded = Math.max(0, Math.round(minutes));
  const d = Duration.fromObject({ minutes: rounded }).shiftTo(
    'days',
    'hours',
    'minutes',
  );
  const parts: string[] = [];
  if (d.days) parts.push(`${d.days} d`);
  if (d.hours) parts.push(`${d.hours} h`);
  if (d.minutes || parts.length === 0) parts.push(`${d.minutes} min`);
  return parts.join(' ');
}

/**
 * Minutes from `now` until `until` (negative when past).
 *
 * @public
 */
export function minutesUntil(until: string, now: string): number {
  return DateTime.fromISO(until)
    .diff(DateTime.fromISO(now), 'minutes')
    .as('minutes');
}

/**
 * Parses an ISO 8601 duration such as a permission set's `PT1H` into minutes;
 * undefined when it is not one.
 *
 * @public
 */
export function isoDurationToMinutes(
  iso: string | undefined,
): number | undefined {
  if (!iso) return undefined;
  const d = Duration.fromISO(iso);
  return d.isValid ? d.as('minutes') : undefined;
}

/**
 * When access granted at `grantedAt` ends: the planned window's length counted
 * from the grant, so a request approved 45 minutes late still gets its whole
 * duration (the pending deadline bounds how late that can be).
 *
 * @public
 */
export function windowFromGrant(
  planned: { startTime: string | Date; endTime: string | Date },
  grantedAt: Date,
): Date {
  const length =
    new Date(planned.endTime).getTime() - new Date(planned.startTime).getTime();
  return new Date(grantedAt.getTime() + Math.max(0, length));
}
