import { LoggerService } from '@backstage/backend-plugin-api';
import { FINAL_STATUSES } from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  ActivityEvent,
  ActivitySource,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import { ActivityStore, AttributedEvent } from '../database/ActivityStore';
import {
  attributeEvent,
  SessionWindow,
  sessionOfEvent,
} from '../domain/activityAttribution';
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

/** The progress key of a source that reads every region at once. */
const ALL_REGIONS = '*';

/**
 * Collects each session's activity over [grant, end + padding] in every
 * region the source reads, run after run, and marks it complete once the
 * settle window after that has passed in all of them. Each event goes to the
 * one session that made it (see domain/activityAttribution).
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

  /**
   * Collects one session up to now, every region side by side; returns how
   * many events were new. A region that fails keeps its progress and the
   * others theirs; the session is retried.
   */
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
    const to = new Date(Math.min(now.getTime(), windowEnd.getTime()));
    const regions: Array<string | undefined> = source.regionsOf
      ? await source.regionsOf(r.accountId)
      : [undefined];
    const progress = await activity.progressOf(r.id);
    // Every session an event seen here could come from: this one, and the
    // user's earlier or later sessions of the same pair.
    const sessions = await requests.sessionsOverlapping({
      accountId: r.accountId,
      permissionSetArn: r.permissionSetArn,
      principalName: r.principalName!,
      from: new Date(
        windowStart.getTime() - this.options.paddingMinutes * MINUTE,
      ),
      to: windowEnd,
    });
    let added = 0;
    const results = await Promise.allSettled(
      regions.map(async region => {
        const key = region ?? ALL_REGIONS;
        const reached = progress.get(key);
        const from = new Date(
          Math.max(
            windowStart.getTime(),
            (reached ? reached.getTime() : 0) - overlap,
          ),
        );
        if (to > from) {
          for await (const page of source.collect(
            {
              accountId: r.accountId,
              userName: r.principalName!,
              permissionSetArn: r.permissionSetArn,
              permissionSetName: r.permissionSetName,
              startTime: from.toISOString(),
              endTime: to.toISOString(),
              region,
            },
            { signal },
          )) {
            added += await activity.insert(
              r.id,
              ownEvents(r.id, page, sessions, region),
            );
          }
        }
        await activity.saveProgress(r.id, key, to);
      }),
    );
    const failed = results.find(
      (x): x is PromiseRejectedResult => x.status === 'rejected',
    );
    if (failed) throw failed.reason;
    // Complete once every region has read past the settle window.
    const complete =
      ended &&
      now.getTime() >=
        windowEnd.getTime() + this.options.settleMinutes * MINUTE;
    // Once final, the grant is marked used or unused (domain/activityUse).
    await requests.releaseActivity(r.id, owner, {
      collectedUntil: to,
      complete,
      used: complete ? await activity.hasUsage(r.id) : undefined,
    });
    return added;
  }
}

/**
 * The events of a page that this session made: the ones whose credentials
 * were issued while its access lasted. Events of the user's other sessions
 * of the same pair are left to those sessions' collection.
 */
function ownEvents(
  requestId: string,
  page: ActivityEvent[],
  sessions: SessionWindow[],
  region: string | undefined,
): AttributedEvent[] {
  const own: AttributedEvent[] = [];
  for (const event of page) {
    const session = sessionOfEvent(event.raw);
    const attribution = attributeEvent(
      { eventTime: event.eventTime, session },
      sessions,
    );
    if (attribution?.requestId !== requestId) continue;
    own.push({
      ...event,
      region: event.region ?? session.region ?? region,
      afterEnd: attribution.afterEnd,
      sessionIssuedAt: session.issuedAt,
    });
  }
  return own;
}
