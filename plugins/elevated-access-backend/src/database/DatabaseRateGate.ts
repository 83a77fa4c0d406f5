import { Knex } from 'knex';
import { SharedRateGate } from '../aws/CallQueue';
import { usesPostgres } from './util';

/**
 * A call budget in the plugin's PostgreSQL database: every replica books its
 * next call slot in one row per bucket, with one atomic UPDATE … RETURNING on
 * the database's own clock (replicas' clocks may disagree; the database's is
 * one). Slots are `intervalMs` apart whichever replica takes them, so the
 * rate holds for all replicas together. One round trip per AWS call.
 */
export class DatabaseRateGate implements SharedRateGate {
  private ready?: Promise<void>;

  constructor(private readonly knex: Knex, private readonly bucket: string) {}

  /** Whether the database can hold a shared budget (PostgreSQL). */
  static supports(knex: Knex): boolean {
    return usesPostgres(knex);
  }

  async reserve(intervalMs: number): Promise<number> {
    this.ready ??= this.knex('call_budget')
      .insert({ bucket: this.bucket, next_slot_ms: 0 })
      .onConflict('bucket')
      .ignore()
      .then(() => undefined);
    await this.ready;
    const step = Math.ceil(intervalMs);
    const result = await this.knex.raw(
      `UPDATE call_budget
          SET next_slot_ms = GREATEST(next_slot_ms, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint) + ?
        WHERE bucket = ?
    RETURNING next_slot_ms - ? AS slot_ms,
              (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint AS now_ms`,
      [step, this.bucket, step],
    );
    const row = result.rows[0];
    return Math.max(0, Number(row.slot_ms) - Number(row.now_ms));
  }
}
