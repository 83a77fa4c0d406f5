import { mockServices } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { describeEachDatabase } from '../__testUtils__/databases';
import { applyMigrations } from '../database/migrations';
import { DatabaseRequestStore, RequestStore } from '../database/RequestStore';
import { RequestNotifier } from '../service/RequestNotifier';
import { ReviewReminderStep } from './ReviewReminderStep';

jest.setTimeout(60_000);

const HOUR = 3600_000;
const T0 = Date.parse('2026-11-21T09:00:00.000Z');

/*
 * Unreviewed break-glass is reminded to approvers and auditors once its
 * activity is complete, then once a day until reviewed; two replicas running
 * the step at the same moment send each reminder once.
 */
describeEachDatabase('ReviewReminderStep', init => {
  let knex: Knex;
  let now: number;
  const clock = { now: () => new Date(now) };

  beforeEach(async () => {
    knex = await init();
    await applyMigrations(knex);
    now = T0;
  });

  /** Two replicas: their own store and step each, one database, one notifier mock each. */
  function replica() {
    const notify = jest.fn(async () => {});
    const requests = DatabaseRequestStore.create({ knex });
    const step = new ReviewReminderStep({
      requests,
      notifier: { notify } as unknown as RequestNotifier,
      clock,
      logger: mockServices.logger.mock(),
    });
    return { notify, requests, step };
  }

  async function breakGlassRequest(store: RequestStore, breakGlass = true) {
    const created = await store.create({
      requesterRef: 'user:default/alice',
      accountId: '111111111111',
      accountName: 'payments-prod',
      permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-2',
      permissionSetName: 'PowerUserAccess',
      status: 'approved',
      startTime: new Date(now),
      endTime: new Date(now + HOUR),
      durationMinutes: 60,
      justification: 'Payments are down',
      ticketId: 'INC-1',
      approvalRequired: false,
      minApprovals: 1,
      approverRefs: ['group:default/platform-leads'],
      policyIds: ['p'],
      createdAt: new Date(now),
      ...(breakGlass && { breakGlass: { policyName: 'Emergency' } }),
    });
    return created.id;
  }

  /** The access happened and ended; its activity is (or is not yet) complete. */
  const ended = (id: string, activityComplete: boolean) =>
    knex('requests')
      .where({ id })
      .update({
        status: 'ended',
        granted_at: new Date(T0),
        ended_at: new Date(T0 + HOUR),
        activity_complete: activityComplete,
      });

  const kinds = (notify: jest.Mock) =>
    notify.mock.calls.map(([request, news]: any) => [request.id, news.kind]);

  it('reminds once a day across replicas, only once the activity is complete, until reviewed', async () => {
    const a = replica();
    const b = replica();
    const id = await breakGlassRequest(a.requests);
    const normal = await breakGlassRequest(a.requests, false);
    await ended(id, false);
    await ended(normal, true);

    now = T0 + 2 * HOUR;
    await Promise.all([a.step.run(), b.step.run()]);
    expect([...kinds(a.notify), ...kinds(b.notify)]).toEqual([]);

    await ended(id, true);
    await Promise.all([a.step.run(), b.step.run(), a.step.run()]);
    expect([...kinds(a.notify), ...kinds(b.notify)]).toEqual([
      [id, 'review-reminder'],
    ]);

    // not again within the day, by either replica
    now += 23 * HOUR;
    await Promise.all([a.step.run(), b.step.run()]);
    expect(a.notify.mock.calls.length + b.notify.mock.calls.length).toBe(1);

    now += HOUR;
    await Promise.all([a.step.run(), b.step.run()]);
    expect(a.notify.mock.calls.length + b.notify.mock.calls.length).toBe(2);

    await a.requests.recordReview({
      id,
      reviewerRef: 'user:default/bob',
      outcome: 'appropriate',
      now: new Date(now),
    });
    now += 48 * HOUR;
    await Promise.all([a.step.run(), b.step.run()]);
    expect(a.notify.mock.calls.length + b.notify.mock.calls.length).toBe(2);
  });
});
