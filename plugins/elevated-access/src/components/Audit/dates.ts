import { DateTime } from 'luxon';

/** A day in the user's zone → the instant it starts (or the next day starts, for `to`). */
export const dayStart = (day: string, next = false) =>
  day
    ? DateTime.fromISO(day)
        .plus({ days: next ? 1 : 0 })
        .startOf('day')
        .toUTC()
        .toISO()!
    : undefined;
