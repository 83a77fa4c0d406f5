import { LoggerService } from '@backstage/backend-plugin-api';
import { RequestStore } from '../database/RequestStore';
import { Clock } from '../service/Clock';
import { RequestNotifier } from '../service/RequestNotifier';
import { LifecycleStep } from './LifecycleJob';

/** How often an unreviewed break-glass request is reminded. */
export const REVIEW_REMINDER_EVERY_MS = 24 * 3600_000;

/**
 * Reminds the approvers in scope and the auditors of break-glass requests
 * that await review once their activity is complete, then once every 24 h
 * until someone reviews them. Each reminder is claimed with a guarded update
 * (`review_reminded_at`), so restarts and a second replica send it once.
 * Calls no AWS.
 */
export class ReviewReminderStep implements LifecycleStep {
  name = 'review-reminder';

  constructor(
    private readonly deps: {
      requests: RequestStore;
      notifier: RequestNotifier;
      clock: Clock;
      logger: LoggerService;
      everyMs?: number;
    },
  ) {}

  async run(): Promise<void> {
    const { requests, notifier, clock } = this.deps;
    const everyMs = this.deps.everyMs ?? REVIEW_REMINDER_EVERY_MS;
    for (;;) {
      const due = await requests.dueForReviewReminder(
        clock.now(),
        everyMs,
        100,
      );
      for (const request of due) {
        if (
          await requests.claimReviewReminder(request.id, clock.now(), everyMs)
        ) {
          await notifier.notify(request, { kind: 'review-reminder' });
        }
      }
      if (due.length < 100) break;
    }
  }
}
