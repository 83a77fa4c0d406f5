import { ActivitySource } from '@elevated-access/backstage-plugin-elevated-access-node';
import { describeEachDatabase } from '../__testUtils__/databases';
import { fakeDateOnly } from '../__testUtils__/fakeDate';
import {
  ACCOUNT,
  DEMO_ELIGIBILITY,
  groupRef,
  OU,
  PS,
} from '../__testUtils__/fixtures';
import { seedDemoPolicies } from '../__testUtils__/scenarios';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

/*
 * Break-glass (issue 14 §4) through the API: approved at once under a policy
 * that allows it, approvers and auditors told at once with high severity,
 * then reviewed by an approver other than the requester once the access is
 * over and its activity collected, exactly once.
 */

const MINUTE = 60_000;
const T0 = new Date('2026-11-21T09:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);

const BREAK_GLASS_POLICY = {
  name: 'Developers break-glass power-use workloads',
  principals: [groupRef('developers'), groupRef('platform-leads')],
  accounts: [],
  ous: [OU.Workloads],
  permissionSets: [PS.PowerUserAccess],
  maxDurationMinutes: 60,
  approvalRequired: true,
  ticketRequired: false,
  breakGlass: true,
};

const breakGlass = {
  accountId: ACCOUNT['payments-prod'],
  permissionSetArn: PS.PowerUserAccess,
  durationMinutes: 60,
  justification: 'Payments are failing in production',
  ticketId: 'INC-7',
  breakGlass: true,
};

/** Collects nothing: activity completes once padding and settle have passed. */
const quietActivity: ActivitySource = {
  id: 'quiet',
  // eslint-disable-next-line require-yield
  async *collect() {
    return;
  },
};

describeEachDatabase('break-glass', init => {
  let api: ElevatedAccessTestBackend;

  beforeEach(async () => {
    fakeDateOnly(T0);
    api = await startElevatedAccess({
      knex: await init(),
      activitySource: quietActivity,
      config: { aws: { activity: { paddingMinutes: 5, settleMinutes: 5 } } },
    });
    await seedDemoPolicies(api);
    const policy = await api.post(
      'dave',
      '/policies/eligibility',
      BREAK_GLASS_POLICY,
    );
    if (policy.status !== 201) {
      throw new Error(`No break-glass policy: ${JSON.stringify(policy.body)}`);
    }
  });
  afterEach(async () => {
    jest.useRealTimers();
    await api.stop();
  });

  const sent = () => api.notifications.send.mock.calls.map(([o]) => o);
  const recipientsOf = (o: ReturnType<typeof sent>[number]) =>
    [(o.recipients as { entityRef: string | string[] }).entityRef].flat();

  /** A break-glass request by alice whose access ended and activity is complete. */
  async function reviewable(body: object = breakGlass) {
    const created = await api.post('alice', '/requests', body);
    expect(created.status).toBe(201);
    await api.runLifecycle();
    jest.setSystemTime(at(61));
    await api.runLifecycle();
    jest.setSystemTime(at(72));
    await api.runTask('activity');
    const detail = (await api.get('alice', `/requests/${created.body.id}`))
      .body;
    expect(detail).toMatchObject({ status: 'ended', activityComplete: true });
    return detail;
  }

  it('offers break-glass in the eligibility only where a policy allows it', async () => {
    const eligibility = (await api.get('alice', '/eligibility')).body;
    const pair = (account: string, ps: string) =>
      eligibility.pairs.find(
        (p: any) =>
          p.accountId === ACCOUNT[account as keyof typeof ACCOUNT] &&
          p.permissionSetArn === ps,
      );
    expect(pair('payments-prod', PS.PowerUserAccess).breakGlass).toEqual({
      maxDurationMinutes: 60,
      policyNames: [BREAK_GLASS_POLICY.name],
    });
    expect(
      pair('payments-prod', PS.PowerUserAccess).options.map(
        (o: any) => o.breakGlass,
      ),
    ).toEqual(expect.arrayContaining([true, false]));
    expect(pair('payments-prod', PS.ReadOnlyAccess).breakGlass).toBeUndefined();
    // the policy history shows the flag before and after a change
    const changes = (await api.get('carol', '/audit/changes')).body.items;
    const created = changes.find(
      (c: any) => c.entityName === BREAK_GLASS_POLICY.name,
    );
    expect(created).toMatchObject({
      action: 'create',
      after: { breakGlass: true },
    });
    const updated = await api.put(
      'dave',
      `/policies/eligibility/${created.entityId}`,
      { ...BREAK_GLASS_POLICY, breakGlass: false, version: 1 },
    );
    expect(updated.status).toBe(200);
    expect(updated.body.breakGlass).toBe(false);
    const change = (await api.get('carol', '/audit/changes')).body.items[0];
    expect(change).toMatchObject({
      action: 'update',
      before: { breakGlass: true },
      after: { breakGlass: false },
    });
    expect(
      (await api.get('alice', '/eligibility')).body.pairs.some(
        (p: any) => p.breakGlass,
      ),
    ).toBe(false);
    await api.put('dave', `/policies/eligibility/${created.entityId}`, {
      ...BREAK_GLASS_POLICY,
      version: 2,
    });
    const policies = (await api.get('dave', '/policies/eligibility')).body;
    expect(policies.items ?? policies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: BREAK_GLASS_POLICY.name,
          breakGlass: true,
        }),
        expect.objectContaining({
          name: DEMO_ELIGIBILITY[0].name,
          breakGlass: false,
        }),
      ]),
    );
  });

  it('refuses break-glass without a policy, a ticket, now, within the cap, or a reviewer', async () => {
    const refused = async (body: object, persona = 'alice') => {
      const res = await api.post(persona, '/requests', body);
      expect(res.status).toBe(400);
      return res.body.error.message;
    };
    expect(
      await refused({ ...breakGlass, permissionSetArn: PS.ReadOnlyAccess }),
    ).toBe(
      'Invalid input: breakGlass: No policy allows break-glass for ReadOnlyAccess on payments-prod. Request it with approval instead',
    );
    expect(await refused({ ...breakGlass, ticketId: undefined })).toBe(
      'Invalid input: ticketId: A ticket is required for break-glass access',
    );
    expect(
      await refused({ ...breakGlass, startTime: at(10).toISOString() }),
    ).toBe(
      'Invalid input: startTime: Break-glass access starts now, leave the start time empty',
    );
    expect(await refused({ ...breakGlass, durationMinutes: 90 })).toBe(
      'Invalid input: durationMinutes: Break-glass for PowerUserAccess on payments-prod can be requested for at most 1 h',
    );
    // bob is the only platform lead: nobody else could review his
    expect(await refused(breakGlass, 'bob')).toMatch(
      /^Break-glass for PowerUserAccess on payments-prod needs an approver to review it afterwards, but no approver other than you covers it/,
    );
    expect(
      (await api.get('dave', '/requests?view=all&breakGlass=true')).body.items,
    ).toEqual([]);
  });

  it('approves at once, tells approvers and auditors with high severity, and is reviewed once by an approver', async () => {
    const created = await api.post('alice', '/requests', breakGlass);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'approved',
      breakGlass: true,
      awaitingReview: false,
      approvalRequired: false,
      approverRefs: [groupRef('platform-leads')],
      capabilities: { canReview: false },
    });
    const id = created.body.id;
    const detail = (await api.get('alice', `/requests/${id}`)).body;
    expect(detail.events[0]).toMatchObject({
      action: 'create',
      actorRef: 'user:default/alice',
      toStatus: 'approved',
      message: `Break-glass: approved at once under policy ${BREAK_GLASS_POLICY.name}, review needed`,
    });
    const alerts = sent().filter(o =>
      o.payload.title.startsWith('Break-glass'),
    );
    const told = alerts.flatMap(recipientsOf);
    expect(told).toEqual(
      expect.arrayContaining([
        groupRef('platform-leads'),
        groupRef('security-auditors'),
        'user:default/alice',
      ]),
    );
    expect(alerts.every(o => o.payload.severity === 'high')).toBe(true);
    expect(
      api.auditEvents.find(
        e => e.eventId === 'request-create' && e.meta?.breakGlass === true,
      )?.severityLevel,
    ).toBe('high');

    // granted at once by the lifecycle; awaits review from then on
    await api.runLifecycle();
    const active = (await api.get('bob', `/requests/${id}`)).body;
    expect(active).toMatchObject({
      status: 'active',
      awaitingReview: true,
      capabilities: { canReview: false },
    });
    const reviews = await api.get('bob', '/requests?view=reviews');
    expect(reviews.status).toBe(200);
    expect(reviews.body.items.map((r: any) => r.id)).toEqual([id]);
    expect(
      (await api.get('frank', '/requests?view=reviews')).body.items,
    ).toEqual([]);
    expect((await api.get('erin', '/requests?view=reviews')).status).toBe(403);
    expect((await api.get('alice', '/requests?view=reviews')).status).toBe(403);
    expect(
      (await api.get('dave', '/requests?view=reviews')).body.items.map(
        (r: any) => r.id,
      ),
    ).toEqual([id]);

    const tooEarly = await api.post('bob', `/requests/${id}/review`, {
      outcome: 'appropriate',
    });
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.error.message).toBe(
      'Review once the access has ended: it is active',
    );

    jest.setSystemTime(at(61));
    await api.runLifecycle();
    const collecting = await api.post('bob', `/requests/${id}/review`, {
      outcome: 'appropriate',
    });
    expect(collecting.status).toBe(409);
    expect(collecting.body.error.message).toBe(
      'Its activity is still being collected, review once it is complete',
    );
    expect((await api.get('bob', '/me')).body.pendingReviews).toBe(0);

    jest.setSystemTime(at(72));
    await api.runTask('activity');
    expect((await api.get('bob', `/requests/${id}`)).body).toMatchObject({
      status: 'ended',
      activityComplete: true,
      capabilities: { canReview: true },
    });
    expect((await api.get('bob', '/me')).body.pendingReviews).toBe(1);
    expect((await api.get('alice', '/me')).body.pendingReviews).toBe(0);
    expect((await api.get('frank', '/me')).body.pendingReviews).toBe(0);

    const own = await api.post('alice', `/requests/${id}/review`, {
      outcome: 'appropriate',
    });
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe(
      'Nobody reviews their own break-glass request',
    );
    for (const outsider of ['erin', 'frank', 'carol']) {
      const res = await api.post(outsider, `/requests/${id}/review`, {
        outcome: 'appropriate',
      });
      expect(res.status).toBe(403);
    }

    api.notifications.send.mockClear();
    const reviewed = await api.post('bob', `/requests/${id}/review`, {
      outcome: 'appropriate',
      comment: 'Checked the activity: the hotfix only',
    });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body).toMatchObject({
      awaitingReview: false,
      review: {
        reviewerRef: 'user:default/bob',
        outcome: 'appropriate',
        comment: 'Checked the activity: the hotfix only',
        createdAt: at(72).toISOString(),
      },
      capabilities: { canReview: false },
    });
    const events = (await api.get('carol', `/requests/${id}`)).body.events;
    expect(events.at(-1)).toMatchObject({
      action: 'review',
      actorRef: 'user:default/bob',
      message: 'Reviewed as appropriate: Checked the activity: the hotfix only',
    });
    const toAlice = sent().filter(o =>
      recipientsOf(o).includes('user:default/alice'),
    );
    expect(toAlice.map(o => o.payload.title)).toEqual([
      'Reviewed: PowerUserAccess on payments-prod',
    ]);
    // appropriate: the auditors are not alerted again
    expect(sent().flatMap(recipientsOf)).not.toContain(
      groupRef('security-auditors'),
    );
    expect(
      api.auditEvents.filter(
        e => e.eventId === 'request-review' && e.status === 'succeeded',
      ),
    ).toHaveLength(1);

    const again = await api.post('dave', `/requests/${id}/review`, {
      outcome: 'inappropriate',
      comment: 'No',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(
      'Already reviewed by bob: appropriate',
    );
    expect((await api.get('bob', '/requests?view=reviews')).body.items).toEqual(
      [],
    );
    expect((await api.get('bob', '/me')).body.pendingReviews).toBe(0);
  });

  it('refuses to review what is not break-glass', async () => {
    const normal = await api.post('alice', '/requests', {
      ...breakGlass,
      breakGlass: undefined,
    });
    expect(normal.body).toMatchObject({ status: 'pending', breakGlass: false });
    const res = await api.post('bob', `/requests/${normal.body.id}/review`, {
      outcome: 'appropriate',
    });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      'Only break-glass requests are reviewed',
    );
  });

  it('lets exactly one of two reviewers at once win; inappropriate alerts the auditors', async () => {
    const request = await reviewable();
    api.notifications.send.mockClear();
    const [a, b] = await Promise.all([
      api.post('bob', `/requests/${request.id}/review`, {
        outcome: 'inappropriate',
        comment: 'Changed IAM policies',
      }),
      api.post('dave', `/requests/${request.id}/review`, {
        outcome: 'appropriate',
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.error.message).toMatch(
      /^Already reviewed by (bob|dave): /,
    );
    const events = (await api.get('carol', `/requests/${request.id}`)).body
      .events;
    expect(events.filter((e: any) => e.action === 'review')).toHaveLength(1);
    // bob's inappropriate alerts the auditors; dave's appropriate does not
    const auditors = sent().filter(o =>
      recipientsOf(o).includes(groupRef('security-auditors')),
    );
    expect(auditors.map(o => o.payload.severity)).toEqual(
      a.status === 200 ? ['high'] : [],
    );
  });

  it('filters by break-glass and review on every view and in the CSVs', async () => {
    const request = await reviewable();
    const normal = await api.post('alice', '/requests', {
      accountId: ACCOUNT['payments-dev'],
      permissionSetArn: PS.ReadOnlyAccess,
      durationMinutes: 30,
      justification: 'Read the dashboards',
    });
    expect(normal.status).toBe(201);
    const ids = async (persona: string, query: string) =>
      (await api.get(persona, `/requests?${query}`)).body.items.map(
        (r: any) => r.id,
      );
    expect(await ids('alice', 'view=mine&breakGlass=true')).toEqual([
      request.id,
    ]);
    expect(await ids('alice', 'view=mine&breakGlass=false')).toEqual([
      normal.body.id,
    ]);
    expect(await ids('carol', 'view=all&review=awaiting')).toEqual([
      request.id,
    ]);
    expect(await ids('carol', 'view=all&review=appropriate')).toEqual([]);
    expect(await ids('bob', 'view=decided&review=awaiting')).toEqual([
      request.id,
    ]);

    await api.post('bob', `/requests/${request.id}/review`, {
      outcome: 'appropriate',
      comment: 'Fine',
    });
    expect(await ids('carol', 'view=all&review=awaiting')).toEqual([]);
    expect(await ids('carol', 'view=all&review=appropriate')).toEqual([
      request.id,
    ]);
    expect(await ids('carol', 'view=all&review=inappropriate')).toEqual([]);
    expect(await ids('bob', 'view=reviews&review=appropriate')).toEqual([]);
    const bad = await api.get('carol', '/requests?view=all&review=maybe');
    expect(bad.status).toBe(400);

    const csv = await api.get(
      'carol',
      '/audit/requests.csv?review=appropriate',
    );
    expect(csv.status).toBe(200);
    const [header, ...rows] = csv.text.trim().split('\n');
    expect(header.split(',').slice(-5)).toEqual([
      'break_glass',
      'review_outcome',
      'reviewed_by',
      'reviewed_at',
      'review_comment',
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(request.id);
    expect(rows[0].split(',').slice(-5)).toEqual([
      'true',
      'appropriate',
      'user:default/bob',
      at(72).toISOString(),
      'Fine',
    ]);
    const decided = await api.get(
      'bob',
      '/requests/decided.csv?breakGlass=true',
    );
    expect(decided.status).toBe(200);
    expect(decided.text).toContain(request.id);
    expect(decided.text).not.toContain(normal.body.id);
  });
});
