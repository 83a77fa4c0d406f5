import { LoggerService } from '@backstage/backend-plugin-api';
import { RequestStore } from '../database/RequestStore';
import { Clock } from '../service/Clock';
import { reminderAddsInformation } from '../notify/requestNotices';
import { RequestNotifier } from '../service/RequestNotifier';
import { SettingsService } from '../service/SettingsService';
import { LifecycleStep } from './LifecycleJob';
import { SYSTEM_ACTOR } from './systemActor';

/**
 * Expires undecided requests and reminds approvers before that. Each row is
 * claimed with a guarded update, so a second replica running the same step
 * changes nothing twice.
 */
export class ExpiryStep implements LifecycleStep {
  name = 'expiry';

  constructor(
    private readonly deps: {
      requests: RequestStore;
      settings: SettingsService;
      notifier: RequestNotifier;
      clock: Clock;
      logger: LoggerService;
    },
  ) {}

  async run(): Promise<void> {
    const { requests, notifier, clock } = this.deps;
    for (;;) {
      const due = await requests.dueForExpiry(clock.now(), 100);
      for (const request of due) {
        const expired = await requests.tryClose({
          id: request.id,
          from: 'pending',
          to: 'expired',
          action: 'expire',
          actorRef: SYSTEM_ACTOR,
          now: clock.now(),
          message: 'Nobody decided before the deadline',
        });
        if (expired) {
          await notifier.notify(
            { ...request, status: 'expired' },
            { kind: 'expired' },
          );
        }
      }
      if (due.length < 100) break;
    }

    const { reminderBeforeExpiryMinutes } = await this.deps.settings.current();
    if (reminderBeforeExpiryMinutes > 0) {
      const due = await requests.dueForReminder(
        clock.now(),
        reminderBeforeExpiryMinutes * 60_000,
        100,
      );
      for (const request of due) {
        // marked either way: a request made inside the reminder window is
        // not reminded of (its approval request said when it closes)
        if (
          (await requests.markReminderSent(request.id, clock.now())) &&
          reminderAddsInformation(request, reminderBeforeExpiryMinutes * 60_000)
        ) {
          await notifier.notify(request, { kind: 'reminder' });
        }
      }
    }
  }
}
