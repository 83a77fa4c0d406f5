import { formatMinutes } from '@elevated-access/backstage-plugin-elevated-access-common';
import { StoredRequest } from '../database/RequestStore';
import { NotificationChannel, RequestNews } from '../service/RequestNotifier';

/** What an incoming webhook receives. */
export interface SlackWebhookMessage {
  /** Slack `mrkdwn`: the only markup in it is ours; free text is escaped. */
  text: string;
  unfurl_links: false;
  unfurl_media: false;
}

export interface SlackWebhookChannelOptions {
  /** `elevatedAccess.notifications.slackWebhookUrl` (a secret). */
  webhookUrl: string;
  /**
   * `app.baseUrl`: messages link to the request in Backstage. Without it they
   * name the request's path instead of linking to it.
   */
  appBaseUrl?: string;
  /** Time limit of one webhook call (default 5 seconds). */
  timeoutMs?: number;
}

/** Longest piece of free text (justification, comment, reason) in a message. */
const MAX_FREE_TEXT = 500;

/**
 * Makes user-supplied text safe inside Slack `mrkdwn`:
 *
 * - `&`, `<` and `>` become `&amp;`, `&lt;` and `&gt;` (Slack's escaping
 *   rules), so text cannot form `<!channel>`, `<@U…>`, `<#C…>` or
 *   `<https://…|label>` tokens: no mentions and no disguised links;
 * - the formatting characters `*`, `_`, `~` and `` ` `` get a zero-width
 *   space on each side, so they cannot pair up into bold, italics,
 *   strike-through or code (Slack has no backslash escape);
 * - line breaks become spaces, so text never starts a line and cannot turn
 *   into a block quote (`&gt;` at the start of a line) or a list;
 * - long text is cut to `maxLength` characters.
 */
export function escapeSlackText(
  value: string | undefined,
  maxLength = MAX_FREE_TEXT,
): string {
  const chars = Array.from(value ?? '');
  const cut =
    chars.length > maxLength
      ? `${chars.slice(0, maxLength).join('')}…`
      : chars.join('');
  return cut
    .replace(/[\r\n\t\u2028\u2029]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[*_~`]/g, c => `\u200B${c}\u200B`);
}

/** `user:default/alice` → `alice`; other namespaces and kinds stay visible. */
function displayRef(ref: string): string {
  return escapeSlackText(
    ref.replace(/^user:/, '').replace(/^default\//, ''),
    200,
  );
}

/** A Slack date token: shown in each reader's time zone, ISO as fallback. */
function slackDate(iso: string | undefined): string {
  const ms = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) return escapeSlackText(iso ?? 'unknown time');
  const fallback = new Date(ms).toISOString();
  return `<!date^${Math.floor(
    ms / 1000,
  )}^{date_short_pretty} at {time}|${fallback}>`;
}

/** Builds the absolute link to the request, or its path when no base is known. */
function requestLink(link: string, appBaseUrl?: string): string {
  if (!appBaseUrl) {
    return `Request: ${escapeSlackText(link, 300)}`;
  }
  const url = `${appBaseUrl.replace(/\/+$/, '')}/${link.replace(/^\/+/, '')}`;
  const safeUrl = url
    .replace(/&/g, '&amp;')
    .replace(/</g, '%3C')
    .replace(/>/g, '%3E')
    .replace(/\|/g, '%7C')
    .replace(/\s/g, '%20');
  return `<${safeUrl}|Open the request in Backstage>`;
}

/**
 * The message for one piece of news, or undefined when chat should not hear
 * of it. Sent: new requests (approval needed, or scheduled without approval),
 * decisions (approved, rejected), cancellations, expiries, reminders before
 * expiry, grants, revocations, ends and provisioning errors. Not sent:
 * `vote` (one of several approvals; the decision follows) and `changed`
 * (internal steps such as a finished revocation or an admin's retry).
 */
export function buildSlackMessage(
  request: StoredRequest,
  news: RequestNews,
  link: string,
  appBaseUrl?: string,
): SlackWebhookMessage | undefined {
  const who = displayRef(request.requesterRef);
  const what = `${escapeSlackText(
    request.permissionSetName,
    200,
  )} on ${escapeSlackText(request.accountName, 200)} (${escapeSlackText(
    request.accountId,
    20,
  )})`;
  const duration = formatMinutes(request.durationMinutes);
  const details: string[] = [];
  const justification = () => {
    details.push(`Justification: ${escapeSlackText(request.justification)}`);
    if (request.ticketId) {
      details.push(`Ticket: ${escapeSlackText(request.ticketId, 100)}`);
    }
  };
  const comment = (value?: string) => {
    if (value) details.push(`Comment: ${escapeSlackText(value)}`);
  };

  let headline: string;
  switch (news.kind) {
    case 'created':
      if (request.status === 'pending') {
        headline = `:hourglass_flowing_sand: *Approval needed*: ${who} asks for ${what} for ${duration} from ${slackDate(
          request.startTime,
        )}.`;
        justification();
        if (request.expiresAt) {
          details.push(
            `The request expires ${slackDate(
              request.expiresAt,
            )} unless someone decides.`,
          );
        }
      } else {
        headline = `:calendar: *Scheduled*: ${who} gets ${what} for ${duration} from ${slackDate(
          request.startTime,
        )}; no approval needed.`;
        justification();
      }
      break;
    case 'approved':
      headline = `:white_check_mark: *Approved*: ${displayRef(
        news.actorRef,
      )} approved ${who}'s request for ${what}, from ${slackDate(
        request.startTime,
      )} for ${duration}.`;
      break;
    case 'rejected':
      headline = `:x: *Rejected*: ${displayRef(
        news.actorRef,
      )} rejected ${who}'s request for ${what}.`;
      comment(news.comment);
      break;
    case 'cancelled':
      headline = `:no_entry_sign: *Cancelled*: ${who} cancelled their request for ${what}.`;
      break;
    case 'expired':
      headline = `:hourglass: *Expired*: nobody decided on ${who}'s request for ${what} in time.`;
      break;
    case 'reminder':
      headline = `:alarm_clock: *Expires soon*: ${who}'s request for ${what} expires ${slackDate(
        request.expiresAt,
      )} unless someone decides.`;
      break;
    case 'granted':
      headline = `:unlock: *Active*: ${who} has ${what} until ${slackDate(
        request.endTime,
      )}.`;
      break;
    case 'revoked':
      headline = `:lock: *Revoked*: ${displayRef(
        news.actorRef,
      )} ended ${who}'s access to ${what}.`;
      comment(news.comment);
      break;
    case 'ended':
      headline = `:lock: *Ended*: ${who}'s access to ${what} has ended.`;
      break;
    case 'error':
      headline = `:warning: *Failed*: ${
        request.grantedAt ? 'removing' : 'granting'
      } ${what} for ${who} failed; an admin can retry it from the request page.`;
      details.push(`Reason: ${escapeSlackText(news.reason)}`);
      break;
    case 'ineligible':
      headline = `:no_entry: *Closed*: ${who}'s request for ${what} no longer qualifies under the current policies.`;
      details.push(`Reason: ${escapeSlackText(news.reason)}`);
      break;
    case 'revoke-stuck':
      headline = `:rotating_light: *Access still present*: removing ${who}'s ${what} failed ${news.attempts} times; it is retried automatically until it succeeds.`;
      details.push(`Reason: ${escapeSlackText(news.reason)}`);
      break;
    default:
      // 'vote' and 'changed'
      return undefined;
  }
  return {
    text: [headline, ...details, requestLink(link, appBaseUrl)].join('\n'),
    unfurl_links: false,
    unfurl_media: false,
  };
}

