import { LoggerService } from '@backstage/backend-plugin-api';

/** Why an item's work was aborted. */
export class WorkAbortedError extends Error {
  name = 'WorkAbortedError';
}

export interface WorkPoolOptions<T> {
  /** Items worked on at once. */
  concurrency: number;
  /** Claims last this long; heartbeats renew them every third of it. */
  leaseMs: number;
  /** One item gives up its slot after this long (and is retried by onError). */
  itemDeadlineMs: number;
  /** Renews the item's claim; false when another replica has it now. */
  heartbeat(item: T): Promise<boolean>;
  work(item: T, signal: AbortSignal): Promise<void>;
  /** Gives the item back after a failure; `stopping` when the replica shuts down. */
  onError(item: T, error: unknown, stopping: boolean): Promise<void>;
  logger: LoggerService;
  /** How often to look for newly due work while items are in flight. */
  tickMs?: number;
}

/**
 * Works claimed items continuously, up to `concurrency` at once: a slow item
 * occupies one slot and never holds up the rest (no batch waits for its
 * slowest member). Each item's claim is kept alive by heartbeats while it
 * runs, so a replica that dies loses its claims within one lease; one that
 * shuts down aborts its items, which give their claims back at once.
 */
export class WorkPool<T extends { id: string }> {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(private readonly options: WorkPoolOptions<T>) {}

  /** How many items run now. */
  get size() {
    return this.inFlight.size;
  }

  /**
   * Claims and works items until nothing is due and nothing runs. A call
   * while a loop runs joins that loop and makes it look for work once more
   * at once (a due timer firing during a scheduled pass): one loop per pool,
   * so the concurrency holds and nothing due is missed by a loop that was
   * about to end.
   */
  run(
    claim: (limit: number) => Promise<T[]>,
    signal?: AbortSignal,
  ): Promise<void> {
    this.lookAgain = true;
    this.wake?.();
    if (!this.loop) {
      this.loop = this.runLoop(claim, signal).finally(() => {
        this.loop = undefined;
      });
    }
    return this.loop;
  }

  private loop?: Promise<void>;
  private lookAgain = false;
  private wake?: () => void;

  private async runLoop(
    claim: (limit: number) => Promise<T[]>,
    signal?: AbortSignal,
  ): Promise<void> {
    const stop = signal
      ? AbortSignal.any([signal, this.stopping.signal])
      : this.stopping.signal;
    while (!stop.aborted) {
      this.lookAgain = false;
      const free = this.options.concurrency - this.inFlight.size;
      const claimed = free > 0 ? await claim(free) : [];
      for (const item of claimed) this.start(item);
      if (this.inFlight.size === 0 && !this.lookAgain) break;
      if (this.lookAgain) continue;
      // a slot freed, a caller asked to look again, or time to look for
      // work that became due
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        ...this.inFlight.values(),
        new Promise<void>(resolve => {
          this.wake = resolve;
          timer = setTimeout(resolve, this.options.tickMs ?? 250);
        }),
      ]);
      clearTimeout(timer);
      this.wake = undefined;
    }
    await Promise.allSettled([...this.inFlight.values()]);
  }

  /**
   * Stops taking work and aborts what runs; waits up to `graceMs` for items
   * to give their claims back (what is still running then keeps its claim
   * until the lease runs out).
   */
  async shutdown(graceMs = 10_000): Promise<void> {
    this.stopping.abort(new WorkAbortedError('The replica is shutting down'));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight.values()]),
      new Promise(resolve => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
  }

  private start(item: T) {
    const { options } = this;
    const own = new AbortController();
    const signal = AbortSignal.any([own.signal, this.stopping.signal]);
    let lost = false;
    const heartbeat = setInterval(() => {
      options.heartbeat(item).then(
        held => {
          if (!held) {
            lost = true;
            own.abort(new WorkAbortedError('The claim was taken over'));
          }
        },
        () => {}, // a missed beat is retried on the next one
      );
    }, Math.max(50, options.leaseMs / 3));
    const deadline = setTimeout(
      () =>
        own.abort(
          new WorkAbortedError(
            `Gave up after ${Math.round(options.itemDeadlineMs / 1000)} s`,
          ),
        ),
      options.itemDeadlineMs,
    );
    const promise = (async () => {
      try {
        await options.work(item, signal);
      } catch (error) {
        if (lost) return; // its new holder carries on
        try {
          await options.onError(item, error, this.stopping.signal.aborted);
        } catch (releaseError) {
          options.logger.error(
            `Could not give back the claim on ${item.id}; it is released when its lease runs out`,
            { error: String(releaseError) },
          );
        }
      } finally {
        clearInterval(heartbeat);
        clearTimeout(deadline);
        this.inFlight.delete(item.id);
      }
    })();
    this.inFlight.set(item.id, promise);
  }
}
