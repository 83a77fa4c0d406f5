import { mockServices } from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import {
  ADMINS,
  APPROVERS,
  AUDITORS,
  REQUEST_ID,
  storedRequest,
} from '../__testUtils__/noticeRequest';
import {
  ChannelMessage,
  NotificationChannel,
  RequestNotifier,
} from './RequestNotifier';

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
  const LINK = `/elevated-access/requests/${REQUEST_ID}`;

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
          scope: `request:${REQUEST_ID}:approval`,
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
      scope: `request:${REQUEST_ID}:review`,
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
        `request:${REQUEST_ID}:approval`,
      ],
      [
        { type: 'entity', entityRef: 'user:default/alice' },
        `request:${REQUEST_ID}:decision`,
      ],
      [
        {
          type: 'entity',
          entityRef: [APPROVERS],
          excludeEntityRef: ['user:default/alice'],
        },
        `request:${REQUEST_ID}:approval`,
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
      `request:${REQUEST_ID}:decision`,
      `request:${REQUEST_ID}:access`,
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
        `request:${REQUEST_ID}:access`,
      ],
      [
        {
          type: 'entity',
          entityRef: [ADMINS],
          excludeEntityRef: 'user:default/alice',
        },
        'high',
        `request:${REQUEST_ID}:error`,
      ],
      [
        { type: 'entity', entityRef: [ADMINS] },
        'critical',
        `request:${REQUEST_ID}:revoke-stuck`,
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
