import { ConflictError } from '@backstage/errors';
import {
  describeWithStores,
  minutes,
  newRequest,
} from '../__testUtils__/storeTests';
import { EventLog } from './EventLog';

jest.setTimeout(120_000);

describeWithStores('stores', stores => {
  it('lets exactly one of two racing transitions win', async () => {
    const r = await stores.requests.create(newRequest());
    const outcomes = await Promise.allSettled([
      stores.requests.close({
        id: r.id,
        from: 'pending',
        to: 'cancelled',
        action: 'cancel',
        actorRef: 'user:default/alice',
        now: minutes(1),
      }),
      stores.requests.close({
        id: r.id,
        from: 'pending',
        to: 'expired',
        action: 'expire',
        actorRef: 'system',
        now: minutes(1),
      }),
    ]);
    expect(outcomes.filter(o => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find(
      o => o.status === 'rejected',
    ) as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ConflictError);
    const events = await stores.requests.events(r.id);
    expect(events.map(e => e.toStatus)).toHaveLength(2); // create + the winner
  });

  it('refuses transitions the lifecycle table does not have', async () => {
    const r = await stores.requests.create(newRequest());
    await expect(
      stores.requests.close({
        id: r.id,
        from: 'pending',
        to: 'active',
        action: 'grant-succeeded',
        actorRef: 'system',
        now: minutes(1),
      }),
    ).rejects.toThrow(/Illegal transition/);
    expect((await stores.requests.get(r.id))!.status).toBe('pending');
  });

  it('counts one vote per approver and approves at min_approvals', async () => {
    const r = await stores.requests.create(
      newRequest({
        minApprovals: 2,
        approverRefs: ['group:default/platform-leads'],
      }),
    );
    const afterOne = await stores.requests.recordDecision({
      requestId: r.id,
      approverRef: 'user:default/bob',
      decision: 'approve',
      now: minutes(1),
    });
    expect(afterOne).toMatchObject({ status: 'pending', approvals: 1 });
    await expect(
      stores.requests.recordDecision({
        requestId: r.id,
        approverRef: 'user:default/bob',
        decision: 'approve',
        now: minutes(2),
      }),
    ).rejects.toThrow(/already decided/);
    const afterTwo = await stores.requests.recordDecision({
      requestId: r.id,
      approverRef: 'user:default/zoe',
      decision: 'approve',
      comment: 'ok',
      now: minutes(3),
    });
    expect(afterTwo).toMatchObject({ status: 'approved', approvals: 2 });
    const decisions = (await stores.requests.decisions([r.id])).get(r.id)!;
    expect(decisions.map(d => d.approverRef)).toEqual([
      'user:default/bob',
      'user:default/zoe',
    ]);
    const events = await stores.requests.events(r.id);
    expect(events.map(e => e.action)).toEqual([
      'create',
      'approve-vote',
      'approve',
    ]);
  });

  it('writes nothing of a decision when any part of it fails', async () => {
    const r = await stores.requests.create(newRequest());
    const append = jest
      .spyOn(EventLog, 'append')
      .mockRejectedValueOnce(new Error('disk full'));
    await expect(
      stores.requests.recordDecision({
        requestId: r.id,
        approverRef: 'user:default/bob',
        decision: 'reject',
        comment: 'no',
        now: minutes(1),
      }),
    ).rejects.toThrow('disk full');
    append.mockRestore();
    expect(await stores.requests.get(r.id)).toMatchObject({
      status: 'pending',
      approvals: 0,
      version: 1,
    });
    expect((await stores.requests.decisions([r.id])).get(r.id)).toBeUndefined();
    expect((await stores.requests.events(r.id)).map(e => e.action)).toEqual([
      'create',
    ]);
  });

  it('finds requests due for expiry and reminders, once', async () => {
    const soon = await stores.requests.create(
      newRequest({ expiresAt: minutes(10) }),
    );
    await stores.requests.create(newRequest({ expiresAt: minutes(600) }));
    expect(
      (await stores.requests.dueForExpiry(minutes(11), 10)).map(r => r.id),
    ).toEqual([soon.id]);
    expect(
      (await stores.requests.dueForReminder(minutes(0), 15 * 60_000, 10)).map(
        r => r.id,
      ),
    ).toEqual([soon.id]);
    expect(await stores.requests.markReminderSent(soon.id, minutes(1))).toBe(
      true,
    );
    expect(await stores.requests.markReminderSent(soon.id, minutes(1))).toBe(
      false,
    );
    expect(
      await stores.requests.dueForReminder(minutes(0), 15 * 60_000, 10),
    ).toEqual([]);
  });
});
