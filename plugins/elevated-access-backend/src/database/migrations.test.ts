import { applyMigrations, rollbackMigrations } from './migrations';
import { describeEachDatabase } from '../__testUtils__/databases';
import { PLUGIN_TABLES } from '../__testUtils__/snapshot';

jest.setTimeout(60_000);

describeEachDatabase('migrations', init => {
  it('create every table and roll back cleanly', async () => {
    const knex = await init();
    await applyMigrations(knex);
    for (const table of PLUGIN_TABLES) {
      expect(await knex.schema.hasTable(table)).toBe(true);
    }
    await rollbackMigrations(knex);
    expect(await knex.schema.hasTable('requests')).toBe(false);
    expect(await knex.schema.hasTable('events')).toBe(false);
    // and up again, as an upgrade after a rollback would
    await applyMigrations(knex);
    expect(await knex.schema.hasTable('requests')).toBe(true);
  });
});
