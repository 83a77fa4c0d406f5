import { TestDatabases } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';
import { StoredRequest } from '../database/RequestStore';
import { powerUserRequest, seedDemoPolicies } from '../__testUtils__/scenarios';
import { startElevatedAccess } from '../__testUtils__/testBackend';
import { RequestNews, RequestNotifier } from '../service/RequestNotifier';
import {
  buildSlackMessage,
  escapeSlackText,
  SlackWebhookChannel,
} from './SlackWebhookChannel';

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

function storedRequest(overrides: Partial<StoredRequest> = {}): StoredRequest {
  return {
    id: ID,
    requesterRef: 'user:default/alice',
    accountId: '111122223333',
    accountName: 'payments-prod',
    permissionSetArn:
      'arn:aws:sso:::permissionSet/ssoins-1111111111111111/ps-2222222222222222',
    permissionSetName: 'PowerUserAccess',
    status: 'pending',
    startTime: '2026-11-21T09:00:00.000Z',
    endTime: '2026-11-21T10:00:00.000Z',
    durationMinutes: 60,
    justification: 'Fix the broken deployment pipeline',
    ticketId: 'OPS-42',
    approvalRequired: true,
    minApprovals: 1,
    approvals: 0,
    approverRefs: ['group:default/platform-leads'],
    policyIds: [],
    expiresAt: '2026-11-21T10:00:00.000Z',
    attempts: 0,
    activityComplete: false,
    version: 1,
    createdAt: '2026-11-21T09:00:00.000Z',
    updatedAt: '2026-11-21T09:00:00.000Z',
    ...overrides,
  };
}

/** Every `<…>` token in a message: only our links and dates may be there. */
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

  it('keeps free text on one line and cuts it short', () => {
    expect(escapeSlackText('first\n> quoted\r\nthird')).toBe(
      'first &gt; quoted third',
    );
    expect(escapeSlackText('x'.repeat(600))).toBe(`${'x'.repeat(500)}…`);
    expect(escapeSlackText('&'.repeat(3), 2)).toBe('&amp;&amp;…');
  });
});

