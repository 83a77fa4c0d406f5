import knexFactory from 'knex';
import { describePostgres } from '../__testUtils__/databases';
import { applyMigrations } from './migrations';
import { DatabaseRateGate } from './DatabaseRateGate';

describePostgres('the call budget shared by replicas', init => {
  it('hands out slots one interval apart across two replicas', async () => {
    const knexA = await init();
    await applyMigrations(knexA);
    const knexB = knexFactory(knexA.client.config);
    try {
      const a = new DatabaseRateGate(knexA, 'identity-center');
      const b = new DatabaseRateGate(knexB, 'identity-center');
      const started = Date.now();
      const waits = await Promise.all(
        Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).reserve(50)),
      );
      const elapsed = Date.now() - started;
      waits.sort((x, y) => x - y);
      // 40 slots 50 ms apart: the last is about 39 intervals out, less the
      // time the reservations themselves took; none is further than that
      expect(waits[39]).toBeGreaterThanOrEqual(39 * 50 - elapsed - 5);
      expect(waits[39]).toBeLessThanOrEqual(39 * 50 + 5);
      const row = await knexA('call_budget')
        .where({ bucket: 'identity-center' })
        .first();
      expect(Number(row.next_slot_ms)).toBeGreaterThan(0);
    } finally {
      await knexB.destroy();
    }
  });
});
