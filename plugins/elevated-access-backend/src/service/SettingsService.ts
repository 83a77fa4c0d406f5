import {
  ElevatedAccessSettings,
  SettingsInput,
  SettingsResponse,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { SettingsStore } from '../database/SettingsStore';
import { Clock } from './Clock';

/** Effective settings: config defaults, overridden by what admins saved. */
export class SettingsService {
  constructor(
    private readonly store: SettingsStore,
    private readonly defaults: ElevatedAccessSettings,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<SettingsResponse> {
    const stored = await this.store.get();
    return {
      ...this.defaults,
      ...stored?.settings,
      version: stored?.version ?? 0,
      updatedAt: stored?.updatedAt,
      updatedBy: stored?.updatedBy,
    };
  }

  async current(): Promise<ElevatedAccessSettings> {
    const {
      version: _version,
      updatedAt: _updatedAt,
      updatedBy: _updatedBy,
      ...settings
    } = await this.get();
    return settings;
  }

  async put(input: SettingsInput, actorRef: string): Promise<SettingsResponse> {
    const before = await this.current();
    const { version, ...settings } = input;
    await this.store.put({
      // a client that does not know a newer setting keeps its current value
      settings: {
        ...settings,
        endsSoonMinutes: settings.endsSoonMinutes ?? before.endsSoonMinutes,
      },
      before,
      expectedVersion: version,
      actorRef,
      now: this.clock.now(),
    });
    return this.get();
  }
}
