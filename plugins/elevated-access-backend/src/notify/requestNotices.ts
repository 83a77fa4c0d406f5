import { DateTime } from 'luxon';
import { NotificationSeverity } from '@backstage/plugin-notifications-common';
import {
  formatMinutes,
  shortEntityRef,
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
  /** Active access ends within the "ends soon" window (the requester may extend). */
  | { kind: 'ends-soon' }
  /** The requester asked for more time and approvers must decide. */
  | {
      kind: 'extension-requested';
      addedMinutes: number;
      totalMinutes: number;
      justification: string;
    }
  /** The end moved: at once (no approval needed) or approved by `actorRef`. */
  | { kind: 'extended'; addedMinutes: number; actorRef?: string }
  | {
      kind: 'extension-rejected';
      addedMinutes: number;
      actorRef: string;
      comment?: string;
    }
  /** The access ended before anyone decided on the extension. */
  | { kind: 'extension-lapsed'; addedMinutes: number }
  /** Break-glass: approved at once; approvers and auditors hear at once. */
  | { kind: 'break-glass' }
  /** A break-glass request awaits review (its activity is complete). */
  | { kind: 'review-reminder' }
  /** An approver reviewed a break-glass request. */
  | {
      kind: 'reviewed';
      actorRef: string;
      outcome: 'appropriate' | 'inappropriate';
      comment?: string;
    }
  /** An internal step (a finished revocation, an admin's retry): only signals. */
  | { kind: 'changed' };

/** One message: the title, description and severity of a notification. */
export interface Notice {
  title: string;
  /** Plain text; lines are separated by `\n`. */
  description: string;
  severity: NotificationSeverity;
}

/** Who hears of a piece of news, and what they read. */
export interface RequestNotices {
  /** To the requester, in the second person. */
  requester?: Notice;
  /**
   * About the request, naming the requester: what approvers and admins
   * read, and what a channel that hears of every request (the Slack
   * webhook) posts.
   */
  about?: Notice;
  /**
   * The approvers are told (`about`), except the requester and these, in
   * this notification scope (default `approval`).
   */
  approvers?: { except: string[]; scope?: 'review' };
  /** The auditors are told (`about`), in this notification scope. */
  auditors?: { scope: 'review' };
  /** The admins are told (`about`), in this notification scope. */
  admins?: { scope: 'error' | 'revoke-stuck' };
  /** Added to the request's link, e.g. `?extend=1` (opens the extend dialog). */
  linkQuery?: string;
}

/** Longest piece of free text (justification, comment, reason) in a notice. */
const MAX_FREE_TEXT = 500;

/**
 * Text from users, the catalog or AWS, made safe for every renderer of
 * notifications. They are plain text in Backstage, but the Slack
 * notification processor posts the description as Slack `mrkdwn`, where
 * `<!channel>`, `<@U…>`, `<https://…|label>` and `<@user:default/…>` are
 * mentions and links: `<` and `>` become the look-alikes `‹` and `›`, so
 * none of those can form. Line breaks become spaces (a justification cannot
 * start a line of its own and pass for one of ours) and long text is cut.
 */
export function plainText(
  value: string | undefined,
  maxLength = MAX_FREE_TEXT,
): string {
  const chars = Array.from((value ?? '').replace(/\s+/g, ' ').trim());
  const cut =
    chars.length > maxLength
      ? `${chars.slice(0, maxLength).join('')}…`
      : chars.join('');
  return cut.replace(/</g, '‹').replace(/>/g, '›');
}

/** `user:default/alice` → `alice`; other namespaces and kinds stay visible. */
export function shortRef(ref: string): string {
  return plainText(shortEntityRef(ref), 200);
}

/** `2026-11-21 09:00 UTC`: the same for every reader, in every renderer. */
export function utcTime(iso: string | undefined): string {
  const ms = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) return 'an unknown time';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * `Sat 21 Nov 2026, 09:00 UTC`, or in the organisation's zone when one is
 * configured (`notifications.timeZone`): `Sat 21 Nov 2026, 10:00 CET`. The
 * server does not know each reader's zone, so notices say times relative to
 * when they were sent ("in 2 h") and give the moment itself in a human format
 * with its zone named, never an ISO timestamp.
 */
export function humanTime(iso: string | undefined, zone = 'UTC'): string {
  const at = iso ? DateTime.fromISO(iso, { zone }) : undefined;
  if (!at?.isValid) return 'an unknown time';
  return at.setLocale('en-GB').toFormat('ccc d LLL yyyy, HH:mm ZZZZ');
}

/** `now`, `in 2 h`, `5 min ago`: from the moment the notice is sent. */
export function fromNow(iso: string | undefined, now: Date): string {
  const ms = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) return 'at an unknown time';
  const minutes = Math.round((ms - now.getTime()) / 60_000);
  if (Math.abs(minutes) < 1) return 'now';
  return minutes > 0
    ? `in ${formatMinutes(minutes)}`
    : `${formatMinutes(-minutes)} ago`;
}

/** `now`, or `in 2 h (Sat 21 Nov 2026, 09:00 UTC)`, in `zone`. */
export function whenIn(
  iso: string | undefined,
  now: Date,
  zone = 'UTC',
): string {
  const relative = fromNow(iso, now);
  return relative === 'now'
    ? relative
    : `${relative} (${humanTime(iso, zone)})`;
}

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
          [
            news.comment
              ? `Rejected by ${shortRef(news.actorRef)}: ${plainText(
                  news.comment,
                )}`
              : `Rejected by ${shortRef(news.actorRef)}.`,
          ],
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
            news.comment
              ? `Access was ended by ${shortRef(news.actorRef)}: ${plainText(
                  news.comment,
                )}`
              : `Access was ended by ${shortRef(news.actorRef)}.`,
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
            news.comment
              ? `${shortRef(news.actorRef)} rejected ${formatMinutes(
                  news.addedMinutes,
                )} more: ${plainText(news.comment)}`
              : `${shortRef(news.actorRef)} rejected ${formatMinutes(
                  news.addedMinutes,
                )} more.`,
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
