import { NotificationSeverity } from '@backstage/plugin-notifications-common';
import { formatMinutes } from '@elevated-access/backstage-plugin-elevated-access-common';
import { StoredRequest } from '../database/RequestStore';
import { humanTime, plainText, shortRef, whenIn } from './noticeText';
import { Notice, RequestNews, RequestNotices } from './requestNews';

export type { Notice, RequestNews, RequestNotices } from './requestNews';

/**
 * Whether a reminder before a pending request expires tells the approvers
 * anything new: not when the request was made inside the reminder window or
 * shortly before it (a 15-minute request expires 15 minutes after it is made:
 * "Expires soon" would arrive with the approval request itself). A reminder
 * is worth sending when the request has waited at least as long as the
 * reminder window before it.
 */
export function reminderAddsInformation(
  request: Pick<StoredRequest, 'createdAt' | 'expiresAt'>,
  reminderBeforeExpiryMs: number,
): boolean {
  const created = Date.parse(request.createdAt);
  const expires = request.expiresAt ? Date.parse(request.expiresAt) : NaN;
  if (!Number.isFinite(created) || !Number.isFinite(expires)) return false;
  return expires - created >= 2 * reminderBeforeExpiryMs;
}

/**
 * What each audience reads about one piece of news: the texts of Backstage
 * notifications (and through them of the Slack notification processor) and
 * of the Slack webhook. Nothing for `vote` (one of several approvals: the
 * decision follows) or `changed`. Times are relative to `now` (when the
 * notice is sent) with the moment in UTC, e.g. "starting in 2 h (Sat 21 Nov
 * 2026, 09:00 UTC)".
 */
