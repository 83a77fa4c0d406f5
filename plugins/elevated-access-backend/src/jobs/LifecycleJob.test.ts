import { mockServices } from '@backstage/backend-test-utils';
import { LifecycleJob, LifecycleStep } from './LifecycleJob';

const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, ms));

describe('LifecycleJob', () => {
  it('looks again for work in a step that ran out of it while another step still works', async () => {
    // e.g. an end that comes while grants are still being made
    let due = false;
    const picked: number[] = [];
    const started = Date.now();
    const busy: LifecycleStep = {
      name: 'busy',
      run: async () => {
        await sleep(200);
        due = true;
        await sleep(300);
      },
    };
    const idle: LifecycleStep = {
      name: 'idle',
      run: async () => {
        if (due) {
          due = false;
          picked.push(Date.now() - started);
        }
      },
    };
    await new LifecycleJob([busy, idle], mockServices.logger.mock(), 50).run();
    expect(picked).toHaveLength(1);
    // picked up within a tick or two, not when the busy step was done
    expect(picked[0]).toBeLessThan(400);
  });

  it('ends the pass as soon as no step works any more', async () => {
    const runs = { idle: 0 };
    const job = new LifecycleJob(
      [
        { name: 'busy', run: () => sleep(120) },
        {
          name: 'idle',
          run: async () => {
            runs.idle++;
          },
        },
      ],
      mockServices.logger.mock(),
      1_000,
    );
    const started = Date.now();
    await job.run();
    // woken when the busy step finished, not at the next tick
    expect(Date.now() - started).toBeLessThan(600);
    expect(runs.idle).toBe(1);
  });

  it('stops looking again once the pass is aborted', async () => {
    const controller = new AbortController();
    let idleRuns = 0;
    const job = new LifecycleJob(
      [
        { name: 'busy', run: () => sleep(300) },
        {
          name: 'idle',
          run: async () => {
            idleRuns++;
          },
        },
      ],
      mockServices.logger.mock(),
      20,
    );
    setTimeout(() => controller.abort(), 100);
    await job.run(controller.signal);
    // it looked again until the abort (about every 20 ms for 100 ms), not
    // for the whole 300 ms the busy step took
    expect(idleRuns).toBeGreaterThan(1);
    expect(idleRuns).toBeLessThan(10);
  });
});
