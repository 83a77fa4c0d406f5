import { LoggerService } from '@backstage/backend-plugin-api';
import { Clock, setClockTimer } from '../service/Clock';

export interface DueTimerOptions {
  /** When the next piece of work is due (undefined: nothing is). */
  nextDue(now: Date): Promise<Date | undefined>;
  /** Does what is due (claimed row by row, so replicas never act twice). */
  work(signal: AbortSignal): Promise<void>;
  clock: Clock;
  logger: LoggerService;
  /**
   * The longest wait between two looks at `nextDue`: how soon a change
   * written by another replica is seen.
   */
  pollMs: number;
  /**
   * The wait after a pass that left work due (e.g. a failing catalog), so a
   * stuck item is not retried in a tight loop (default 1 s).
   */
  retryMs?: number;
}

/**
 * Acts on a grant's start or an end at its time, whatever the scheduled
 * task's period: one timer per replica, set for the nearest due time and
 * re-armed on every change (`poke` after a write in this replica, a look at
 * the database every `pollMs` for other replicas' writes). The timer runs
 * the same claimed work as the scheduled task, which stays as the safety net.
 */
export class DueTimer {
  private timer?: { clear(): void };
  private cycling?: Promise<void>;
  private again = false;
  // not started (tests and benches that run the task by hand): pokes do nothing
  private stopped = true;
  private readonly stopping = new AbortController();

  constructor(private readonly options: DueTimerOptions) {}

  /** Looks for the nearest due time and arms the timer for it. */
  start(): void {
    this.stopped = false;
    this.poke();
  }

  /** Something changed: look again for the nearest due time. */
  poke(): void {
    if (this.stopped) return;
    if (this.cycling) {
      this.again = true;
      return;
    }
    this.cycling = this.cycle().finally(() => {
      this.cycling = undefined;
      // a change that came after the last look
      if (this.again) {
        this.again = false;
        this.poke();
      }
    });
  }

  /** Resolves once no look or pass is running (for tests and shutdown). */
  async settled(): Promise<void> {
    while (this.cycling) await this.cycling;
  }

  /** Clears the timer and waits for a running pass to give its work back. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.clear();
    this.timer = undefined;
    this.stopping.abort();
    await this.settled();
  }

  private async cycle(): Promise<void> {
    const { clock, logger, pollMs } = this.options;
    let passes = 0;
    let wait = pollMs;
    try {
      for (;;) {
        this.again = false;
        const now = clock.now();
        const due = await this.options.nextDue(now);
        if (this.stopped) return;
        const untilDue = due ? due.getTime() - now.getTime() : Infinity;
        if (untilDue > 0) {
          if (this.again) continue;
          wait = Math.min(untilDue, pollMs);
          break;
        }
        // a pass works everything due; what is still due after a couple of
        // passes failed, and waits a little
        if (passes >= 2) {
          wait = this.options.retryMs ?? 1_000;
          break;
        }
        passes++;
        await this.options.work(this.stopping.signal);
        if (this.stopped) return;
      }
    } catch (error) {
      logger.error('Elevated Access due timer failed; looking again later', {
        error: String(error),
      });
      wait = Math.max(this.options.retryMs ?? 1_000, 1);
    }
    if (this.stopped) return;
    this.timer?.clear();
    this.timer = setClockTimer(
      clock,
      () => {
        this.timer = undefined;
        this.poke();
      },
      wait,
    );
  }
}
