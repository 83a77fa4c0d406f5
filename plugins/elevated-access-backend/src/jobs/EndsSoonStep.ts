import { LoggerService } from '@backstage/backend-plugin-api';
import { ExtensionStore } from '../database/ExtensionStore';
import { RequestStore } from '../database/RequestStore';
import { Clock } from '../service/Clock';
import { RequestNotifier } from '../service/RequestNotifier';
import { SettingsService } from '../service/SettingsService';
import { LifecycleStep } from './LifecycleJob';

/**
 * Tells requesters their access ends soon (once per end: the claim is a
 * guarded update, so restarts and a second replica send nothing twice; an
 * extension clears it for the new end), and lapses pending extensions whose
 * access ended before anyone decided. Neither calls AWS.
 */
export class EndsSoonStep implements LifecycleStep {
  name = 'ends-soon';

  constructor(
    private readonly deps: {
      requests: RequestStore;
      extensions: ExtensionStore;
      settings: SettingsService;
      notifier: RequestNotifier;
      clock: Clock;
      logger: LoggerService;
    },
  ) {}

  async run(): Promise<void> {
    const { requests, extensions, notifier, clock } = this.deps;
    for (;;) {
      const lapsed = await extensions.lapseDue(clock.now(), 100);
      for (const extension of lapsed) {
        const request = await requests.get(extension.requestId);
        if (request) {
          await notifier.notify(
            { ...request, approverRefs: extension.approverRefs },
            { kind: 'extension-lapsed', addedMinutes: extension.addedMinutes },
          );
        }
      }
      if (lapsed.length < 100) break;
    }

    const { endsSoonMinutes } = await this.deps.settings.current();
    if (!(endsSoonMinutes > 0)) return;
    const windowMs = endsSoonMinutes * 60_000;
    for (;;) {
      const due = await extensions.dueEndsSoon(clock.now(), windowMs, 100);
      for (const request of await requests.getMany(due)) {
        // claimed either way: access whose whole window is shorter than
        // twice the notice is not told (it would hear "ends soon" as it starts)
        if (
          (await extensions.claimEndsSoon(request.id, clock.now())) &&
          request.grantedAt &&
          Date.parse(request.endTime) - Date.parse(request.grantedAt) >=
            2 * windowMs
        ) {
          await notifier.notify(request, { kind: 'ends-soon' });
        }
      }
      if (due.length < 100) break;
    }
  }
}
