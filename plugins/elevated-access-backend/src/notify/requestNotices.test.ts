import { mockServices } from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { StoredRequest } from '../database/RequestStore';
import {
  ChannelMessage,
  NotificationChannel,
  RequestNotifier,
} from '../service/RequestNotifier';
import { humanTime, plainText, utcTime } from './noticeText';
import {
  reminderAddsInformation,
  RequestNews,
  requestNotices,
} from './requestNotices';

const ID = '6b1e9a8e-2c4f-4e7a-9d3b-1f2a3b4c5d6e';
const APPROVERS = 'group:default/platform-leads';
const ADMINS = 'group:default/access-admins';
const AUDITORS = 'group:default/security-auditors';
const HOSTILE =
  '<!channel> <@U12345> <https://evil.example|click> <@user:default/bob>\n> *fake line*';

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
    approverRefs: [APPROVERS],
    policyIds: [],
    expiresAt: '2026-11-21T10:00:00.000Z',
    attempts: 0,
    activityComplete: false,
    breakGlass: false,
    awaitingReview: false,
    version: 1,
    createdAt: '2026-11-21T09:00:00.000Z',
    updatedAt: '2026-11-21T09:00:00.000Z',
    ...overrides,
  };
}

describe('plainText', () => {
  it('leaves no < or > for Slack to read as a mention or a link', () => {
    expect(plainText(HOSTILE)).toBe(
      '‹!channel› ‹@U12345› ‹https://evil.example|click› ‹@user:default/bob› › *fake line*',
    );
  });

  it('keeps text on one line and cuts it short', () => {
    expect(plainText(' first\r\n\tsecond  ')).toBe('first second');
    expect(plainText('x'.repeat(600))).toBe(`${'x'.repeat(500)}…`);
    expect(plainText(undefined)).toBe('');
  });
});

describe('reminderAddsInformation', () => {
  const FIFTEEN = 15 * 60_000;
  it('skips the reminder of a request made inside (or just before) the reminder window', () => {
    const created = '2026-11-21T09:00:00.000Z';
    const remind = (expiresAt: string) =>
      reminderAddsInformation({ createdAt: created, expiresAt }, FIFTEEN);
    expect(remind('2026-11-21T09:15:00.000Z')).toBe(false); // a 15-minute request
    expect(remind('2026-11-21T09:20:00.000Z')).toBe(false);
    expect(remind('2026-11-21T09:30:00.000Z')).toBe(true);
    expect(remind('2026-11-22T09:00:00.000Z')).toBe(true);
  });
});

describe('utcTime', () => {
  it('reads the same in every renderer', () => {
    expect(utcTime('2026-11-21T09:00:00.000Z')).toBe('2026-11-21 09:00 UTC');
    expect(utcTime(undefined)).toBe('an unknown time');
  });
});

describe('humanTime', () => {
  it('writes the moment in words with its zone named, in the configured zone', () => {
    expect(humanTime('2026-11-21T09:00:00.000Z')).toBe(
      'Sat 21 Nov 2026, 09:00 UTC',
    );
    expect(humanTime('2026-11-21T09:00:00.000Z', 'Europe/Paris')).toBe(
      'Sat 21 Nov 2026, 10:00 CET',
    );
    expect(humanTime(undefined)).toBe('an unknown time');
  });

  it('is used for every time a notice states', () => {
    const now = new Date('2026-11-21T07:00:00.000Z');
    const { about } = requestNotices(
      storedRequest({
        status: 'pending',
        startTime: '2026-11-21T09:00:00.000Z',
        expiresAt: '2026-11-21T08:00:00.000Z',
      }),
      { kind: 'created' },
      now,
      'Asia/Tokyo',
    );
    const text = `${about!.title}\n${about!.description}`;
    expect(text).toContain('in 2 h (Sat 21 Nov 2026, 18:00 GMT+9)');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(text).not.toContain('UTC');
  });
});

