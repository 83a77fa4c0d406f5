import { mockServices } from '@backstage/backend-test-utils';
import { WorkPool } from './WorkPool';

function pool(worked: string[], release: Promise<void>) {
  return new WorkPool<{ id: string }>({
    concurrency: 2,
    leaseMs: 60_000,
    itemDeadlineMs: 60_000,
    heartbeat: async () => true,
    work: async item => {
      await release;
      worked.push(item.id);
    },
    onError: async () => {},
    logger: mockServices.logger.mock(),
    // long: only a second caller's nudge makes it look again soon
    tickMs: 60_000,
  });
}

describe('WorkPool', () => {
  it('a second run joins the running loop, which looks for work again at once', async () => {
    const worked: string[] = [];
    let release!: () => void;
    const work = pool(
      worked,
      new Promise(r => {
        release = r;
      }),
    );
    const due = [{ id: 'a' }];
    let claims = 0;
    const claim = async (limit: number) => {
      claims++;
      return due.splice(0, limit);
    };
    const first = work.run(claim);
    await new Promise(r => setImmediate(r));
    expect(work.size).toBe(1);
    // something became due (the due timer fired) while 'a' is in flight
    due.push({ id: 'b' });
    const second = work.run(claim);
    // one loop per pool: the concurrency holds for both callers
    expect(second).toBe(first);
    await new Promise(r => setImmediate(r));
    // claimed by the running loop at once, not after its 60 s tick, and
    // never more than its concurrency
    expect(work.size).toBe(2);
    release();
    await Promise.all([first, second]);
    expect(worked.sort()).toEqual(['a', 'b']);
    expect(claims).toBeGreaterThanOrEqual(2);
  });

  it('a run called as the loop finds nothing still looks once more', async () => {
    const worked: string[] = [];
    const work = pool(worked, Promise.resolve());
    const due: Array<{ id: string }> = [];
    let nudged = false;
    const claim = async (limit: number) => {
      if (!nudged) {
        nudged = true;
        // due just after this look: a caller joins before the loop ends
        due.push({ id: 'late' });
        void work.run(claim);
        return [];
      }
      return due.splice(0, limit);
    };
    await work.run(claim);
    expect(worked).toEqual(['late']);
  });
});
