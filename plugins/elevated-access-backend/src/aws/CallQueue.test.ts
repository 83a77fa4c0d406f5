import { ResourceNotFoundException } from '@aws-sdk/client-sso-admin';
import { throttled } from '../__testUtils__/awsCalls';
import { CallQueue, RetriesExhaustedError } from './CallQueue';

describe('CallQueue', () => {
  it('retries throttling and server errors until the call succeeds', async () => {
    const queue = new CallQueue({
      maxInFlight: 2,
      callsPerSecond: 1000,
      sleep: async () => {},
    });
    let n = 0;
    const result = await queue.call(async () => {
      n++;
      if (n === 1) throw throttled();
      if (n === 2)
        throw Object.assign(new Error('boom'), {
          $metadata: { httpStatusCode: 503 },
        });
      return 'done';
    });
    expect(result).toBe('done');
    expect(queue.stats).toEqual({
      calls: 3,
      retries: 2,
      throttled: 1,
      serverErrors: 1,
    });
  });

  it('does not retry client errors', async () => {
    const queue = new CallQueue({
      maxInFlight: 1,
      callsPerSecond: 1000,
      sleep: async () => {},
    });
    const notFound = new ResourceNotFoundException({
      message: 'gone',
      $metadata: {},
    });
    await expect(
      queue.call(async () => {
        throw notFound;
      }),
    ).rejects.toBe(notFound);
    expect(queue.stats.calls).toBe(1);
  });

  it('gives up at its deadline with the last error', async () => {
    const queue = new CallQueue({
      maxInFlight: 1,
      callsPerSecond: 1000,
      retryDeadlineMs: 50,
      random: () => 1,
    });
    await expect(
      queue.call(async () => {
        throw throttled();
      }),
    ).rejects.toBeInstanceOf(RetriesExhaustedError);
  });

  it('never starts two calls closer than its interval, even when timers fire late or early', async () => {
    // a controlled clock: each sleep ends up to 15 ms late or 1 ms early,
    // as timers on a busy machine do
    let now = 0;
    const drift = [12, -1, 0, 15, 3, -1, 7, 0, 14, 2];
    let n = 0;
    const queue = new CallQueue({
      maxInFlight: 3,
      callsPerSecond: 50,
      now: () => now,
      sleep: async ms => {
        await Promise.resolve();
        now += Math.max(0, ms + drift[n++ % drift.length]);
      },
    });
    const starts: number[] = [];
    let inFlight = 0;
    let maxSeen = 0;
    await Promise.all(
      Array.from({ length: 30 }, () =>
        queue.operation(async () => {
          inFlight++;
          maxSeen = Math.max(maxSeen, inFlight);
          await queue.call(async () => starts.push(now));
          await Promise.resolve();
          inFlight--;
        }),
      ),
    );
    expect(starts).toHaveLength(30);
    expect(maxSeen).toBe(3);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(20);
  });

  it('books each call slot with the shared gate and waits for it', async () => {
    let now = 0;
    const booked: number[] = [];
    const queue = new CallQueue({
      maxInFlight: 10,
      callsPerSecond: 20,
      now: () => now,
      sleep: async ms => {
        now += ms;
      },
      // another replica holds the next 100 ms of the budget
      gate: {
        async reserve(intervalMs) {
          booked.push(intervalMs);
          return booked.length === 1 ? 100 : 0;
        },
      },
    });
    const starts: number[] = [];
    await queue.call(async () => starts.push(now));
    await queue.call(async () => starts.push(now));
    expect(booked).toEqual([52.5, 52.5]);
    expect(starts).toEqual([100, 150]);
  });

  it('books a new shared slot when it wakes too late for the one it had', async () => {
    let now = 0;
    const lateness = [40, 0];
    const booked: number[] = [];
    const queue = new CallQueue({
      maxInFlight: 1,
      callsPerSecond: 20,
      now: () => now,
      sleep: async ms => {
        now += ms + (lateness.shift() ?? 0);
      },
      gate: {
        async reserve() {
          booked.push(now);
          return 10;
        },
      },
    });
    const starts: number[] = [];
    await queue.call(async () => starts.push(now));
    // woke 40 ms late for the first slot (more than half an interval):
    // booked another and started on time for that one
    expect(booked).toEqual([0, 50]);
    expect(starts).toEqual([60]);
  });

  it('caps the wait between attempts', async () => {
    const waits: number[] = [];
    const queue = new CallQueue({
      maxInFlight: 1,
      callsPerSecond: 1000,
      random: () => 0.999,
      sleep: async ms => {
        waits.push(ms);
      },
    });
    let n = 0;
    await queue.call(async () => {
      if (++n < 8) throw throttled();
      return 'done';
    });
    expect(Math.max(...waits.slice(1))).toBeLessThanOrEqual(5_000);
    expect(Math.max(...waits.slice(1))).toBeGreaterThan(4_000);
  });

  it('stops waiting when its signal is aborted', async () => {
    const queue = new CallQueue({ maxInFlight: 1, callsPerSecond: 0.1 });
    await queue.call(async () => 'first');
    const controller = new AbortController();
    const second = queue.call(async () => 'second', {
      signal: controller.signal,
    });
    controller.abort(new Error('shutting down'));
    await expect(second).rejects.toThrow('shutting down');
  });
});
