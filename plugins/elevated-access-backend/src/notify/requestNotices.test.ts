import { StoredRequest } from '../database/RequestStore';
import { HOSTILE, storedRequest } from '../__testUtils__/noticeRequest';
import {
  reminderAddsInformation,
  RequestNews,
  requestNotices,
} from './requestNotices';

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
