import { ConflictError } from '@backstage/errors';
import { ElevatedAccessSettings } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Knex } from 'knex';
import { EventLog } from './EventLog';
import { DbTime, parseJson, toIso } from './util';

const ID = 'global';

export interface StoredSettings {
  settings: Partial<ElevatedAccessSettings>;
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/** The admin settings row; every change is an event with before and after. */
export class SettingsStore {
  constructor(private readonly knex: Knex) {}

  async get(): Promise<StoredSettings | undefined> {
    const row:
      | {
          body: string;
          version: number;
          updated_at: DbTime;
          updated_by: string;
        }
      | undefined = await this.knex('settings').where({ id: ID }).first();
    if (!row) return undefined;
    return {
      settings: parseJson(row.body, {}),
      version: row.version,
      updatedAt: toIso(row.updated_at),
      updatedBy: row.updated_by,
    };
  }

  /**
   * Saves the whole settings object. `expectedVersion` is the version the
   * admin edited (0 when nothing was stored yet); a mismatch is a conflict.
   */
  async put(options: {
    settings: ElevatedAccessSettings;
    before: ElevatedAccessSettings;
    expectedVersion?: number;
    actorRef: string;
    now: Date;
  }): Promise<StoredSettings> {
    await this.knex.transaction(async trx => {
      const row = await trx('settings').where({ id: ID }).first();
      const current = row?.version ?? 0;
      if (
        options.expectedVersion !== undefined &&
        options.expectedVersion !== current
      ) {
        throw new ConflictError(
          `Settings were changed by ${row?.updated_by} since you loaded them; reload and edit again`,
        );
      }
      const values = {
        body: JSON.stringify(options.settings),
        version: current + 1,
        updated_at: options.now,
        updated_by: options.actorRef,
      };
      if (row) {
        const updated = await trx('settings')
          .where({ id: ID, version: current })
          .update(values);
        if (updated !== 1) {
          throw new ConflictError(
            'Settings changed meanwhile; reload and edit again',
          );
        }
      } else {
        await trx('settings').insert({ id: ID, ...values });
      }
      await EventLog.append(trx, {
        entityType: 'settings',
        entityId: ID,
        action: 'update',
        actorRef: options.actorRef,
        before: options.before,
        after: options.settings,
        message: 'Updated settings',
        createdAt: options.now,
      });
    });
    return (await this.get())!;
  }

  async events() {
    return EventLog.forEntity(this.knex, 'settings', ID);
  }
}
