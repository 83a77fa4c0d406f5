import {
  ChannelMessage,
  NotificationChannel,
} from '../service/RequestNotifier';

/*
 * Slack is reached through Backstage notifications: with
 * `@backstage/plugin-notifications-backend-module-slack` installed, the
 * notifications this plugin sends to approvers, requesters and admins are
 * posted to the `slack.com/bot-notify` channel of each group and as DMs to
 * each user. This channel is kept for what that module cannot do:
 *
 * - post with only an incoming webhook: the module needs a Slack app's bot
 *   token (`chat.postMessage`, `users.lookupByEmail`);
 * - post every request event to one channel (a team or audit feed) without
 *   putting it in anybody's Backstage inbox: notifications have no
 *   channel-only recipient (a broadcast reaches every user, an entity
 *   reaches its members).
 *
 * It posts the same text as the notifications (RequestNotifier's `about`
 * notice), escaped for Slack.
 */

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

/**
 * Makes text safe inside Slack `mrkdwn`:
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
  maxLength = 1_000,
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
 * The webhook message: the title in bold (with a siren when critical), each
 * line of the description, and the link to the request.
 */
export function buildSlackMessage(
  message: ChannelMessage,
  appBaseUrl?: string,
): SlackWebhookMessage {
  const siren = message.severity === 'critical' ? ':rotating_light: ' : '';
  return {
    text: [
      `${siren}*${escapeSlackText(message.title, 300)}*`,
      ...message.description
        .split('\n')
        .filter(line => line.trim())
        .map(line => escapeSlackText(line)),
      requestLink(message.link, appBaseUrl),
    ].join('\n'),
    unfurl_links: false,
    unfurl_media: false,
  };
}

/**
 * Posts every request event to a Slack incoming webhook. Failures throw
 * (without the webhook URL, which is a secret) so that RequestNotifier logs
 * them; it never lets them fail an action.
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

  async send(message: ChannelMessage): Promise<void> {
    const body = buildSlackMessage(message, this.options.appBaseUrl);
    let response: Response;
    try {
      response = await fetch(this.webhookUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new Error(`Slack webhook call failed: ${this.describe(error)}`);
    }
    const answer = await response.text().catch(() => '');
    if (!response.ok) {
      throw new Error(
        this.scrub(
          `Slack webhook answered ${response.status}${
            answer ? `: ${answer.slice(0, 200)}` : ''
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
