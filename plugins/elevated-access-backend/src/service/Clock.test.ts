import { MAX_TIMER_MS, setClockTimer, systemClock } from './Clock';

describe('setClockTimer', () => {
  afterEach(() => jest.useRealTimers());

  it('caps a delay past setTimeout’s limit instead of firing at once', () => {
    jest.useFakeTimers();
    let fired = 0;
    const thirtyDays = 30 * 24 * 3600_000;
    setClockTimer(systemClock, () => fired++, thirtyDays);
    // Node would fire an over-long delay after 1 ms
    jest.advanceTimersByTime(1_000);
    expect(fired).toBe(0);
    jest.advanceTimersByTime(MAX_TIMER_MS - 1_000);
    expect(fired).toBe(1);
  });

  it('never keeps the process alive and can be cleared', () => {
    const spy = jest.spyOn(global, 'setTimeout');
    let fired = 0;
    const timer = setClockTimer(systemClock, () => fired++, 60_000);
    const handle = spy.mock.results[0].value as NodeJS.Timeout;
    spy.mockRestore();
    expect(handle.hasRef()).toBe(false);
    timer.clear();
    // cleared: Node no longer holds it
    expect((handle as any)._destroyed).toBe(true);
    expect(fired).toBe(0);
  });

  it('uses the clock’s own timers when it has them', () => {
    const set: number[] = [];
    setClockTimer(
      {
        now: () => new Date(0),
        setTimer: (_fn, ms) => {
          set.push(ms);
          return { clear() {} };
        },
      },
      () => {},
      -5,
    );
    expect(set).toEqual([0]);
  });
});
