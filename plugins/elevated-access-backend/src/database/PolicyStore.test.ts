import { Knex } from 'knex';
import { describeEachDatabase } from '../__testUtils__/databases';
import { DEMO_APPROVERS, DEMO_ELIGIBILITY } from '../__testUtils__/fixtures';
import { clearDatabase } from '../__testUtils__/snapshot';
import { applyMigrations } from './migrations';
import { PolicyStore } from './PolicyStore';

jest.setTimeout(120_000);

const T0 = new Date('2026-11-21T09:00:00.000Z');
const ADMIN = 'user:default/dave';

describeEachDatabase('policy list cache', init => {
  let knex: Knex;

  beforeAll(async () => {
    knex = await init();
    await applyMigrations(knex);
  });

  beforeEach(() => clearDatabase(knex));

  /** The SQL statements `run` sends on `knex`. */
  async function statements(run: () => Promise<unknown>): Promise<string[]> {
    const sent: string[] = [];
    const listener = (q: { sql: string }) => sent.push(q.sql);
    knex.on('query', listener);
    try {
      await run();
    } finally {
      knex.removeListener('query', listener);
    }
    return sent;
  }

  it('reads the policies again only when one was created, changed or deleted, by this replica or another', async () => {
    const here = new PolicyStore(knex, 'eligibility');
    const other = new PolicyStore(knex, 'eligibility');
    const first = await here.create(DEMO_ELIGIBILITY[0], ADMIN, T0);
    const names = async () => (await here.list()).map(p => p.name);

    expect(await names()).toEqual([DEMO_ELIGIBILITY[0].name]);
    // unchanged: only the narrow id and version query
    expect(await statements(() => here.list())).toHaveLength(1);

    await other.update(
      first.id,
      { ...DEMO_ELIGIBILITY[0], name: 'Renamed', version: 1 },
      ADMIN,
      T0,
    );
    expect(await names()).toEqual(['Renamed']);

    // deleted and another created at the same instant, by the other replica
    await other.delete(first.id, ADMIN, T0);
    await other.create(DEMO_ELIGIBILITY[1], ADMIN, T0);
    expect(await names()).toEqual([DEMO_ELIGIBILITY[1].name]);

    // written around the store, as a restore would
    await clearDatabase(knex);
    expect(await names()).toEqual([]);
    expect(await statements(() => here.list())).toHaveLength(1);
  });

  it('hands out a list of its own to every caller', async () => {
    const store = new PolicyStore(knex, 'approver');
    await store.create(DEMO_APPROVERS[0], ADMIN, T0);
    const taken = await store.list();
    taken.pop();
    expect(await store.list()).toHaveLength(1);
  });
});
