import { ConflictError } from '@backstage/errors';
import { BUILT_IN_SETTINGS } from '../config';
import { DEMO_APPROVERS, DEMO_ELIGIBILITY } from '../__testUtils__/fixtures';
import { describeWithStores, minutes, T0 } from '../__testUtils__/storeTests';
import { PolicyStore } from './PolicyStore';
import { SettingsStore } from './SettingsStore';

jest.setTimeout(120_000);

describeWithStores('stores', stores => {
  it('versions policies and records before/after of every change', async () => {
    const store = new PolicyStore(stores.knex, 'eligibility');
    const created = await store.create(
      DEMO_ELIGIBILITY[1],
      'user:default/dave',
      T0,
    );
    expect(created).toMatchObject({
      name: DEMO_ELIGIBILITY[1].name,
      version: 1,
      maxDurationMinutes: 240,
    });
    const updated = await store.update(
      created.id,
      { ...DEMO_ELIGIBILITY[1], maxDurationMinutes: 120, version: 1 },
      'user:default/dave',
      minutes(1),
    );
    expect(updated).toMatchObject({ version: 2, maxDurationMinutes: 120 });
    await expect(
      store.update(
        created.id,
        { ...DEMO_ELIGIBILITY[1], version: 1 },
        'user:default/eve',
        minutes(2),
      ),
    ).rejects.toThrow(ConflictError);
    await store.delete(created.id, 'user:default/dave', minutes(3));
    expect(await store.get(created.id)).toBeUndefined();
    const events = await store.events(created.id);
    expect(events.map(e => e.action)).toEqual(['create', 'update', 'delete']);
    expect(events[1].before).toMatchObject({ maxDurationMinutes: 240 });
    expect(events[1].after).toMatchObject({ maxDurationMinutes: 120 });

    const approvers = new PolicyStore(stores.knex, 'approver');
    await approvers.create(DEMO_APPROVERS[0], 'user:default/dave', T0);
    expect(await approvers.list()).toHaveLength(1);
  });

  it('saves settings with optimistic concurrency', async () => {
    const store = new SettingsStore(stores.knex);
    expect(await store.get()).toBeUndefined();
    const saved = await store.put({
      settings: { ...BUILT_IN_SETTINGS, maxDurationMinutes: 60 },
      before: BUILT_IN_SETTINGS,
      expectedVersion: 0,
      actorRef: 'user:default/dave',
      now: T0,
    });
    expect(saved).toMatchObject({
      version: 1,
      settings: { maxDurationMinutes: 60 },
    });
    await expect(
      store.put({
        settings: BUILT_IN_SETTINGS,
        before: BUILT_IN_SETTINGS,
        expectedVersion: 0,
        actorRef: 'user:default/eve',
        now: T0,
      }),
    ).rejects.toThrow(ConflictError);
    expect((await store.events()).map(e => e.action)).toEqual(['update']);
  });
});
