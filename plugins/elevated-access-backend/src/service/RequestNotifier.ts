import { LoggerService } from '@backstage/backend-plugin-api';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  ELEVATED_ACCESS_PLUGIN_ID,
  ELEVATED_ACCESS_SIGNAL_CHANNEL,
  ElevatedAccessSignal,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { StoredRequest } from '../database/RequestStore';
import {
  Notice,
  RequestNews,
  RequestNotices,
  requestNotices,
} from '../notify/requestNotices';

export type { RequestNews } from '../notify/requestNotices';

/** What a channel besides Backstage notifications posts about a request. */
export interface ChannelMessage extends Notice {
  /** The request's path in Backstage, `/elevated-access/requests/<id>`. */
  link: string;
}

/**
 * A channel that hears of every request event, besides Backstage
 * notifications (the Slack incoming webhook).
 */
export interface NotificationChannel {
  send(message: ChannelMessage): Promise<void>;
}

/**
 * Tells people about request changes: Backstage notifications to the people
 * concerned (which the notification processors, e.g. Slack's, also deliver),
 * a signal so open pages refresh, and any extra channels. Nothing here may
 * fail an action: every failure is logged and swallowed.
 */
export class RequestNotifier {
  constructor(
    private readonly options: {
      notifications?: NotificationService;
      signals?: SignalsService;
      channels?: NotificationChannel[];
      logger: LoggerService;
      /** Also receive signals (they see every request). */
      observerRefs: string[];
      /** Told when provisioning fails and when ending someone's access keeps failing. */
      adminRefs?: string[];
      /** Told of break-glass at once, reminded of its review, and of inappropriate use. */
      auditorRefs?: string[];
      /** The time notices are written at (relative times count from it). */
      now?: () => Date;
      /**
       * Told of every change before anyone is notified (this replica's due
       * timer looks again for the nearest start or end).
       */
      onChange?: (request: StoredRequest) => void;
      /** How long an identical send is not repeated (default a minute). */
      dedupeMs?: number;
      /** The zone times are written in (default UTC). */
      timeZone?: string;
    },
  ) {}

  /** Recent sends, by recipients and payload, to drop exact repeats. */
  private readonly recent = new Map<string, number>();

  static link(requestId: string) {
    return `/elevated-access/requests/${requestId}`;
  }

  async notify(request: StoredRequest, news: RequestNews): Promise<void> {
    try {
      this.options.onChange?.(request);
    } catch (error) {
      this.options.logger.warn('Could not pass on a request change', {
        error: String(error),
      });
    }
    const notices = requestNotices(
      request,
      news,
      this.options.now?.() ?? new Date(),
      this.options.timeZone,
    );
    const about = notices.about;
    const link = RequestNotifier.link(request.id) + (notices.linkQuery ?? '');
    await Promise.all([
      this.safely('signal', () => this.signal(request)),
      this.safely('notification', () =>
        this.notification(request, news, notices),
      ),
      ...(about
        ? (this.options.channels ?? []).map(channel =>
            this.safely('channel', () => channel.send({ ...about, link })),
          )
        : []),
    ]);
  }

  private async safely(what: string, fn: () => Promise<void>) {
    try {
      await fn();
    } catch (error) {
      this.options.logger.warn(`Could not send ${what} about a request`, {
        error: String(error),
      });
    }
  }

  private async signal(request: StoredRequest) {
    if (!this.options.signals) return;
    const message: ElevatedAccessSignal = {
      type: 'request-changed',
      requestId: request.id,
      status: request.status,
    };
    await this.options.signals.publish({
      recipients: {
        type: 'user',
        entityRef: [
          ...new Set([
            request.requesterRef,
            ...request.approverRefs,
            ...this.options.observerRefs,
          ]),
        ],
      },
      channel: ELEVATED_ACCESS_SIGNAL_CHANNEL,
      message,
    });
  }