describe('requestNotices', () => {
  /** Per news: the requester's title, the `about` title and severity, who else is told. */
  const cases: Array<{
    news: RequestNews;
    request?: Partial<StoredRequest>;
    requester?: string;
    about?: [string, string];
    approvers?: string[];
    admins?: string;
  }> = [
    {
      news: { kind: 'created' },
      about: [
        'Approve access: PowerUserAccess on payments-prod for alice',
        'high',
      ],
      approvers: [],
    },
    {
      news: { kind: 'created' },
      request: { status: 'approved', approvalRequired: false },
      about: [
        'Scheduled: PowerUserAccess on payments-prod for alice',
        'normal',
      ],
    },
    { news: { kind: 'vote', actorRef: 'user:default/bob' } },
    {
      news: { kind: 'approved', actorRef: 'user:default/bob' },
      requester: 'Approved: PowerUserAccess on payments-prod',
      about: ['Approved: PowerUserAccess on payments-prod for alice', 'normal'],
      approvers: [],
    },
    {
      news: { kind: 'rejected', actorRef: 'user:default/bob', comment: 'no' },
      requester: 'Rejected: PowerUserAccess on payments-prod',
      about: ['Rejected: PowerUserAccess on payments-prod for alice', 'normal'],
      approvers: [],
    },
    {
      news: { kind: 'cancelled' },
      requester: 'Cancelled: PowerUserAccess on payments-prod',
      about: [
        'Cancelled: PowerUserAccess on payments-prod for alice',
        'normal',
      ],
      approvers: [],
    },
    {
      news: { kind: 'expired' },
      requester: 'Expired: PowerUserAccess on payments-prod',
      about: ['Expired: PowerUserAccess on payments-prod for alice', 'normal'],
      approvers: [],
    },
    {
      news: { kind: 'reminder' },
      about: [
        'Expires soon: PowerUserAccess on payments-prod for alice',
        'high',
      ],
      approvers: [],
    },
    {
      news: { kind: 'granted' },
      requester: 'Active: PowerUserAccess on payments-prod',
      about: ['Active: PowerUserAccess on payments-prod for alice', 'normal'],
    },
    {
      news: { kind: 'revoked', actorRef: 'user:default/dave', comment: 'ok' },
      requester: 'Revoked: PowerUserAccess on payments-prod',
      about: ['Revoked: PowerUserAccess on payments-prod for alice', 'normal'],
    },
    {
      news: { kind: 'ended' },
      requester: 'Ended: PowerUserAccess on payments-prod',
      about: ['Ended: PowerUserAccess on payments-prod for alice', 'normal'],
    },
    {
      news: { kind: 'error', reason: 'ConflictException' },
      requester: 'Failed: PowerUserAccess on payments-prod',
      about: ['Failed: PowerUserAccess on payments-prod for alice', 'high'],
      admins: 'error',
    },
    {
      news: { kind: 'ineligible', reason: 'No policy allows it any more' },
      requester: 'Closed: PowerUserAccess on payments-prod',
      about: ['Closed: PowerUserAccess on payments-prod for alice', 'normal'],
      approvers: [],
    },
    {
      news: { kind: 'revoke-stuck', reason: 'AccessDenied', attempts: 3 },
      about: [
        'Access still present: PowerUserAccess on payments-prod for alice',
        'critical',
      ],
      admins: 'revoke-stuck',
    },
    { news: { kind: 'changed' } },
  ];

  it.each(cases)('$news.kind tells whom it should', c => {
    const notices = requestNotices(storedRequest(c.request), c.news);
    expect({
      requester: notices.requester?.title,
      about: notices.about && [notices.about.title, notices.about.severity],
      approvers: notices.approvers?.except,
      admins: notices.admins?.scope,
    }).toEqual({
      requester: c.requester,
      about: c.about,
      approvers: c.approvers,
      admins: c.admins,
    });
  });

  const AT_START = new Date('2026-11-21T09:00:00.000Z');

  it('gives approvers what they need to decide', () => {
    const { about } = requestNotices(
      storedRequest({ minApprovals: 2 }),
      { kind: 'created' },
      AT_START,
    );
    expect(about!.description.split('\n')).toEqual([
      'alice asks for 1 h of PowerUserAccess on payments-prod (111122223333), starting now.',
      'Justification: “Fix the broken deployment pipeline”',
      'Ticket: OPS-42.',
      'It needs 2 approvals.',
      'The request closes in 1 h (Sat 21 Nov 2026, 10:00 UTC) unless someone decides.',
    ]);
  });

  it('says when later access starts, relative to now and in UTC', () => {
    const { about } = requestNotices(
      storedRequest({ startTime: '2026-11-21T11:30:00.000Z' }),
      { kind: 'created' },
      AT_START,
    );
    expect(about!.description).toContain(
      'starting in 2 h 30 min (Sat 21 Nov 2026, 11:30 UTC).',
    );
  });

  it('never shows an ISO timestamp or a raw entity ref', () => {
    const kinds: RequestNews[] = [
      { kind: 'created' },
      { kind: 'reminder' },
      { kind: 'approved', actorRef: 'user:default/bob' },
      { kind: 'rejected', actorRef: 'user:default/bob' },
      { kind: 'granted' },
      { kind: 'revoked', actorRef: 'user:default/alice' },
      { kind: 'ended' },
    ];
    for (const news of kinds) {
      const { requester, about } = requestNotices(
        storedRequest({ status: 'active' }),
        news,
        AT_START,
      );
      for (const n of [requester, about]) {
        if (!n) continue;
        expect(n.description).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
        expect(n.description).not.toMatch(/user:default\//);
      }
    }
    expect(
      requestNotices(
        storedRequest({ status: 'active' }),
        { kind: 'granted' },
        AT_START,
      ).requester!.description,
    ).toBe('Your access is active for 1 h, until Sat 21 Nov 2026, 10:00 UTC.');
  });

  it('names a shortened approval, and says who decided', () => {
    const notices = requestNotices(
      storedRequest({ status: 'approved', approvedDurationMinutes: 30 }),
      { kind: 'approved', actorRef: 'user:default/bob' },
      AT_START,
    );
    expect(notices.requester!.description).toBe(
      'Approved by bob for 30 min (you asked for 1 h).\nAccess starts now.',
    );
    expect(notices.about!.description).toBe(
      'Decided: bob approved 30 min of PowerUserAccess on payments-prod (111122223333), starting now (alice asked for 1 h).',
    );
  });

  it('keeps free text, names and reasons plain: no mentions, links or lines of their own', () => {
    const request = storedRequest({
      accountName: '<!here> acct',
      permissionSetName: '<@U1>',
      justification: HOSTILE,
      ticketId: '<https://evil.example/t|OPS-1>',
    });
    const news = (text: string): RequestNews[] => [
      { kind: 'created' },
      { kind: 'reminder' },
      { kind: 'rejected', actorRef: 'user:default/bob', comment: text },
      { kind: 'revoked', actorRef: 'user:default/dave', comment: text },
      { kind: 'error', reason: text },
      { kind: 'ineligible', reason: text },
      { kind: 'revoke-stuck', reason: text, attempts: 3 },
    ];
    const lines = (r: StoredRequest, n: RequestNews) => {
      const { requester, about } = requestNotices(r, n);
      return [requester, about].map(x => x?.description.split('\n'));
    };
    const benign = news('plain words');
    news(HOSTILE).forEach((n, i) => {
      const { requester, about } = requestNotices(request, n);
      for (const notice of [requester, about]) {
        if (!notice) continue;
        expect(`${notice.title}\n${notice.description}`).not.toMatch(/[<>]/);
      }
      // user text adds no line of its own
      expect(lines(request, n).map(l => l?.length)).toEqual(
        lines(storedRequest(), benign[i]).map(l => l?.length),
      );
    });
  });
});

describe('RequestNotifier', () => {
  const setUp = () => {
    const sent: NotificationSendOptions[] = [];
    const notifications: NotificationService = {
      async send(options) {
        sent.push(options);
      },
    };
    const posted: ChannelMessage[] = [];
    const channel: NotificationChannel = {
      async send(message) {
        posted.push(message);
      },
    };
    const notifier = new RequestNotifier({
      notifications,
      channels: [channel],
      logger: mockServices.logger.mock(),
      observerRefs: [],
      adminRefs: [ADMINS],
      auditorRefs: [AUDITORS],
    });
    return { notifier, sent, posted };
  };
  const LINK = `/elevated-access/requests/${ID}`;

  it('sends approval requests to the approvers with their scope and topic', async () => {
    const { notifier, sent, posted } = setUp();
    await notifier.notify(storedRequest(), { kind: 'created' });
    expect(sent).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: [APPROVERS],
          excludeEntityRef: ['user:default/alice'],
        },
        payload: expect.objectContaining({
          title: 'Approve access: PowerUserAccess on payments-prod for alice',
          link: LINK,
          severity: 'high',
          topic: 'elevated-access',
          scope: `request:${ID}:approval`,
        }),
      },
    ]);
    expect(posted).toEqual([
      expect.objectContaining({
        title: 'Approve access: PowerUserAccess on payments-prod for alice',
        link: LINK,
      }),
    ]);
  });

  it('tells approvers, auditors, the requester and the channel of break-glass at once, high', async () => {
    const { notifier, sent, posted } = setUp();
    const request = storedRequest({
      status: 'approved',
      approvalRequired: false,
      breakGlass: true,
      expiresAt: undefined,
    });
    await notifier.notify(request, { kind: 'break-glass' });
    const byRecipient = Object.fromEntries(
      sent.map(o => [
        [(o.recipients as { entityRef: string | string[] }).entityRef]
          .flat()
          .join(),
        o.payload,
      ]),
    );
    expect(Object.keys(byRecipient).sort()).toEqual(
      [APPROVERS, AUDITORS, 'user:default/alice'].sort(),
    );
    for (const payload of Object.values(byRecipient)) {
      expect(payload).toMatchObject({ severity: 'high', link: LINK });
    }
    expect(byRecipient[APPROVERS]).toMatchObject({
      title: 'Break-glass: PowerUserAccess on payments-prod for alice',
      scope: `request:${ID}:review`,
    });
    expect(byRecipient[AUDITORS].description).toContain(
      'Justification: “Fix the broken deployment pipeline”',
    );
    expect(posted.map(p => p.title)).toEqual([
      'Break-glass: PowerUserAccess on payments-prod for alice',
    ]);

    // reviewed appropriate: the requester and approvers, not the auditors
    sent.length = 0;
    await notifier.notify(request, {
      kind: 'reviewed',
      actorRef: 'user:default/bob',
      outcome: 'appropriate',
    });
    expect(
      sent.flatMap(o => [
        (o.recipients as { entityRef: string | string[] }).entityRef,
      ]),
    ).toEqual(['user:default/alice', [APPROVERS]]);
    // inappropriate: the auditors too, high
    sent.length = 0;
    await notifier.notify(request, {
      kind: 'reviewed',
      actorRef: 'user:default/bob',
      outcome: 'inappropriate',
      comment: 'Deleted a bucket',
    });
    expect(
      sent.map(o => [
        (o.recipients as { entityRef: string | string[] }).entityRef,
        o.payload.severity,
      ]),
    ).toEqual([
      ['user:default/alice', 'high'],
      [[APPROVERS], 'high'],
      [[AUDITORS], 'high'],
    ]);
  });

  it("replaces every approver's approval request with the decision, the decider's too", async () => {
    const { notifier, sent } = setUp();
    await notifier.notify(storedRequest(), { kind: 'created' });
    await notifier.notify(storedRequest({ status: 'rejected' }), {
      kind: 'rejected',
      actorRef: 'user:default/bob',
    });
    expect(sent.map(s => [s.recipients, s.payload.scope])).toEqual([
      [
        {
          type: 'entity',
          entityRef: [APPROVERS],
          excludeEntityRef: ['user:default/alice'],
        },
        `request:${ID}:approval`,
      ],
      [
        { type: 'entity', entityRef: 'user:default/alice' },
        `request:${ID}:decision`,
      ],
      [
        {
          type: 'entity',
          entityRef: [APPROVERS],
          excludeEntityRef: ['user:default/alice'],
        },
        `request:${ID}:approval`,
      ],
    ]);
    expect(sent[2].payload.title).toBe(
      'Rejected: PowerUserAccess on payments-prod for alice',
    );
    expect(sent[2].payload.description).toMatch(/^Decided: bob rejected/);
  });

  it('gives news that follow each other quickly their own notification, so no pop-up repeats', async () => {
    const { notifier, sent } = setUp();
    await notifier.notify(storedRequest({ status: 'approved' }), {
      kind: 'approved',
      actorRef: 'user:default/bob',
    });
    await notifier.notify(storedRequest({ status: 'active' }), {
      kind: 'granted',
    });
    const toAlice = sent.filter(
      s =>
        s.recipients.type === 'entity' &&
        s.recipients.entityRef === 'user:default/alice',
    );
    expect(toAlice.map(s => s.payload.scope)).toEqual([
      `request:${ID}:decision`,
      `request:${ID}:access`,
    ]);
  });

  it('does not send the same notification twice', async () => {
    const { notifier, sent } = setUp();
    const at = () => new Date('2026-11-21T09:00:00.000Z');
    const fixed = new RequestNotifier({
      notifications: { send: async o => void sent.push(o) },
      logger: mockServices.logger.mock(),
      observerRefs: [],
      adminRefs: [ADMINS],
      now: at,
    });
    await fixed.notify(storedRequest(), { kind: 'created' });
    await fixed.notify(storedRequest(), { kind: 'created' });
    expect(sent).toHaveLength(1);
    // other news still goes out
    await fixed.notify(storedRequest({ status: 'cancelled' }), {
      kind: 'cancelled',
    });
    expect(sent).toHaveLength(3);
    expect(notifier).toBeDefined();
  });

  it('sends again what failed to send', async () => {
    const send = jest
      .fn()
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValue(undefined);
    const notifier = new RequestNotifier({
      notifications: { send },
      logger: mockServices.logger.mock(),
      observerRefs: [],
      now: () => new Date('2026-11-21T09:00:00.000Z'),
    });
    await notifier.notify(storedRequest(), { kind: 'created' });
    await notifier.notify(storedRequest(), { kind: 'created' });
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('tells the admins of failures, and alone of access that stays', async () => {
    const { notifier, sent } = setUp();
    await notifier.notify(storedRequest({ status: 'error' }), {
      kind: 'error',
      reason: 'ConflictException',
    });
    await notifier.notify(storedRequest({ status: 'revoking' }), {
      kind: 'revoke-stuck',
      reason: 'AccessDenied',
      attempts: 3,
    });
    expect(
      sent.map(s => [s.recipients, s.payload.severity, s.payload.scope]),
    ).toEqual([
      [
        { type: 'entity', entityRef: 'user:default/alice' },
        'high',
        `request:${ID}:access`,
      ],
      [
        {
          type: 'entity',
          entityRef: [ADMINS],
          excludeEntityRef: 'user:default/alice',
        },
        'high',
        `request:${ID}:error`,
      ],
      [
        { type: 'entity', entityRef: [ADMINS] },
        'critical',
        `request:${ID}:revoke-stuck`,
      ],
    ]);
  });

  it('tells nobody of a single vote or an internal step, and goes on when a send fails', async () => {
    const { notifier, sent, posted } = setUp();
    await notifier.notify(storedRequest(), {
      kind: 'vote',
      actorRef: 'user:default/bob',
    });
    await notifier.notify(storedRequest({ status: 'revoked' }), {
      kind: 'changed',
    });
    expect(sent).toEqual([]);
    expect(posted).toEqual([]);

    const logger = mockServices.logger.mock();
    const failing = new RequestNotifier({
      notifications: { send: jest.fn().mockRejectedValue(new Error('down')) },
      logger,
      observerRefs: [],
    });
    await expect(
      failing.notify(storedRequest(), { kind: 'created' }),
    ).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not send notification about a request',
      { error: 'Error: down' },
    );
  });
});
