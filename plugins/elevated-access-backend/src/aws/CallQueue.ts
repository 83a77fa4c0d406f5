import {
  DEFAULT_RETRY_DELAY_BASE,
  isServerError,
  isThrottlingError,
  isTransientError,
  MAXIMUM_RETRY_DELAY,
  THROTTLING_RETRY_DELAY_BASE,
} from '@smithy/core/retry';
import pLimit from 'p-limit';

/** Limits of the queue (IAM Identity Center's: 10 operations in flight, 20 calls per second). */
export interface CallQueueOptions {
  maxInFlight: number;
  callsPerSecond: number;
  /** How long one call may keep retrying throttling and server errors. */
  retryDeadlineMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Counters for benchmarks and logs. */
export interface CallQueueStats {
  calls: number;
  retries: number;
  throttled: number;
  serverErrors: number;
}

/** A call that kept failing with retryable errors until its deadline. */
export class RetriesExhaustedError extends Error {
  name = 'RetriesExhaustedError';
  constructor(readonly lastError: unknown, attempts: number) {
    super(
      `Gave up after ${attempts} attempts: ${
        (lastError as Error)?.message ?? lastError
      }`,
    );
  }
}

/** Milliseconds on a monotonic clock: pacing must not follow wall-clock jumps. */
export const monotonicMs = () => Number(process.hrtime.bigint() / 1_000_000n);

const defaultSleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * One queue for every Identity Center write and status call.
 *
 * - An *operation* (e.g. create an assignment and poll it to completion)
 *   holds one of `maxInFlight` slots until it finishes.
 * - Every *call attempt* takes a slot in time: calls are spaced 1/callsPerSecond
 *   apart, so the queue never bursts above the rate.
 * - Throttling, transient and 5xx errors (classified by the AWS SDK's own
 *   rules) are retried with full-jitter exponential backoff using the SDK's
 *   base delays, until a deadline. A throttled burst delays work; it does not
 *   drop it.
 */
export class CallQueue {
  private readonly slots: pLimit.Limit;
  private nextCallAt = 0;
  readonly stats: CallQueueStats = {
    calls: 0,
    retries: 0,
    throttled: 0,
    serverErrors: 0,
  };
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly intervalMs: number;

  constructor(private readonly options: CallQueueOptions) {
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.intervalMs = 1000 / options.callsPerSecond;
    this.slots = pLimit(options.maxInFlight);
  }

  /** Runs `fn` holding one in-flight slot. */
  operation<T>(fn: () => Promise<T>): Promise<T> {
    return this.slots(fn);
  }

  /** One AWS call, rate limited and retried; use inside `operation`. */
  async call<T>(send: () => Promise<T>): Promise<T> {
    const deadline =
      monotonicMs() + (this.options.retryDeadlineMs ?? 10 * 60_000);
    for (let attempt = 0; ; attempt++) {
      await this.waitForRate();
      this.stats.calls++;
      try {
        return await send();
      } catch (error) {
        const throttled = isThrottlingError(error as any);
        const retryable =
          throttled ||
          isTransientError(error as any) ||
          isServerError(error as any);
        if (!retryable) throw error;
        if (throttled) this.stats.throttled++;
        else this.stats.serverErrors++;
        const delay = this.backoff(attempt, throttled);
        if (monotonicMs() + delay > deadline) {
          throw new RetriesExhaustedError(error, attempt + 1);
        }
        this.stats.retries++;
        await this.sleep(delay);
      }
    }
  }

  /** Full jitter: a random delay up to base × 2^attempt, capped. */
  private backoff(attempt: number, throttled: boolean): number {
    const base = throttled
      ? THROTTLING_RETRY_DELAY_BASE
      : DEFAULT_RETRY_DELAY_BASE;
    const cap = Math.min(
      MAXIMUM_RETRY_DELAY,
      base * 2 ** Math.min(attempt, 16),
    );
    return Math.floor(this.random() * cap);
  }

  private async waitForRate() {
    const now = monotonicMs();
    const at = Math.max(now, this.nextCallAt);
    this.nextCallAt = at + this.intervalMs;
    if (at > now) await this.sleep(at - now);
  }
}