export function requestNotices(
  request: StoredRequest,
  news: RequestNews,
  now: Date = new Date(),
  /** The zone moments are written in (`notifications.timeZone`). */
  zone = 'UTC',
): RequestNotices {
  const when = (iso: string | undefined, at: Date) => whenIn(iso, at, zone);
  const who = shortRef(request.requesterRef);
  const what = `${plainText(request.permissionSetName, 200)} on ${plainText(
    request.accountName,
    200,
  )}`;
  const whatInFull = `${what} (${plainText(request.accountId, 20)})`;
  const duration = formatMinutes(request.durationMinutes);
  const notice = (
    title: string,
    lines: Array<string | undefined | false>,
    severity: NotificationSeverity = 'normal',
  ): Notice => ({
    title,
    description: lines.filter(Boolean).join('\n'),
    severity,
  });
  const quoted = (label: string, value?: string) =>
    value ? `${label}: “${plainText(value)}”` : undefined;
  // a sentence, ended by the comment when the actor gave one
  const withComment = (sentence: string, comment?: string) =>
    comment ? `${sentence}: ${plainText(comment)}` : `${sentence}.`;
  const justification = [
    quoted('Justification', request.justification),
    request.ticketId && `Ticket: ${plainText(request.ticketId, 100)}.`,
  ];
  const about = (prefix: string) => `${prefix}: ${what} for ${who}`;

  switch (news.kind) {
    case 'created':
      if (request.status !== 'pending') {
        return {
          about: notice(about('Scheduled'), [
            `${who} gets ${duration} of ${whatInFull}, starting ${when(
              request.startTime,
              now,
            )}; no approval needed.`,
            ...justification,
          ]),
        };
      }
      return {
        about: notice(
          about('Approve access'),
          [
            `${who} asks for ${duration} of ${whatInFull}, starting ${when(
              request.startTime,
              now,
            )}.`,
            ...justification,
            request.minApprovals > 1 &&
              `It needs ${request.minApprovals} approvals.`,
            request.expiresAt &&
              `The request closes ${when(
                request.expiresAt,
                now,
              )} unless someone decides.`,
          ],
          'high',
        ),
        approvers: { except: [] },
      };
    case 'reminder':
      return {
        about: notice(
          about('Expires soon'),
          [
            `The request closes ${when(
              request.expiresAt,
              now,
            )} unless someone decides.`,
            `${who} asks for ${duration} of ${whatInFull}, starting ${when(
              request.startTime,
              now,
            )}.`,
            ...justification,
          ],
          'high',
        ),
        approvers: { except: [] },
      };
    case 'approved': {
      const approved = request.approvedDurationMinutes;
      return {
        requester: notice(
          `Approved: ${what}`,
          [
            approved
              ? `Approved by ${shortRef(news.actorRef)} for ${formatMinutes(
                  approved,
                )} (you asked for ${duration}).`
              : `Approved by ${shortRef(news.actorRef)}.`,
            `Access starts ${when(request.startTime, now)}.`,
          ],
          'high',
        ),
        about: notice(about('Approved'), [
          `Decided: ${shortRef(news.actorRef)} approved ${formatMinutes(
            approved ?? request.durationMinutes,
          )} of ${whatInFull}, starting ${when(request.startTime, now)}${
            approved ? ` (${who} asked for ${duration})` : ''
          }.`,
        ]),
        // every approver's "Approve access" is replaced, the decider's too
        approvers: { except: [] },
      };
    }
    case 'rejected':
      return {
        requester: notice(
          `Rejected: ${what}`,
          [withComment(`Rejected by ${shortRef(news.actorRef)}`, news.comment)],
          'high',
        ),
        about: notice(about('Rejected'), [
          `Decided: ${shortRef(news.actorRef)} rejected the request.`,
          quoted('Comment', news.comment),
        ]),
        approvers: { except: [] },
      };
    case 'cancelled':
      return {
        requester: notice(`Cancelled: ${what}`, ['You cancelled the request.']),
        about: notice(about('Cancelled'), [`${who} cancelled the request.`]),
        approvers: { except: [] },
      };
    case 'expired':
      return {
        requester: notice(`Expired: ${what}`, [
          'Nobody decided in time; ask again if you still need access.',
        ]),
        about: notice(about('Expired'), [
          'Nobody decided in time; the request is closed.',
        ]),
        approvers: { except: [] },
      };
    case 'granted':
      return {
        requester: notice(
          `Active: ${what}`,
          [
            `Your access is active for ${formatMinutes(
              Math.max(
                0,
                (Date.parse(request.endTime) - now.getTime()) / 60_000,
              ),
            )}, until ${humanTime(request.endTime, zone)}.`,
          ],
          'high',
        ),
        about: notice(about('Active'), [
          `${who} has ${whatInFull} until ${humanTime(request.endTime, zone)}.`,
        ]),
      };
    case 'revoked':
      return {
        requester: notice(
          `Revoked: ${what}`,
          [
            withComment(
              `Access was ended by ${shortRef(news.actorRef)}`,
              news.comment,
            ),
          ],
          'high',
        ),
        about: notice(about('Revoked'), [
          `${shortRef(news.actorRef)} ended the access early.`,
          quoted('Comment', news.comment),
        ]),
      };
    case 'ended':
      return {
        requester: notice(`Ended: ${what}`, ['Your access has ended.']),
        about: notice(about('Ended'), [`${who}'s access has ended.`]),
      };
    case 'error': {
      const step = request.grantedAt ? 'Removing' : 'Granting';
      return {
        requester: notice(`Failed: ${what}`, [plainText(news.reason)], 'high'),
        about: notice(
          about('Failed'),
          [
            `${step} ${whatInFull} failed; an admin can retry it from the request page.`,
            `Reason: ${plainText(news.reason)}`,
          ],
          'high',
        ),
        admins: { scope: 'error' },
      };
    }
    case 'ineligible':
      return {
        requester: notice(`Closed: ${what}`, [plainText(news.reason)], 'high'),
        about: notice(about('Closed'), [
          `The request no longer qualifies: ${plainText(news.reason)}`,
        ]),
        approvers: { except: [] },
      };
    case 'revoke-stuck':
      return {
        about: notice(
          about('Access still present'),
          [
            `Removing ${whatInFull} failed ${news.attempts} times (${plainText(
              news.reason,
            )}). It is retried automatically until it succeeds; check the IAM Identity Center assignment.`,
          ],
          'critical',
        ),
        admins: { scope: 'revoke-stuck' },
      };
    case 'ends-soon':
      return {
        requester: notice(
          `Ends soon: ${what}`,
          [
            `Your access ends ${when(request.endTime, now)}.`,
            'Open the request to extend it if you still need it.',
          ],
          'high',
        ),
        about: notice(about('Ends soon'), [
          `${who}'s access to ${whatInFull} ends ${when(
            request.endTime,
            now,
          )}.`,
        ]),
        linkQuery: '?extend=1',
      };
    case 'extension-requested':
      return {
        about: notice(
          about('Approve extension'),
          [
            `${who} asks for ${formatMinutes(
              news.addedMinutes,
            )} more of ${whatInFull} (${formatMinutes(
              news.totalMinutes,
            )} from the grant); the access now ends ${when(
              request.endTime,
              now,
            )}.`,
            quoted('Justification', news.justification),
            'The access continues unchanged until someone decides.',
          ],
          'high',
        ),
        approvers: { except: [] },
      };
    case 'extended':
      return {
        requester: notice(
          `Extended: ${what}`,
          [
            news.actorRef
              ? `${shortRef(news.actorRef)} approved ${formatMinutes(
                  news.addedMinutes,
                )} more.`
              : `Extended by ${formatMinutes(
                  news.addedMinutes,
                )}; no approval needed.`,
            `Your access now ends ${when(request.endTime, now)}.`,
          ],
          'high',
        ),
        about: notice(about('Extended'), [
          `${who}'s access to ${whatInFull} was extended by ${formatMinutes(
            news.addedMinutes,
          )}${
            news.actorRef ? ` (approved by ${shortRef(news.actorRef)})` : ''
          }; it now ends ${when(request.endTime, now)}.`,
        ]),
        ...(news.actorRef && { approvers: { except: [] } }),
      };
    case 'extension-rejected':
      return {
        requester: notice(
          `Extension rejected: ${what}`,
          [
            withComment(
              `${shortRef(news.actorRef)} rejected ${formatMinutes(
                news.addedMinutes,
              )} more`,
              news.comment,
            ),
            `Your access still ends ${when(request.endTime, now)}.`,
          ],
          'high',
        ),
        about: notice(about('Extension rejected'), [
          `Decided: ${shortRef(news.actorRef)} rejected the extension.`,
          quoted('Comment', news.comment),
        ]),
        approvers: { except: [] },
      };
    case 'extension-lapsed':
      return {
        requester: notice(`Extension lapsed: ${what}`, [
          `Your access ended before anyone decided on ${formatMinutes(
            news.addedMinutes,
          )} more; ask for access again if you still need it.`,
        ]),
        about: notice(about('Extension lapsed'), [
          'The access ended before anyone decided on the extension.',
        ]),
        approvers: { except: [] },
      };
    case 'break-glass':
      return {
        requester: notice(
          `Break-glass: ${what}`,
          [
            `Your break-glass access was approved at once: ${duration} of ${whatInFull}, starting now.`,
            'Approvers and auditors were told, and an approver reviews it once it has ended.',
          ],
          'high',
        ),
        about: notice(
          about('Break-glass'),
          [
            `${who} used break-glass: ${duration} of ${whatInFull}, approved at once without approval, starting ${when(
              request.startTime,
              now,
            )}.`,
            ...justification,
            'An approver reviews it once the access has ended and its activity is collected.',
          ],
          'high',
        ),
        approvers: { except: [], scope: 'review' },
        auditors: { scope: 'review' },
      };
    case 'review-reminder':
      return {
        about: notice(
          about('Review break-glass'),
          [
            `${who} used break-glass for ${duration} of ${whatInFull} and nobody has reviewed it yet.`,
            ...justification,
            'Its activity is complete: review it as appropriate or inappropriate.',
          ],
          'high',
        ),
        approvers: { except: [], scope: 'review' },
        auditors: { scope: 'review' },
      };
    case 'reviewed': {
      const inappropriate = news.outcome === 'inappropriate';
      return {
        requester: notice(
          `Reviewed: ${what}`,
          [
            `${shortRef(news.actorRef)} reviewed your break-glass access as ${
              news.outcome
            }.`,
            quoted('Comment', news.comment),
          ],
          inappropriate ? 'high' : 'normal',
        ),
        about: notice(
          about(inappropriate ? 'Break-glass inappropriate' : 'Reviewed'),
          [
            `${shortRef(news.actorRef)} reviewed the break-glass access as ${
              news.outcome
            }.`,
            quoted('Comment', news.comment),
          ],
          inappropriate ? 'high' : 'normal',
        ),
        approvers: { except: [], scope: 'review' },
        ...(inappropriate && { auditors: { scope: 'review' as const } }),
      };
    }
    default:
      // 'vote' (the decision follows) and 'changed'
      return {};
  }
}
