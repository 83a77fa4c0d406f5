import { LoggerService } from '@backstage/backend-plugin-api';

/** One unit of scheduled lifecycle work; each runs on its own and is idempotent. */
export interface LifecycleStep {
  name: string;
  run(signal?: AbortSignal): Promise<void>;
  /** Stops taking work and gives back what this replica holds. */
  shutdown?(graceMs?: number): Promise<void>;
}

/**
 * Runs its steps side by side (a slow revocation never holds up grants or
 * expiries); one failing step is logged and does not stop the others.
 *
 * A pass lasts as long as its busiest step. A step that runs out of work
 * looks again every `tickMs` while another step of the pass still works, so
 * work that becomes due meanwhile (an end while grants are being made) does
 * not wait for the busiest step to drain before the next pass.
 */
export class LifecycleJob {
  constructor(
    private readonly steps: LifecycleStep[],
    private readonly logger: LoggerService,
    private readonly tickMs = 1_000,
  ) {}

  async run(signal?: AbortSignal): Promise<void> {
    const working = new Set<LifecycleStep>();
    const sleepers = new Set<() => void>();
    const runOnce = async (step: LifecycleStep) => {
      working.add(step);
      try {
        await step.run(signal);
      } catch (error) {
        this.logger.error(
          `Elevated Access lifecycle step ${step.name} failed`,
          { error: String(error) },
        );
      } finally {
        working.delete(step);
        // the pass is over once nothing works: wake the steps waiting to look again
        if (working.size === 0) for (const wake of [...sleepers]) wake();
      }
    };
    const othersWorking = () => working.size > 0 && !signal?.aborted;
    const pause = () =>
      new Promise<void>(resolve => {
        let timer: NodeJS.Timeout | undefined = undefined;
        const wake = () => {
          clearTimeout(timer);
          sleepers.delete(wake);
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        timer = setTimeout(wake, this.tickMs);
        sleepers.add(wake);
        signal?.addEventListener('abort', wake, { once: true });
      });
    await Promise.all(
      this.steps.map(async step => {
        if (signal?.aborted) return;
        await runOnce(step);
        while (othersWorking()) {
          await pause();
          if (!othersWorking()) break;
          await runOnce(step);
        }
      }),
    );
  }

  /** Stops every step; each gives back the work it holds. */
  async shutdown(graceMs?: number): Promise<void> {
    await Promise.all(this.steps.map(step => step.shutdown?.(graceMs)));
  }
}
