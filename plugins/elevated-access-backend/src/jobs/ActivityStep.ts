import { LoggerService } from '@backstage/backend-plugin-api';
import { FINAL_STATUSES } from '@internal/backstage-plugin-elevated-access-common';
import { ActivitySource } from '@internal/backstage-plugin-elevated-access-node';
import pLimit from 'p-limit';
import { ActivityStore } from '../database/ActivityStore';
import { RequestStore, StoredRequest } from '../database/RequestStore';
import { Clock } from '../service/Clock';
import { LifecycleStep } from './LifecycleJob';

export interface ActivityStepOptions {
  requests: RequestStore;
  activity: ActivityStore;
  source: ActivitySource;
  clock: Clock;
  logger: LoggerService;
  owner: string;
  /** Sessions started just before the end stay valid this long (default 60). */
  paddingMinutes: number;
  /** CloudTrail delivers late: collection goes on this long after the window (default 60). */
  settleMinutes: number;
  /** Each run re-reads this much before the last point reached, for late events. */
  overlapMinutes?: number;
  concurrency?: number;
}

const MINUTE = 60_000;

/**
 * Collects each session's activity over [grant, end + padding], run after
 * run, and marks it complete once the settle window after that has passed.
 * Events are stored in the plugin's database (deduplicated by id), so audits
 * outlive CloudTrail's 90-day history.
 */
export class ActivityStep implements LifecycleStep {
  name = 'activity';

  constructor(private readonly options: ActivityStepOptions) {}

  async run(signal?: AbortSignal): Promise<void> {
    const { requests, clock, owner } = this.options;
    const due = await requests.activityDue(clock.now(), 200);
    const limit = pLimit(this.options.concurrency ?? 10);
    await Promise.all(
      due.map(r =>
        limit(async () => {
          if (signal?.aborted) return;
          const now = clock.now();
          if (
            !(await requests.claimActivity(
              r.id,
              owner,
              now,
              new Date(now.getTime() + 10 * MINUTE),
            ))
          ) {
            return;
          }
          try {
            await this.collect(r, signal);
          } catch (error) {
            this.options.logger.warn(
              `Collecting activity of request ${r.id} failed; will retry`,
              {
                error: String(error),
              },
            );
            await requests.releaseActivity(r.id, owner, {
              collectedUntil: r.activityCollectedUntil
                ? new Date(r.activityCollectedUntil)
                : new Date(r.grantedAt!),
              complete: false,
            });
          }
        }),
      ),
    );
  }

  /** Collects one session up to now; returns how many events were new. */
  async collect(r: StoredRequest, signal?: AbortSignal): Promise<number> {
    const { requests, activity, source, clock, owner } = this.options;
    const now = clock.now();
    const ended = FINAL_STATUSES.includes(r.status) || r.status === 'error';
    const sessionEnd = new Date(ended && r.endedAt ? r.endedAt : r.endTime);
    const windowStart = new Date(r.grantedAt!);
    const windowEnd = new Date(
      sessionEnd.getTime() + this.options.paddingMinutes * MINUTE,
    );
    const overlap = (this.options.overlapMinutes ?? 15) * MINUTE;
    const from = new Date(
      Math.max(
        windowStart.getTime(),
        (r.activityCollectedUntil
          ? new Date(r.activityCollectedUntil).getTime()
          : 0) - overlap,
      ),
    );
    const to = new Date(Math.min(now.getTime(), windowEnd.getTime()));
    let added = 0;
    if (to > from) {
      for await (const page of source.collect(
        {
          accountId: r.accountId,
          userName: r.principalName!,
          permissionSetArn: r.permissionSetArn,
          permissionSetName: r.permissionSetName,
          startTime: from.toISOString(),
          endTime: to.toISOString(),
        },
        { signal },
      )) {
        added += await activity.insert(r.id, page);
      }
    }
    const complete =
      ended &&
      now.getTime() >=
        windowEnd.getTime() + this.options.settleMinutes * MINUTE;
    await requests.releaseActivity(r.id, owner, {
      collectedUntil: to,
      complete,
    });
    return added;
  }
}
