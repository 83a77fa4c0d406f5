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
 */
export class LifecycleJob {
  constructor(
    private readonly steps: LifecycleStep[],
    private readonly logger: LoggerService,
  ) {}

  async run(signal?: AbortSignal): Promise<void> {
    await Promise.all(
      this.steps.map(async step => {
        if (signal?.aborted) return;
        try {
          await step.run(signal);
        } catch (error) {
          this.logger.error(
            `Elevated Access lifecycle step ${step.name} failed`,
            { error: String(error) },
          );
        }
      }),
    );
  }

  /** Stops every step; each gives back the work it holds. */
  async shutdown(graceMs?: number): Promise<void> {
    await Promise.all(this.steps.map(step => step.shutdown?.(graceMs)));
  }
}
