import { TestDatabases } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { powerUserRequest, seedDemoPolicies } from '../__testUtils__/scenarios';
import { startElevatedAccess } from '../__testUtils__/testBackend';
import { ChannelMessage, RequestNotifier } from '../service/RequestNotifier';
import {
  buildSlackMessage,
  escapeSlackText,
  SlackWebhookChannel,
} from './SlackWebhookChannel';

/*
 * The incoming-webhook feed kept next to the Slack notification processor
 * (see SlackWebhookChannel.ts for why); Slack through Backstage
 * notifications is tested in slackNotifications.test.ts.
 */

jest.setTimeout(60_000);

interface Received {
  method?: string;
  path?: string;
  contentType?: string;
  body: { text: string; [key: string]: unknown };
}

/** A sample Slack incoming-webhook receiver on loopback. */
async function startSlackReceiver() {
  const received: Received[] = [];
  const state = { status: 200, hang: false };
  const server = http.createServer((req, res) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', chunk => {
      data += chunk;
    });
    req.on('end', () => {
      received.push({
        method: req.method,
        path: req.url,
        contentType: req.headers['content-type'],
        body: JSON.parse(data),
      });
      if (state.hang) return; // never answers
      res.writeHead(state.status, { 'Content-Type': 'text/plain' });
      res.end(state.status === 200 ? 'ok' : 'internal_error');
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const secretPath = '/services/T0DEMO/B0DEMO/s3cr3tWebhookToken';
  return {
    url: `http://127.0.0.1:${port}${secretPath}`,
    secretPath,
    received,
    state,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Receiver = Awaited<ReturnType<typeof startSlackReceiver>>;

const ID = '6b1e9a8e-2c4f-4e7a-9d3b-1f2a3b4c5d6e';
const BASE = 'https://backstage.example.com';
const LINK = RequestNotifier.link(ID);
const DEEP_LINK = `<${BASE}/elevated-access/requests/${ID}|Open the request in Backstage>`;
const INJECTION = '<!channel> *urgent* <https://evil.example|click> & stuff';

function message(overrides: Partial<ChannelMessage> = {}): ChannelMessage {
  return {
    title: 'Approve access: PowerUserAccess on payments-prod for alice',
    description: [
      'alice asks for 1 h of PowerUserAccess on payments-prod (111122223333) from 2026-11-21 09:00 UTC.',
      'Justification: “Fix the broken deployment pipeline”',
      'Ticket: OPS-42.',
    ].join('\n'),
    severity: 'high',
    link: LINK,
    ...overrides,
  };
}

/** Every `<…>` token in a message: only our link may be there. */
function tokens(text: string): string[] {
  return text.match(/<[^>]*>/g) ?? [];
}

describe('escapeSlackText', () => {
  it('escapes control characters and defuses formatting', () => {
    const out = escapeSlackText(INJECTION);
    expect(out).toContain('&lt;!channel&gt;');
    expect(out).toContain('&lt;https://evil.example|click&gt;');
    expect(out).toContain('&amp; stuff');
    expect(out).not.toMatch(/[<>]/);
    expect(out).not.toContain('*urgent*');
    expect(out.replace(/\u200B/g, '')).toBe(
      '&lt;!channel&gt; *urgent* &lt;https://evil.example|click&gt; &amp; stuff',
    );
  });

  it('keeps text on one line and cuts it short', () => {
    expect(escapeSlackText('first\n> quoted\r\nthird')).toBe(
      'first &gt; quoted third',
    );
    expect(escapeSlackText('x'.repeat(1200))).toBe(`${'x'.repeat(1000)}…`);
    expect(escapeSlackText('&'.repeat(3), 2)).toBe('&amp;&amp;…');
  });
});

describe('buildSlackMessage', () => {
  it('posts the title in bold, each line of the description and the link', () => {
    expect(buildSlackMessage(message(), BASE)).toEqual({
      text: [
        '*Approve access: PowerUserAccess on payments-prod for alice*',
        'alice asks for 1 h of PowerUserAccess on payments-prod (111122223333) from 2026-11-21 09:00 UTC.',
        'Justification: “Fix the broken deployment pipeline”',
        'Ticket: OPS-42.',
        DEEP_LINK,
      ].join('\n'),
      unfurl_links: false,
      unfurl_media: false,
    });
  });

  it('sounds the siren for critical news', () => {
    expect(
      buildSlackMessage(
        message({
          title:
            'Access still present: PowerUserAccess on payments-prod for alice',
          severity: 'critical',
        }),
        BASE,
      ).text,
    ).toMatch(/^:rotating_light: \*Access still present: /);
  });

  it('escapes every line: no mentions, links or formatting but ours', () => {
    const { text } = buildSlackMessage(
      message({
        title: `Rejected: ${INJECTION}`,
        description: `${INJECTION}\nComment: ${INJECTION}`,
      }),
      BASE,
    );
    expect(tokens(text)).toEqual([DEEP_LINK]);
    expect(text).not.toMatch(/<!channel>|<https:\/\/evil/);
    expect(text).not.toContain('*urgent*');
    expect(text.split('\n')).toHaveLength(4);
    expect(text).toMatch(/^\*Rejected: &lt;!channel&gt; /);
  });

  it('keeps the path of app.baseUrl and names the path when there is none', () => {
    expect(
      buildSlackMessage(message(), 'https://portal.example.com/backstage/')
        .text,
    ).toMatch(
      new RegExp(
        `\\n<https://portal\\.example\\.com/backstage/elevated-access/requests/${ID}\\|Open the request in Backstage>$`,
      ),
    );
    expect(buildSlackMessage(message()).text).toMatch(
      new RegExp(`\\nRequest: /elevated-access/requests/${ID}$`),
    );
  });
});

describe('SlackWebhookChannel', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startSlackReceiver();
  });
  afterEach(() => receiver.close());

  const channel = (options: { timeoutMs?: number } = {}) =>
    new SlackWebhookChannel({
      webhookUrl: receiver.url,
      appBaseUrl: BASE,
      ...options,
    });

  it('posts JSON to the webhook', async () => {
    await channel().send(message());
    expect(receiver.received).toEqual([
      {
        method: 'POST',
        path: receiver.secretPath,
        contentType: expect.stringMatching(/^application\/json/),
        body: buildSlackMessage(message(), BASE),
      },
    ]);
  });

  it('throws on an error answer, without the webhook URL', async () => {
    receiver.state.status = 500;
    const error = await channel()
      .send(message())
      .then(
        () => undefined,
        e => e as Error,
      );
    expect(error?.message).toBe('Slack webhook answered 500: internal_error');
    expect(receiver.received).toHaveLength(1);
  });

  it('throws when nobody listens, without the webhook URL', async () => {
    const slack = channel();
    await receiver.close();
    const error = await slack.send(message()).then(
      () => undefined,
      e => e as Error,
    );
    expect(error?.message).toMatch(/^Slack webhook call failed: /);
    expect(error?.message).not.toContain('s3cr3tWebhookToken');
  });

  it('gives up after its time limit', async () => {
    receiver.state.hang = true;
    const started = Date.now();
    await expect(channel({ timeoutMs: 200 }).send(message())).rejects.toThrow(
      'Slack webhook call failed: no answer within 200 ms',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses a webhook URL that is not http(s), without repeating it', () => {
    expect(
      () => new SlackWebhookChannel({ webhookUrl: 'file:///etc/s3cr3t' }),
    ).toThrow(/must be an https URL$/);
    expect(
      () => new SlackWebhookChannel({ webhookUrl: 'not a url s3cr3t' }),
    ).toThrow(
      /^elevatedAccess\.notifications\.slackWebhookUrl is not a valid URL$/,
    );
  });
});

describe('Slack in the plugin', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startSlackReceiver();
  });
  afterEach(() => receiver.close());

  const start = async () => {
    const api = await startElevatedAccess({
      knex: await databases.init('SQLITE_3'),
      config: { notifications: { slackWebhookUrl: receiver.url } },
    });
    await seedDemoPolicies(api);
    return api;
  };

  it('posts every event of a request to the feed, with the texts of the notifications', async () => {
    const api = await start();
    try {
      const created = await api.post('alice', '/requests', powerUserRequest);
      expect(created.status).toBe(201);
      const id = created.body.id;
      await api.post('bob', `/requests/${id}/approve`, {});
      await api.runLifecycle(); // granted
      await api.post('alice', `/requests/${id}/revoke`, { comment: 'done' });
      await api.runLifecycle(); // removed: an internal step, not posted
      const link = `Request: /elevated-access/requests/${id}`;
      const texts = receiver.received.map(r => r.body.text);
      expect(texts).toEqual([
        expect.stringMatching(
          new RegExp(
            `^\\*Approve access: PowerUserAccess on payments-prod for alice\\*\\nalice asks for 1 h of PowerUserAccess on payments-prod \\(111111111111\\), starting now\\.\\nJustification: “Fix the broken deployment pipeline”\\nTicket: OPS-42\\.\\nThe request closes in 1 h \\(.* UTC\\) unless someone decides\\.\\n${link}$`,
          ),
        ),
        expect.stringMatching(
          /^\*Approved: PowerUserAccess on payments-prod for alice\*\nDecided: bob approved 1 h of /,
        ),
        expect.stringMatching(
          /^\*Active: PowerUserAccess on payments-prod for alice\*\nalice has PowerUserAccess on payments-prod \(111111111111\) until /,
        ),
        `*Revoked: PowerUserAccess on payments-prod for alice*\nalice ended the access early.\nComment: “done”\n${link}`,
      ]);
      // in the words of the approvers' Backstage notifications
      expect(api.notifications.send).toHaveBeenCalledWith(
        expect.objectContaining({
          payload: expect.objectContaining({
            title: 'Approve access: PowerUserAccess on payments-prod for alice',
            description: expect.stringContaining(
              'Justification: “Fix the broken deployment pipeline”',
            ),
          }),
        }),
      );
    } finally {
      await api.stop();
    }
  });

  it('never serves the webhook URL to the browser', async () => {
    // config.d.ts marks the key secret, so it is never in the frontend config
    const schema = fs.readFileSync(
      path.resolve(__dirname, '../../config.d.ts'),
      'utf8',
    );
    expect(schema).toMatch(
      /\/\*\*(?:(?!\*\/)[^])*@visibility secret(?:(?!\*\/)[^])*\*\/\s*slackWebhookUrl\?: string;/,
    );

    const api = await start();
    try {
      const created = await api.post('alice', '/requests', powerUserRequest);
      const id = created.body.id;
      const reads: Array<[Parameters<typeof api.get>[0], string]> = [
        ['alice', '/me'],
        ['alice', '/settings'],
        ['dave', '/settings'],
        ['alice', '/eligibility'],
        ['alice', '/requests?view=mine'],
        ['bob', '/requests?view=approvals'],
        ['carol', '/requests?view=all'],
        ['alice', `/requests/${id}`],
        ['dave', '/targets'],
      ];
      for (const [persona, route] of reads) {
        const res = await api.get(persona, route);
        expect({ route, status: res.status }).toEqual({ route, status: 200 });
        expect(res.text).not.toContain(receiver.url);
        expect(res.text).not.toContain('s3cr3tWebhookToken');
        expect(res.text).not.toMatch(/slack/i);
      }
    } finally {
      await api.stop();
    }
  });

  it.each([
    {
      name: 'answers 500',
      outage: async (r: Receiver) => {
        r.state.status = 500;
      },
      attempted: true,
    },
    { name: 'is down', outage: (r: Receiver) => r.close(), attempted: false },
  ])(
    'creates, approves, grants and revokes while Slack $name',
    async ({ outage, attempted }) => {
      const api = await start();
      try {
        await outage(receiver);
        const created = await api.post('alice', '/requests', powerUserRequest);
        expect(created.status).toBe(201);
        const id = created.body.id;
        const approved = await api.post('bob', `/requests/${id}/approve`, {
          comment: 'go ahead',
        });
        expect(approved.status).toBe(200);
        expect(approved.body.status).toBe('approved');
        await api.runLifecycle();
        expect((await api.get('alice', `/requests/${id}`)).body.status).toBe(
          'active',
        );
        const revoked = await api.post('alice', `/requests/${id}/revoke`, {
          comment: 'done',
        });
        expect(revoked.status).toBe(200);
        // the channel was tried (and failed) for each event
        expect(receiver.received.length > 0).toBe(attempted);
        // Backstage notifications still went out
        expect(api.notifications.send).toHaveBeenCalledWith(
          expect.objectContaining({
            payload: expect.objectContaining({
              title: 'Approved: PowerUserAccess on payments-prod',
            }),
          }),
        );
      } finally {
        await api.stop();
      }
    },
  );
});
