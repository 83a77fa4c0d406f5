import { fakeDateOnly } from '../__testUtils__/fakeDate';
import { powerUserRequest } from '../__testUtils__/scenarios';
import {
  APP_BASE_URL,
  FakeSlackApi,
  SlackCall,
  startElevatedAccessWithSlack,
  startFakeSlackApi,
} from '../__testUtils__/slackTestBackend';

jest.setTimeout(60_000);

/*
 * Slack through Backstage: the plugin sends notifications to entity refs,
 * the real notifications backend delivers them, and its Slack processor
 * posts them to a local Slack Web API.
 */

const CHANNEL = {
  platformLeads: 'C0PLATFORMLEADS',
  accessAdmins: 'C0ACCESSADMINS',
};
const DM = { alice: 'U0ALICE', bob: 'U0BOB', dave: 'U0DAVE' };

/** What a message shows: its text, severity colour, body, button and context. */
function rendered(call: SlackCall) {
  const attachment = call.args.attachments?.[0] ?? {};
  const [section, context] = attachment.blocks ?? [];
  return {
    channel: call.args.channel as string,
    title: call.args.text as string,
    color: attachment.color as string,
    body: section?.text?.text as string,
    bodyType: section?.text?.type as string,
    button: section?.accessory?.url as string | undefined,
    context: (context?.elements ?? []).map((e: { text: string }) => e.text),
  };
}

/** Waits for messages posted after the API answered (DMs are sent later). */
async function until<T>(check: () => T | undefined, what: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}

/** Runs the test with this backend, and stops it after, passed or failed. */
async function stoppedAfter<B extends { stop(): Promise<void> }>(
  backend: Promise<B>,
  test: (api: B) => Promise<void>,
) {
  const api = await backend;
  try {
    await test(api);
  } finally {
    await api.stop();
  }
}

