/**
 * Fakes only the clock the lifecycle reads (`Date`), so tests move time with
 * `jest.setSystemTime` while timers, the database driver and HTTP keep
 * running for real.
 */
export function fakeDateOnly(now?: Date) {
  jest.useFakeTimers({
    doNotFake: [
      'nextTick',
      'setImmediate',
      'clearImmediate',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'queueMicrotask',
      'hrtime',
      'performance',
    ],
    now,
  });
}
