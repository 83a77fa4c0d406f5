import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  ELEVATED_ACCESS_PLUGIN_ID,
  ELEVATED_ACCESS_SIGNAL_CHANNEL,
  ElevatedAccessSignal,
  formatMinutes,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { StoredRequest } from '../database/RequestStore';

/** What happened to a request, for the people who should know. */
export type RequestNews =
  | { kind: 'created' }
  | { kind: 'vote'; actorRef: string }
  | { kind: 'approved'; actorRef: string }
  | { kind: 'rejected'; actorRef: string; comment?: string }
  | { kind: 'cancelled' }
  | { kind: 'expired' }
  | { kind: 'reminder' }
  | { kind: 'revoked'; actorRef: string; comment?: string }
  | { kind: 'granted' }
  | { kind: 'ended' }
  | { kind: 'error'; reason: string }
  | { kind: 'revoke-stuck'; reason: string; attempts: number }
  | { kind: 'ineligible'; reason: string }
  | { kind: 'changed' };

/** A chat or other channel besides Backstage notifications (e.g. Slack). */
export interface NotificationChannel {
  send(request: StoredRequest, news: RequestNews, link: string): Promise<void>;
}

/**
 * Tells people about request changes: Backstage notifications to the people
 * concerned, a signal so open pages refresh, and any extra channels. Nothing
 * here may fail an action: every failure is logged and swallowed.
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
      /** Told when ending someone's access keeps failing. */
      adminRefs?: string[];
    },
  ) {}

  static link(requestId: string) {
    return `/elevated-access/requests/${requestId}`;
  }

  async notify(request: StoredRequest, news: RequestNews): Promise<void> {
    await Promise.all([
      this.safely('signal', () => this.signal(request)),
      this.safely('notification', () => this.notification(request, news)),
      ...(this.options.channels ?? []).map(channel =>
        this.safely('channel', () =>
          channel.send(request, news, RequestNotifier.link(request.id)),
        ),
      ),
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

  private async notification(request: StoredRequest, news: RequestNews) {
    const notifications = this.options.notifications;
    if (!notifications) return;
    const what = `${request.permissionSetName} on ${request.accountName}`;
    const link = RequestNotifier.link(request.id);
    const toRequester = (
      title: string,
      description: string,
      severity: 'high' | 'normal' = 'normal',
    ) =>
      notifications.send({
        recipients: { type: 'entity', entityRef: request.requesterRef },
        payload: {
          title,
          description,
          link,
          severity,
          topic: ELEVATED_ACCESS_PLUGIN_ID,
          scope: `request:${request.id}:status`,
        },
      });
    const toApprovers = (
      title: string,
      description: string,
      exclude: string[] = [],
      severity: 'high' | 'normal' = 'high',
    ) =>
      request.approverRefs.length
        ? notifications.send({
            recipients: {
              type: 'entity',
              entityRef: request.approverRefs,
              excludeEntityRef: [request.requesterRef, ...exclude],
            },
            payload: {
              title,
              description,
              link,
              severity,
              topic: ELEVATED_ACCESS_PLUGIN_ID,
              // later news about the decision replaces the approval request
              scope: `request:${request.id}:approval`,
            },
          })
        : Promise.resolve();

    const who = request.requesterRef.replace(/^user:(default\/)?/, '');
    switch (news.kind) {
      case 'created':
        if (request.status === 'pending') {
          await toApprovers(
            `Approve access: ${what}`,
            `${who} asks for ${formatMinutes(request.durationMinutes)} from ${
              request.startTime
            }: ${request.justification}`,
          );
        }
        return;
      case 'reminder':
        await toApprovers(
          `Expires soon: ${what} for ${who}`,
          `The request expires at ${request.expiresAt} unless someone decides.`,
        );
        return;
      case 'approved':
        await toRequester(
          `Approved: ${what}`,
          request.approvedDurationMinutes
            ? `Approved by ${news.actorRef} for ${formatMinutes(
                request.approvedDurationMinutes,
              )} (you asked for ${formatMinutes(request.durationMinutes)}).`
            : `Approved by ${news.actorRef}.`,
          'high',
        );
        await toApprovers(
          `Approved: ${what} for ${who}`,
          `Decided by ${news.actorRef}.`,
          [news.actorRef],
          'normal',
        );
        return;
      case 'rejected':
        await toRequester(
          `Rejected: ${what}`,
          `Rejected by ${news.actorRef}${
            news.comment ? `: ${news.comment}` : '.'
          }`,
          'high',
        );
        await toApprovers(
          `Rejected: ${what} for ${who}`,
          `Decided by ${news.actorRef}.`,
          [news.actorRef],
          'normal',
        );
        return;
      case 'expired':
        await toRequester(
          `Expired: ${what}`,
          'Nobody decided in time; ask again if you still need access.',
        );
        return;
      case 'cancelled':
        await toRequester(`Cancelled: ${what}`, 'You cancelled the request.');
        await toApprovers(
          `Cancelled: ${what} for ${who}`,
          'The requester cancelled it.',
          [],
          'normal',
        );
        return;
      case 'revoked':
        await toRequester(
          `Revoked: ${what}`,
          `Access was ended by ${news.actorRef}${
            news.comment ? `: ${news.comment}` : '.'
          }`,
          'high',
        );
        return;
      case 'granted':
        await toRequester(
          `Active: ${what}`,
          `Your access is active until ${request.endTime}.`,
          'high',
        );
        return;
      case 'ended':
        await toRequester(`Ended: ${what}`, 'Your access has ended.');
        return;
      case 'error':
        await toRequester(`Failed: ${what}`, news.reason, 'high');
        return;
      case 'ineligible':
        await toRequester(`Closed: ${what}`, news.reason, 'high');
        await toApprovers(
          `Closed: ${what} for ${who}`,
          news.reason,
          [],
          'normal',
        );
        return;
      case 'revoke-stuck':
        if (this.options.adminRefs?.length) {
          await notifications.send({
            recipients: { type: 'entity', entityRef: this.options.adminRefs },
            payload: {
              title: `Access still present: ${what} for ${who}`,
              description: `Removing the access failed ${news.attempts} times (${news.reason}). It is retried automatically until it succeeds; check the IAM Identity Center assignment.`,
              link,
              severity: 'critical',
              topic: ELEVATED_ACCESS_PLUGIN_ID,
              scope: `request:${request.id}:revoke-stuck`,
            },
          });
        }
        return;
      default:
        return;
    }
  }
}