describe('Slack through the Backstage notifications Slack module', () => {
  let slack: FakeSlackApi;
  beforeEach(async () => {
    slack = await startFakeSlackApi({
      usersByEmail: {
        'alice@example.com': DM.alice,
        'bob@example.com': DM.bob,
        'dave@example.com': DM.dave,
      },
    });
  });
  afterEach(async () => {
    jest.useRealTimers();
    await slack.close();
  });

  const start = () =>
    startElevatedAccessWithSlack({
      slackApiUrl: slack.url,
      slackProcessors: [
        {
          token: 'xoxb-test-token',
          // the default (10 messages a minute) would hold messages back
          concurrencyLimit: 100,
          throttleInterval: { milliseconds: 1 },
        },
      ],
      botNotify: {
        'group:default/platform-leads': CHANNEL.platformLeads,
        'group:default/access-admins': CHANNEL.accessAdmins,
      },
    });

  const inChannel = (channel: string) =>
    slack
      .messages()
      .filter(c => c.args.channel === channel)
      .map(rendered);
  /** Waits for the first message in the channel; its messages by then. */
  const messagesIn = (channel: string, what: string) =>
    until(() => {
      const found = inChannel(channel);
      return found.length ? found : undefined;
    }, what);

  it("posts an approval request to the approvers' channel with what they need to decide", () =>
    stoppedAfter(start(), async api => {
      const created = await api.post('alice', '/requests', powerUserRequest);
      expect(created.status).toBe(201);
      const id = created.body.id;

      const [posted] = await messagesIn(
        CHANNEL.platformLeads,
        "the approvers' message",
      );
      expect(posted).toEqual({
        channel: CHANNEL.platformLeads,
        title: 'Approve access: PowerUserAccess on payments-prod for alice',
        color: '#FFA500', // high
        body: expect.any(String),
        bodyType: 'mrkdwn',
        button: `${APP_BASE_URL}/elevated-access/requests/${id}`,
        context: ['Severity: high', 'Topic: elevated-access'],
      });
      const lines = posted.body.split('\n');
      expect(lines[0]).toMatch(
        /^alice asks for 1 h of PowerUserAccess on payments-prod \(111111111111\), starting now\.$/,
      );
      expect(lines.slice(1)).toEqual([
        'Justification: “Fix the broken deployment pipeline”',
        'Ticket: OPS-42.',
        expect.stringMatching(
          /^The request closes in 1 h \(\w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC\) unless someone decides\.$/,
        ),
      ]);
      // the bot token authenticates every call
      expect(slack.calls[0].authorization).toBe('Bearer xoxb-test-token');

      // approvers also find it in their Backstage inbox; the requester is
      // neither notified nor messaged about her own request
      expect((await api.inbox('bob')).map(n => n.payload.title)).toContain(
        'Approve access: PowerUserAccess on payments-prod for alice',
      );
      expect(await api.inbox('alice')).toEqual([]);
      expect(slack.calls.filter(c => c.args.channel === DM.alice)).toHaveLength(
        0,
      );
      // group members get the channel message, not a DM each
      expect(slack.calls.filter(c => c.args.channel === DM.bob)).toHaveLength(
        0,
      );
    }));

  it('tells the requester by DM and the approvers in their channel about the decision, and edits the DM as the request moves on', () =>
    stoppedAfter(start(), async api => {
      const { body: req } = await api.post(
        'alice',
        '/requests',
        powerUserRequest,
      );
      const approved = await api.post('bob', `/requests/${req.id}/approve`, {
        comment: 'go ahead',
      });
      expect(approved.status).toBe(200);

      // the requester's DM, found by her catalog email
      const dm = await until(
        () => slack.messages().find(c => c.args.channel === DM.alice),
        "alice's DM",
      );
      expect(slack.calls).toContainEqual(
        expect.objectContaining({
          method: 'users.lookupByEmail',
          args: expect.objectContaining({ email: 'alice@example.com' }),
        }),
      );
      expect(dm.method).toBe('chat.postMessage');
      expect(rendered(dm)).toMatchObject({
        title: 'Approved: PowerUserAccess on payments-prod',
        body: 'Approved by bob.\nAccess starts now.',
        button: `${APP_BASE_URL}/elevated-access/requests/${req.id}`,
        color: '#FFA500',
      });
      const decided = await until(
        () =>
          inChannel(CHANNEL.platformLeads).find(m =>
            m.title.startsWith('Approved'),
          ),
        "the approvers' decision message",
      );
      expect(decided).toMatchObject({
        title: 'Approved: PowerUserAccess on payments-prod for alice',
        body: expect.stringMatching(
          /^Decided: bob approved 1 h of PowerUserAccess on payments-prod \(111111111111\), starting now\.$/,
        ),
        color: '#00A699', // normal
      });

      // the access gets a DM of its own (granted right after the approval:
      // one notification would pop up twice), later news of it edits it
      await api.runLifecycle();
      const activeDm = await until(
        () =>
          slack
            .messages()
            .find(
              c =>
                c.method === 'chat.postMessage' &&
                c.args.channel === DM.alice &&
                rendered(c).title.startsWith('Active'),
            ),
        "alice's DM about her access",
      );
      expect(rendered(activeDm)).toMatchObject({
        title: 'Active: PowerUserAccess on payments-prod',
        body: expect.stringMatching(
          /^Your access is active for 1 h, until .* UTC\.$/,
        ),
      });
      await api.post('alice', `/requests/${req.id}/revoke`, { comment: 'ok' });
      const edit = await until(
        () =>
          slack
            .messages()
            .find(
              c => c.method === 'chat.update' && c.args.channel === DM.alice,
            ),
        "the edit of alice's DM",
      );
      expect(edit.args.ts).toBe(activeDm.answer.ts);
      expect(rendered(edit)).toMatchObject({
        title: 'Revoked: PowerUserAccess on payments-prod',
      });
    }));

  it("alerts the admins' channel when access cannot be removed", () =>
    stoppedAfter(start(), async api => {
      const { body: req } = await api.post(
        'alice',
        '/requests',
        powerUserRequest,
      );
      await api.post('bob', `/requests/${req.id}/approve`, {});
      await api.runLifecycle();
      expect((await api.get('alice', `/requests/${req.id}`)).body.status).toBe(
        'active',
      );

      api.provider.failRevokesWith = 'AccessDeniedException: not allowed';
      const revoked = await api.post('alice', `/requests/${req.id}/revoke`, {
        comment: 'done',
      });
      expect(revoked.status).toBe(200);
      fakeDateOnly(new Date());
      for (let attempt = 1; attempt <= 3; attempt++) {
        await api.runLifecycle();
        jest.setSystemTime(Date.now() + 6 * 60_000); // past the backoff
      }

      const [alert] = await messagesIn(
        CHANNEL.accessAdmins,
        "the admins' alert",
      );
      expect(alert).toEqual({
        channel: CHANNEL.accessAdmins,
        title:
          'Access still present: PowerUserAccess on payments-prod for alice',
        color: '#FF0000', // critical
        body: 'Removing PowerUserAccess on payments-prod (111111111111) failed 3 times (in-memory reported: AccessDeniedException: not allowed). It is retried automatically until it succeeds; check the IAM Identity Center assignment.',
        bodyType: 'mrkdwn',
        button: `${APP_BASE_URL}/elevated-access/requests/${req.id}`,
        context: ['Severity: critical', 'Topic: elevated-access'],
      });
      expect(inChannel(CHANNEL.accessAdmins)).toHaveLength(1);
      expect((await api.inbox('dave')).map(n => n.payload.title)).toContain(
        'Access still present: PowerUserAccess on payments-prod for alice',
      );
    }));

  it('posts no mention, link or line of its own from user text', () =>
    stoppedAfter(start(), async api => {
      const hostile =
        '<!channel> ping <@U0BOB> <#C0GENERAL> <https://evil.example|the runbook> <@user:default/bob>\n> *approved*';
      const created = await api.post('alice', '/requests', {
        ...powerUserRequest,
        justification: hostile,
      });
      expect(created.status).toBe(201);
      const [posted] = await messagesIn(
        CHANNEL.platformLeads,
        "the approvers' message",
      );
      // the module's own mention rewriting (<@user:…>) finds nothing either
      expect(posted.body).not.toMatch(/[<>]/);
      expect(posted.body).toContain(
        'Justification: “‹!channel› ping ‹@U0BOB› ‹#C0GENERAL› ‹https://evil.example|the runbook› ‹@user:default/bob› › *approved*”',
      );
      expect(posted.body.split('\n')).toHaveLength(4);
    }));

  it('starts without Slack configuration and sends nothing to Slack', () =>
    stoppedAfter(
      startElevatedAccessWithSlack({
        slackApiUrl: slack.url,
        botNotify: { 'group:default/platform-leads': CHANNEL.platformLeads },
      }),
      async api => {
        const created = await api.post('alice', '/requests', powerUserRequest);
        expect(created.status).toBe(201);
        expect((await api.inbox('bob')).map(n => n.payload.title)).toEqual([
          'Approve access: PowerUserAccess on payments-prod for alice',
        ]);
        await new Promise(resolve => setTimeout(resolve, 200));
        expect(slack.calls).toEqual([]);
      },
    ));
});