/**
 * Posts request news to a Slack incoming webhook, besides Backstage
 * notifications. Failures throw (without the webhook URL, which is a
 * secret) so that RequestNotifier logs them; it never lets them fail an
 * action.
 */
export class SlackWebhookChannel implements NotificationChannel {
  private readonly webhookUrl: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: SlackWebhookChannelOptions) {
    let url: URL;
    try {
      url = new URL(options.webhookUrl);
    } catch {
      throw new Error(
        'elevatedAccess.notifications.slackWebhookUrl is not a valid URL',
      );
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error(
        'elevatedAccess.notifications.slackWebhookUrl must be an https URL',
      );
    }
    this.webhookUrl = url.toString();
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async send(
    request: StoredRequest,
    news: RequestNews,
    link: string,
  ): Promise<void> {
    const message = buildSlackMessage(
      request,
      news,
      link,
      this.options.appBaseUrl,
    );
    if (!message) return;
    let response: Response;
    try {
      response = await fetch(this.webhookUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: JSON.stringify(message),
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new Error(`Slack webhook call failed: ${this.describe(error)}`);
    }
    const body = await response.text().catch(() => '');
    if (!response.ok) {
      throw new Error(
        this.scrub(
          `Slack webhook answered ${response.status}${
            body ? `: ${body.slice(0, 200)}` : ''
          }`,
        ),
      );
    }
  }

  private describe(error: unknown): string {
    const e = error as { name?: string; message?: string; cause?: unknown };
    if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
      return `no answer within ${this.timeoutMs} ms`;
    }
    const cause = e?.cause as { code?: string; message?: string } | undefined;
    const detail = cause?.code ?? cause?.message;
    return this.scrub(
      `${e?.message ?? String(error)}${detail ? ` (${detail})` : ''}`,
    );
  }

  /** Error texts never carry the webhook URL (its path is the secret). */
  private scrub(text: string): string {
    const { pathname } = new URL(this.webhookUrl);
    let out = text.split(this.webhookUrl).join('<webhook>');
    if (pathname.length > 1) out = out.split(pathname).join('<webhook>');
    return out;
  }
}
