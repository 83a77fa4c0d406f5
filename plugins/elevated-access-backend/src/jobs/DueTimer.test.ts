import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { InMemoryAccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node/testUtils';
import { HumanDuration } from '@backstage/types';
import { Knex } from 'knex';
import { describeEachDatabase } from '../__testUtils__/databases';
import {
  ACCOUNT,
  catalogEntities,
  demoTargets,
} from '../__testUtils__/fixtures';
import { createTestElevatedAccess } from '../__testUtils__/instance';
import { approvedReadOnly } from '../__testUtils__/storeTests';
import { ManualClock } from '../__testUtils__/manualClock';
import { DatabaseRequestStore, RequestStore } from '../database/RequestStore';

/*
 * Starts and ends are acted on at their time by each replica's due timer,
 * without the scheduled lifecycle task (never run here after the set-up).
 * The clock is a manual one: its timers fire only when the test moves it.
 */

const MINUTE = 60_000;
const T0 = new Date('2026-12-01T10:00:00Z').getTime();

function replica(
  knex: Knex,
  name: string,
  clock: ManualClock,
  provider: InMemoryAccessProvider,
  duePollFrequency: HumanDuration = { hours: 1 },
) {
  return createTestElevatedAccess({
    knex,
    elevatedAccess: {
      roles: { admins: ['group:default/access-admins'] },
      schedule: { duePollFrequency: { ...duePollFrequency } },
    },
    entities: catalogEntities(),
    logger: mockServices.logger.mock(),
    accessProvider: provider,
    clock,
    instanceId: name,
    lockWaitMs: 0,
  });
}

/** An approved ReadOnlyAccess made at T0, its window from `start`. */
const approved = (
  account: keyof typeof ACCOUNT,
  start: number,
  minutes: number,
) =>
  approvedReadOnly(account, start, minutes, {
    justification: 'Due timer test',
    createdAt: new Date(T0),
  });

describeEachDatabase('due timers', init => {
  let knex: Knex;
  let clock: ManualClock;
  let provider: InMemoryAccessProvider;
  let store: RequestStore;
  const stops: Array<() => Promise<void>> = [];

  beforeEach(async () => {
    knex = await init();
    clock = new ManualClock(T0);
    provider = new InMemoryAccessProvider(demoTargets());
    store = DatabaseRequestStore.create({ knex });
  });

  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  async function started(
    name = 'replica-a',
    pollFrequency: HumanDuration = { hours: 1 },
  ) {
    const app = await replica(knex, name, clock, provider, pollFrequency);
    stops.push(() => app.shutdown(1_000));
    app.dueTimer.start();
    await app.dueTimer.settled();
    return app;
  }

  it('grants at the start and removes at the end, each at its second', async () => {
    const app = await started();
    const request = await store.create(
      approved('payments-dev', T0 + MINUTE, 30),
    );
    app.dueTimer.poke(); // as the write's notification does
    const settle = () => app.dueTimer.settled();

    // armed for the start, not for the poll an hour away
    await settle();
    expect(clock.nextTimerAt()).toEqual(new Date(T0 + MINUTE));
    await clock.advanceTo(new Date(T0 + MINUTE - 1), settle);
    expect(await store.get(request.id)).toMatchObject({ status: 'approved' });
    expect(provider.assignments.size).toBe(0);

    await clock.advanceTo(new Date(T0 + MINUTE), settle);
    const active = await store.get(request.id);
    expect(active).toMatchObject({
      status: 'active',
      grantedAt: new Date(T0 + MINUTE).toISOString(),
    });
    expect(provider.assignments.size).toBe(1);

    // the grant set the end: the timer is armed for it
    const end = new Date(active!.endTime);
    expect(clock.nextTimerAt()).toEqual(end);
    await clock.advanceTo(new Date(end.getTime() - 1), settle);
    expect(provider.assignments.size).toBe(1);
    await clock.advanceTo(end, settle);
    expect(await store.get(request.id)).toMatchObject({
      status: 'ended',
      endedAt: end.toISOString(),
    });
    expect(provider.assignments.size).toBe(0);
    expect(provider.calls.map(c => c.op)).toEqual(['grant', 'revoke']);
  });

  it('acts on a revocation in this replica at once, without moving the clock', async () => {
    const app = await started();
    const request = await store.create(approved('payments-dev', T0, 120));
    app.dueTimer.poke();
    await app.dueTimer.settled();
    expect(await store.get(request.id)).toMatchObject({ status: 'active' });

    await app.services.requests.revoke(
      {
        credentials: mockCredentials.user('user:default/admin'),
        caller: {
          userEntityRef: 'user:default/admin',
          ownershipEntityRefs: ['group:default/access-admins'],
        },
      },
      request.id,
      { comment: 'Incident over' },
    );
    await app.dueTimer.settled();
    expect(await store.get(request.id)).toMatchObject({
      status: 'revoked',
      endedAt: new Date(T0).toISOString(),
    });
    expect(provider.assignments.size).toBe(0);
  });

  it('re-arms for a nearer start that another replica wrote, at its next look', async () => {
    const app = await started('replica-a', { seconds: 5 });
    const settle = () => app.dueTimer.settled();
    const far = await store.create(approved('payments-dev', T0, 120));
    await clock.advance(5_000, settle);
    expect(await store.get(far.id)).toMatchObject({ status: 'active' });
    // armed for the next look (the end is two hours away)
    expect(clock.nextTimerAt()).toEqual(new Date(T0 + 10_000));

    // written by another replica: no poke here
    const nearStart = T0 + 5_000 + 7_500;
    const near = await store.create(approved('data-dev', nearStart, 30));
    await clock.advance(5_000, settle);
    expect(clock.nextTimerAt()).toEqual(new Date(nearStart));
    await clock.advanceTo(new Date(nearStart), settle);
    expect(await store.get(near.id)).toMatchObject({
      status: 'active',
      grantedAt: new Date(nearStart).toISOString(),
    });
  });

  it('two replicas whose timers fire at the same end delete each assignment once', async () => {
    const a = await started('replica-a');
    const b = await started('replica-b');
    const settle = () =>
      Promise.all([a.dueTimer.settled(), b.dueTimer.settled()]);
    const accounts = [
      'payments-prod',
      'data-prod',
      'payments-dev',
      'data-dev',
      'audit',
    ] as const;
    const created = [];
    for (const account of accounts) {
      created.push(await store.create(approved(account, T0 + MINUTE, 30)));
    }
    a.dueTimer.poke();
    b.dueTimer.poke();
    await settle();
    // both are armed for the start: both fire, each grant is made once
    await clock.advanceTo(new Date(T0 + MINUTE), settle);
    expect(provider.calls.filter(c => c.op === 'grant')).toHaveLength(5);

    const end = new Date(T0 + 31 * MINUTE);
    await clock.advanceTo(end, settle);
    for (const r of created) {
      expect(await store.get(r.id)).toMatchObject({
        status: 'ended',
        endedAt: end.toISOString(),
      });
    }
    expect(provider.assignments.size).toBe(0);
    expect(provider.calls.filter(c => c.op === 'revoke')).toHaveLength(5);
  });

  it('does nothing until started, whatever changes', async () => {
    const app = await replica(knex, 'replica-a', clock, provider);
    stops.push(() => app.shutdown(1_000));
    const request = await store.create(approved('payments-dev', T0, 30));
    app.dueTimer.poke();
    await app.dueTimer.settled();
    expect(clock.nextTimerAt()).toBeUndefined();
    expect(await store.get(request.id)).toMatchObject({ status: 'approved' });
  });

  it('clears its timer on shutdown', async () => {
    const app = await started();
    await store.create(approved('payments-dev', T0 + MINUTE, 30));
    app.dueTimer.poke();
    await app.dueTimer.settled();
    expect(clock.nextTimerAt()).toEqual(new Date(T0 + MINUTE));
    await app.shutdown(1_000);
    expect(clock.nextTimerAt()).toBeUndefined();
  });
});