describe('SlackWebhookChannel', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startSlackReceiver();
  });
  afterEach(() => receiver.close());

  const channel = (options: { timeoutMs?: number; appBaseUrl?: string } = {}) =>
    new SlackWebhookChannel({
      webhookUrl: receiver.url,
      appBaseUrl: BASE,
      ...options,
    });

  const cases: Array<{
    name: string;
    request?: Partial<StoredRequest>;
    news: RequestNews;
    expect: RegExp | undefined;
  }> = [
    {
      name: 'a request waiting for approval',
      news: { kind: 'created' },
      expect:
        /^:hourglass_flowing_sand: \*Approval needed\*: alice asks for PowerUserAccess on payments-prod \(111122223333\) for 1 h from <!date\^1795251600\^\{date_short_pretty\} at \{time\}\|2026-11-21T09:00:00.000Z>\.\nJustification: Fix the broken deployment pipeline\nTicket: OPS-42\nThe request expires <!date\^1795255200\^/,
    },
    {
      name: 'a request that needs no approval',
      request: { status: 'approved', approvalRequired: false },
      news: { kind: 'created' },
      expect:
        /^:calendar: \*Scheduled\*: alice gets PowerUserAccess on payments-prod .*no approval needed\.\nJustification: /,
    },
    {
      name: 'an approval',
      request: { status: 'approved' },
      news: { kind: 'approved', actorRef: 'user:default/bob' },
      expect:
        /^:white_check_mark: \*Approved\*: bob approved alice's request for PowerUserAccess on payments-prod/,
    },
    {
      name: 'a rejection',
      request: { status: 'rejected' },
      news: {
        kind: 'rejected',
        actorRef: 'user:default/bob',
        comment: 'Use the runbook',
      },
      expect:
        /^:x: \*Rejected\*: bob rejected alice's request for .*\nComment: Use the runbook\n/,
    },
    {
      name: 'a cancellation',
      request: { status: 'cancelled' },
      news: { kind: 'cancelled' },
      expect: /^:no_entry_sign: \*Cancelled\*: alice cancelled their request/,
    },
    {
      name: 'an expiry',
      request: { status: 'expired' },
      news: { kind: 'expired' },
      expect: /^:hourglass: \*Expired\*: nobody decided on alice's request/,
    },
    {
      name: 'a reminder',
      news: { kind: 'reminder' },
      expect:
        /^:alarm_clock: \*Expires soon\*: alice's request for .* expires <!date\^1795255200\^/,
    },
    {
      name: 'a grant',
      request: { status: 'active', grantedAt: '2026-11-21T09:00:05.000Z' },
      news: { kind: 'granted' },
      expect:
        /^:unlock: \*Active\*: alice has PowerUserAccess on payments-prod \(111122223333\) until <!date\^1795255200\^/,
    },
    {
      name: 'a revocation',
      request: { status: 'revoking', grantedAt: '2026-11-21T09:00:05.000Z' },
      news: {
        kind: 'revoked',
        actorRef: 'user:default/dave',
        comment: 'Incident closed',
      },
      expect:
        /^:lock: \*Revoked\*: dave ended alice's access to .*\nComment: Incident closed\n/,
    },
    {
      name: 'an end',
      request: { status: 'ended', grantedAt: '2026-11-21T09:00:05.000Z' },
      news: { kind: 'ended' },
      expect:
        /^:lock: \*Ended\*: alice's access to PowerUserAccess on payments-prod \(111122223333\) has ended\./,
    },
    {
      name: 'a failed grant',
      request: { status: 'error' },
      news: { kind: 'error', reason: 'ConflictException: try again' },
      expect:
        /^:warning: \*Failed\*: granting PowerUserAccess .* failed; .*\nReason: ConflictException: try again\n/,
    },
    {
      name: 'a failed revocation',
      request: { status: 'error', grantedAt: '2026-11-21T09:00:05.000Z' },
      news: { kind: 'error', reason: 'AccessDenied' },
      expect: /^:warning: \*Failed\*: removing PowerUserAccess/,
    },
    {
      name: 'one vote of several (the decision follows)',
      news: { kind: 'vote', actorRef: 'user:default/bob' },
      expect: undefined,
    },
    {
      name: 'an internal step',
      request: { status: 'revoked' },
      news: { kind: 'changed' },
      expect: undefined,
    },
  ];

  it('posts one message per event worth telling, each with a deep link', async () => {
    const slack = channel();
    for (const c of cases) {
      await slack.send(storedRequest(c.request), c.news, LINK);
    }
    const sent = cases.filter(c => c.expect);
    expect(receiver.received).toHaveLength(sent.length);
    receiver.received.forEach((message, i) => {
      const { name, expect: pattern } = sent[i];
      expect({ name, method: message.method }).toEqual({
        name,
        method: 'POST',
      });
      expect(message.path).toBe(receiver.secretPath);
      expect(message.contentType).toMatch(/^application\/json/);
      expect(message.body).toEqual({
        text: expect.stringMatching(pattern!),
        unfurl_links: false,
        unfurl_media: false,
      });
      // the deep link is the last line of every message
      expect(message.body.text.split('\n').pop()).toBe(DEEP_LINK);
      for (const token of tokens(message.body.text)) {
        expect(token).toMatch(
          /^<(!date\^\d+\^\{date_short_pretty\} at \{time\}\|[\d\-:.TZ]+|https:\/\/backstage\.example\.com\/elevated-access\/requests\/[\w-]+\|Open the request in Backstage)>$/,
        );
      }
    });
  });

  it('escapes free text: no mentions, links or formatting from users', async () => {
    const hostile = {
      requesterRef: 'user:default/<!here>',
      accountName: '<@U12345> *acct*',
      permissionSetName: '_Power_ `User`',
      justification: INJECTION,
      ticketId: '<https://evil.example/t|OPS-1>',
    };
    const slack = channel();
    const news: RequestNews[] = [
      { kind: 'created' },
      { kind: 'rejected', actorRef: 'user:default/~bob~', comment: INJECTION },
      { kind: 'revoked', actorRef: 'user:default/dave', comment: INJECTION },
      { kind: 'error', reason: INJECTION },
    ];
    for (const n of news) {
      await slack.send(storedRequest(hostile), n, LINK);
    }
    expect(receiver.received).toHaveLength(news.length);
    for (const { body } of receiver.received) {
      const text = body.text;
      // only our own link and date tokens remain
      for (const token of tokens(text)) {
        expect(token).toMatch(
          /^<(!date\^|https:\/\/backstage\.example\.com\/)/,
        );
      }
      expect(text).not.toMatch(/<!(channel|here|everyone)|<@U|<https:\/\/evil/);
      expect(text).toContain('&lt;!channel&gt;');
      expect(text).toContain('&lt;https://evil.example|click&gt;');
      expect(text).toContain('&amp; stuff');
      expect(text).toContain('&lt;!here&gt;');
      expect(text).toContain('&lt;@U12345&gt;');
      // formatting characters from users cannot pair up
      expect(text).not.toMatch(/\*urgent\*|\*acct\*|_Power_|`User`|~bob~/);
      expect(text.replace(/\u200B/g, '')).toContain('*urgent*');
      // our own bold labels are intact
      expect(text).toMatch(/^:\w+: \*[A-Z][a-z ]+\*: /);
    }
    expect(receiver.received[0].body.text).toContain(
      'Ticket: &lt;https://evil.example/t|OPS-1&gt;',
    );
  });

  it('keeps the path of app.baseUrl and names the path when there is none', () => {
    const request = storedRequest();
    expect(
      buildSlackMessage(
        request,
        { kind: 'created' },
        LINK,
        'https://portal.example.com/backstage/',
      )!.text,
    ).toMatch(
      new RegExp(
        `\\n<https://portal\\.example\\.com/backstage/elevated-access/requests/${ID}\\|Open the request in Backstage>$`,
      ),
    );
    expect(buildSlackMessage(request, { kind: 'created' }, LINK)!.text).toMatch(
      new RegExp(`\\nRequest: /elevated-access/requests/${ID}$`),
    );
  });

  it('throws on an error answer, without the webhook URL', async () => {
    receiver.state.status = 500;
    const error = await channel()
      .send(storedRequest(), { kind: 'created' }, LINK)
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
    const error = await slack
      .send(storedRequest(), { kind: 'created' }, LINK)
      .then(
        () => undefined,
        e => e as Error,
      );
    expect(error?.message).toMatch(/^Slack webhook call failed: /);
    expect(error?.message).not.toContain('s3cr3tWebhookToken');
  });

  it('gives up after its time limit', async () => {
    receiver.state.hang = true;
    const started = Date.now();
    await expect(
      channel({ timeoutMs: 200 }).send(
        storedRequest(),
        { kind: 'created' },
        LINK,
      ),
    ).rejects.toThrow('Slack webhook call failed: no answer within 200 ms');
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

  it('posts new requests and decisions, besides Backstage notifications', async () => {
    const api = await start();
    try {
      const created = await api.post('alice', '/requests', powerUserRequest);
      expect(created.status).toBe(201);
      await api.post('bob', `/requests/${created.body.id}/approve`, {});
      expect(receiver.received.map(r => r.body.text)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^:hourglass_flowing_sand: \\*Approval needed\\*: alice asks for PowerUserAccess on payments-prod[^]*\\nRequest: /elevated-access/requests/${created.body.id}$`,
          ),
        ),
        expect.stringMatching(
          /^:white_check_mark: \*Approved\*: bob approved alice's request/,
        ),
      ]);
      expect(api.notifications.send).toHaveBeenCalled();
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
