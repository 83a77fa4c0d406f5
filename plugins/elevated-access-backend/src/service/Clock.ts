/** Where the plugin reads the time; tests move it forward. */
export interface Clock {
  now(): Date;
  /**
   * Calls `fn` once this clock has moved on by `ms` (not set: Node's timer,
   * which never keeps the process alive). A test clock fires it when the
   * test moves its time.
   */
  setTimer?(fn: () => void, ms: number): { clear(): void };
}

export const systemClock: Clock = { now: () => new Date() };

/** setTimeout's longest delay (2^31 - 1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Sets a timer on `clock`: its own when it has one, else an unref'd Node
 * timer. Delays past setTimeout's limit are capped (the caller re-arms when
 * it fires early); negative ones fire at once.
 */
export function setClockTimer(
  clock: Clock,
  fn: () => void,
  ms: number,
): { clear(): void } {
  const delay = Math.min(MAX_TIMER_MS, Math.max(0, ms));
  if (clock.setTimer) return clock.setTimer(fn, delay);
  const timer = setTimeout(fn, delay);
  timer.unref();
  return { clear: () => clearTimeout(timer) };
}