  /**
   * Backstage notifications, with entity refs as recipients: the
   * notifications backend shows them in each user's inbox, and the Slack
   * processor posts them to the `slack.com/bot-notify` channel of each group
   * among the recipients and as a DM to each user named (found by that
   * annotation or by email).
   *
   * Scopes (the same scope replaces the earlier notification for that user
   * and edits the earlier DM):
   * - approvers: one per request (`approval`): the decision, cancellation,
   *   expiry or reminder replaces "Approve access", the decider's own too;
   * - the requester: one for the decision (`decision`: approved, rejected,
   *   cancelled, expired, closed) and one for the access (`access`: active,
   *   then ended, revoked or failed). Backstage's notification pop-ups are
   *   keyed by the notification's id, which a replacement keeps: news that
   *   follow each other within seconds in one scope (approved, then granted
   *   at once) would show the same pop-up twice (React's "two children with
   *   the same key"), so those two never share a scope;
   * - admins: one per failure kind.
   * An exact repeat (same recipients and text) within `dedupeMs` is not sent.
   */
  private async notification(
    request: StoredRequest,
    news: RequestNews,
    notices: RequestNotices,
  ) {
    const notifications = this.options.notifications;
    if (!notifications) return;
    const send = (options: NotificationSendOptions): Promise<void> => {
      const key = JSON.stringify([options.recipients, options.payload]);
      const at = Date.now();
      const last = this.recent.get(key);
      if (last !== undefined && at - last < (this.options.dedupeMs ?? 60_000)) {
        return Promise.resolve();
      }
      this.recent.set(key, at);
      if (this.recent.size > 1000) {
        // forget the oldest (a Map keeps insertion order)
        this.recent.delete(this.recent.keys().next().value as string);
      }
      return (async () => notifications.send(options))().catch(error => {
        // not sent: a later repeat may try again
        this.recent.delete(key);
        throw error;
      });
    };
    const link = RequestNotifier.link(request.id) + (notices.linkQuery ?? '');
    const payload = (notice: Notice, scope: string) => ({
      ...notice,
      link,
      topic: ELEVATED_ACCESS_PLUGIN_ID,
      scope: `request:${request.id}:${scope}`,
    });
    const sends: Array<Promise<void>> = [];
    if (notices.requester) {
      sends.push(
        send({
          recipients: { type: 'entity', entityRef: request.requesterRef },
          payload: payload(notices.requester, requesterScope(news)),
        }),
      );
    }
    if (notices.about && notices.approvers && request.approverRefs.length) {
      sends.push(
        send({
          recipients: {
            type: 'entity',
            entityRef: request.approverRefs,
            excludeEntityRef: [
              request.requesterRef,
              ...notices.approvers.except,
            ],
          },
          // later news about the decision replaces the approval request
          payload: payload(
            notices.about,
            notices.approvers.scope ?? 'approval',
          ),
        }),
      );
    }
    const admins = this.options.adminRefs ?? [];
    if (notices.about && notices.admins && admins.length) {
      sends.push(
        send({
          recipients: {
            type: 'entity',
            entityRef: admins,
            // a requester who is an admin already heard of it
            ...(notices.requester && {
              excludeEntityRef: request.requesterRef,
            }),
          },
          payload: payload(notices.about, notices.admins.scope),
        }),
      );
    }
    const auditors = this.options.auditorRefs ?? [];
    if (notices.about && notices.auditors && auditors.length) {
      sends.push(
        send({
          recipients: {
            type: 'entity',
            entityRef: auditors,
            excludeEntityRef: request.requesterRef,
          },
          payload: payload(notices.about, `auditors-${notices.auditors.scope}`),
        }),
      );
    }
    // one failed send does not stop the others
    const failed = (await Promise.allSettled(sends)).find(
      (r): r is PromiseRejectedResult => r.status === 'rejected',
    );
    if (failed) throw failed.reason;
  }
}

/** The requester's notification scope for a piece of news (see above). */
function requesterScope(news: RequestNews): string {
  switch (news.kind) {
    case 'approved':
    case 'rejected':
    case 'cancelled':
    case 'expired':
    case 'ineligible':
      return 'decision';
    case 'granted':
    case 'revoked':
    case 'ended':
    case 'error':
      return 'access';
    case 'extended':
    case 'extension-rejected':
    case 'extension-lapsed':
      return 'extension';
    case 'break-glass':
      return 'decision';
    case 'reviewed':
      return 'review';
    default:
      return news.kind;
  }
}
