import { Clock } from '../service/Clock';

/**
 * A clock that moves only when the test moves it, with timers that fire when
 * it passes their time (like jest's fake timers, but the database driver and
 * the work pools keep their real timers).
 */
export class ManualClock implements Clock {
  private readonly timers = new Set<{ at: number; fn: () => void }>();

  constructor(private ms: number) {}

  now(): Date {
    return new Date(this.ms);
  }

  setTimer(fn: () => void, ms: number): { clear(): void } {
    const timer = { at: this.ms + ms, fn };
    this.timers.add(timer);
    return { clear: () => this.timers.delete(timer) };
  }

  /** When the next timer fires (undefined: none is set). */
  nextTimerAt(): Date | undefined {
    const next = Math.min(...[...this.timers].map(t => t.at));
    return Number.isFinite(next) ? new Date(next) : undefined;
  }

  /**
   * Moves time to `to`, stopping at each timer's time to fire every timer
   * due then and to await `settle` (what the timers started), so timers set
   * meanwhile fire too.
   */
  async advanceTo(to: Date, settle: () => Promise<unknown>): Promise<void> {
    for (;;) {
      const next = this.nextTimerAt();
      if (!next || next.getTime() > to.getTime()) break;
      this.ms = Math.max(this.ms, next.getTime());
      for (const timer of [...this.timers]) {
        if (timer.at <= this.ms) {
          this.timers.delete(timer);
          timer.fn();
        }
      }
      await settle();
    }
    this.ms = Math.max(this.ms, to.getTime());
  }

  advance(ms: number, settle: () => Promise<unknown>): Promise<void> {
    return this.advanceTo(new Date(this.ms + ms), settle);
  }
}
