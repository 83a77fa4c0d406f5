import { LoggerService } from '@backstage/backend-plugin-api';
import { FINAL_STATUSES } from '@elevated-access/backstage-plugin-elevated-access-common';
import { ActivitySource } from '@elevated-access/backstage-plugin-elevated-access-node';
import { ActivityStore } from '../database/ActivityStore';
import { RequestStore, StoredRequest } from '../database/RequestStore';
import { Clock } from '../service/Clock';
import { LifecycleStep } from './LifecycleJob';
import { WorkPool } from './WorkPool';

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
  /** How long a claim lasts without a heartbeat (default 60 s). */
  leaseMs?: number;
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

  private readonly pool: WorkPool<StoredRequest>;
  private collectedThisRun = new Set<string>();

  constructor(private readonly options: ActivityStepOptions) {
    const leaseMs = options.leaseMs ?? 60_000;
    this.pool = new WorkPool({
      concurrency: options.concurrency ?? 10,
      leaseMs,
      itemDeadlineMs: 10 * MINUTE,
      heartbeat: r =>
        options.requests.heartbeatActivity(
          r.id,
          options.owner,
          new Date(options.clock.now().getTime() + leaseMs),
        ),
      work: (r, signal) => this.collect(r, signal).then(() => undefined),
      onError: async (r, error, stopping) => {
        if (!stopping) {
          options.logger.warn(
            `Collecting activity of request ${r.id} failed; will retry`,
            { error: String(error) },
          );
        }
        await options.requests.releaseActivity(r.id, options.owner, {
          collectedUntil: r.activityCollectedUntil
            ? new Date(r.activityCollectedUntil)
            : new Date(r.grantedAt!),
          complete: false,
        });
      },
      logger: options.logger,
    });
  }

  /** Collects every due session once; a dead replica's claims lapse within a lease. */
  async run(signal?: AbortSignal): Promise<void> {
    const { requests, clock, owner } = this.options;
    const leaseMs = this.options.leaseMs ?? 60_000;
    this.collectedThisRun = new Set();
    await this.pool.run(async limit => {
      const now = clock.now();
      const due = (
        await requests.activityDue(now, limit + this.collectedThisRun.size)
      )
        .filter(r => !this.collectedThisRun.has(r.id))
        .slice(0, limit);
      const claimed: StoredRequest[] = [];
      for (const r of due) {
        this.collectedThisRun.add(r.id);
        if (
          await requests.claimActivity(
            r.id,
            owner,
            now,
            new Date(now.getTime() + leaseMs),
          )
        ) {
          claimed.push(r);
        }
      }
      return claimed;
    }, signal);
  }

  shutdown(graceMs?: number): Promise<void> {
    return this.pool.shutdown(graceMs);
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
