/**
 * Whether a grant was used, from its session's activity.
 *
 * Every event the session made counts as use (read-only calls and calls that
 * were denied included: they show the access was needed, or tried), except
 * the noise that merely opening the session produces: the console sign-in
 * (`signin.amazonaws.com`, e.g. ConsoleLogin) and `sts:GetCallerIdentity`
 * (what CLIs and SDKs call to check who they are). A grant whose only events
 * are these was not used. The same rule decides `used`, the backfill of the
 * migration `20261208000000_activity_used.js` and which event sources the
 * audit insights list.
 */
export interface NoiseEvent {
  eventSource: string;
  /** Every event of the source is noise when absent. */
  eventName?: string;
}

export const NOISE_EVENTS: readonly NoiseEvent[] = [
  { eventSource: 'signin.amazonaws.com' },
  { eventSource: 'sts.amazonaws.com', eventName: 'GetCallerIdentity' },
];

/** Whether one event shows the grant was used. */
export function isUsageEvent(event: {
  eventSource: string;
  eventName: string;
}): boolean {
  return !NOISE_EVENTS.some(
    n =>
      n.eventSource === event.eventSource &&
      (n.eventName === undefined || n.eventName === event.eventName),
  );
}
