import {
  DEFAULT_RETRY_DELAY_BASE,
  isServerError,
  isThrottlingError,
  isTransientError,
  MAXIMUM_RETRY_DELAY,
  THROTTLING_RETRY_DELAY_BASE,
} from '@smithy/core/retry';
import pLimit from 'p-limit';

/**
 * A call budget shared with other replicas: hands out call slots
 * `intervalMs` apart across every process that uses the same bucket.
 */
export interface SharedRateGate {
  /** Books the next slot; resolves to how long to wait for it (ms). */
  reserve(intervalMs: number): Promise<number>;
}

/** Limits of the queue (IAM Identity Center's: 10 operations in flight, 20 calls per second). */
export interface CallQueueOptions {
  maxInFlight: number;
  /** Calls per second for this queue; with `gate`, for all replicas together. */
  callsPerSecond: number;
  /** How long one call may keep retrying throttling and server errors. */
  retryDeadlineMs?: number;
  /**
   * The longest wait between two attempts (default 5 s, below the SDK's
   * 20 s): the queue already paces calls under the quota, so throttling
   * means a brief contention, and a status poll should not sleep for long.
   */
  maxBackoffMs?: number;
  /** Shares the call rate with other replicas (see DatabaseRateGate). */
  gate?: SharedRateGate;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The clock pacing is measured on (monotonic milliseconds). */
  now?: () => number;
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

/** A sleep that an abort signal cuts short (with the signal's reason). */
export function abortableSleep(ms: number, signal?: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason ?? new Error('Aborted'));
      return;
    }
    let timer: NodeJS.Timeout | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason ?? new Error('Aborted'));
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * One queue for every Identity Center write and status call.
 *
 * - An *operation* (e.g. create an assignment and poll it to completion)
 *   holds one of `maxInFlight` slots until it finishes.
 * - Call attempts start one at a time, each at least 1/callsPerSecond after
 *   the previous one *actually* started (measured after the wait, so a timer
 *   that fires late never lets the next call follow too closely). With a
 *   shared gate, the slot is also booked in the database, so the rate holds
 *   for all replicas together.
 * - Throttling, transient and 5xx errors (classified by the AWS SDK's own
 *   rules) are retried with full-jitter exponential backoff using the SDK's
 *   base delays, until a deadline. A throttled burst delays work; it does not
 *   drop it. An abort signal ends the waiting at once.
 */
export class CallQueue {
  private readonly slots: pLimit.Limit;
  /** Call starts are serialised through this chain. */
  private turn: Promise<void> = Promise.resolve();
  private lastStartAt = Number.NEGATIVE_INFINITY;
  readonly stats: CallQueueStats = {
    calls: 0,
    retries: 0,
    throttled: 0,
    serverErrors: 0,
  };
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly intervalMs: number;

  constructor(private readonly options: CallQueueOptions) {
    this.sleep = options.sleep ?? abortableSleep;
    this.now = options.now ?? monotonicMs;
    this.random = options.random ?? Math.random;
    this.intervalMs = 1000 / options.callsPerSecond;
    this.slots = pLimit(options.maxInFlight);
  }

  /** Runs `fn` holding one in-flight slot. */
  operation<T>(fn: () => Promise<T>): Promise<T> {
    return this.slots(fn);
  }

  /** One AWS call, rate limited and retried; use inside `operation`. */
  async call<T>(
    send: () => Promise<T>,
    options?: { signal?: AbortSignal },
  ): Promise<T> {
    const signal = options?.signal;
    const deadline = this.now() + (this.options.retryDeadlineMs ?? 10 * 60_000);
    for (let attempt = 0; ; attempt++) {
      await this.waitForTurn(signal);
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
        if (this.now() + delay > deadline) {
          throw new RetriesExhaustedError(error, attempt + 1);
        }
        this.stats.retries++;
        await this.sleep(delay, signal);
      }
    }
  }

  /** Full jitter: a random delay up to base × 2^attempt, capped. */
  private backoff(attempt: number, throttled: boolean): number {
    const base = throttled
      ? THROTTLING_RETRY_DELAY_BASE
      : DEFAULT_RETRY_DELAY_BASE;
    const cap = Math.min(
      this.options.maxBackoffMs ?? 5_000,
      MAXIMUM_RETRY_DELAY,
      base * 2 ** Math.min(attempt, 16),
    );
    return Math.floor(this.random() * cap);
  }

  /** Waits until this call may start; call starts never overlap their turn. */
  private waitForTurn(signal?: AbortSignal): Promise<void> {
    const mine = this.turn.then(async () => {
      signal?.throwIfAborted();
      if (this.options.gate) {
        // a shared slot is only used on time: a call that wakes late for it
        // would land right before another replica's next slot, so it books
        // a new one instead (slots carry a 5% margin for the same reason)
        const interval = this.intervalMs * 1.05;
        for (;;) {
          const wait = await this.options.gate.reserve(interval);
          const due = this.now() + wait;
          if (wait > 0) await this.sleep(wait, signal);
          if (this.now() - due <= interval / 2) break;
        }
      }
      // a loop: a timer may fire early as well as late
      for (
        let wait = this.lastStartAt + this.intervalMs - this.now();
        wait > 0;
        wait = this.lastStartAt + this.intervalMs - this.now()
      ) {
        await this.sleep(wait, signal);
      }
      this.lastStartAt = this.now();
    });
    // the next caller waits for this one whatever happens to it
    this.turn = mine.catch(() => {});
    return mine;
  }
}

/**
 * The client, with every `send` made through `queue.call`: paced, retried
 * and aborted like any other call of the queue. The signal also reaches the
 * SDK (`send(command, { abortSignal })`), so an abort ends a request in
 * flight too. It is still an instance of the client's class, so the SDK's
 * paginators take it, and each page's call waits its turn.
 */
export function pacedClient<
  C extends { send(command: any, ...rest: any[]): Promise<any> },
>(client: C, queue: CallQueue, options?: { signal?: AbortSignal }): C {
  const paced: C = Object.create(client);
  const signal = options?.signal;
  Object.defineProperty(paced, 'send', {
    value: (command: unknown, ...rest: unknown[]) =>
      queue.call(
        () =>
          // a caller's own request options (none in this plugin) win
          rest.length || !signal
            ? client.send(command, ...rest)
            : client.send(command, { abortSignal: signal }),
        options,
      ),
  });
  return paced;
}
