import { describeEachDatabase } from '../__testUtils__/databases';
import { groupRef } from '../__testUtils__/fixtures';
import {
  at,
  BREAK_GLASS_POLICY,
  breakGlass,
  recipientsOf,
  setUpBreakGlassBackend,
} from '../__testUtils__/breakGlass';

jest.setTimeout(60_000);

/*
 * Break-glass (issue 14 §4) through the API: approved at once, approvers and auditors told at once with high
 * severity, then reviewed by an approver other than the requester once the
 * access is over and its activity collected, exactly once.
 */
describeEachDatabase('break-glass', init => {
  const backend = setUpBreakGlassBackend(init);

  it('approves at once, tells approvers and auditors with high severity, and is reviewed once by an approver', async () => {
    const created = await backend.api.post('alice', '/requests', breakGlass);
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
    const detail = (await backend.api.get('alice', `/requests/${id}`)).body;
    expect(detail.events[0]).toMatchObject({
      action: 'create',
      actorRef: 'user:default/alice',
      toStatus: 'approved',
      message: `Break-glass: approved at once under policy ${BREAK_GLASS_POLICY.name}, review needed`,
    });
    const alerts = backend
      .sent()
      .filter(o => o.payload.title.startsWith('Break-glass'));
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
      backend.api.auditEvents.find(
        e => e.eventId === 'request-create' && e.meta?.breakGlass === true,
      )?.severityLevel,
    ).toBe('high');

    // granted at once by the lifecycle; awaits review from then on
    await backend.api.runLifecycle();
    const active = (await backend.api.get('bob', `/requests/${id}`)).body;
    expect(active).toMatchObject({
      status: 'active',
      awaitingReview: true,
      capabilities: { canReview: false },
    });
    const reviews = await backend.api.get('bob', '/requests?view=reviews');
    expect(reviews.status).toBe(200);
    expect(reviews.body.items.map((r: any) => r.id)).toEqual([id]);
    expect(
      (await backend.api.get('frank', '/requests?view=reviews')).body.items,
    ).toEqual([]);
    expect(
      (await backend.api.get('erin', '/requests?view=reviews')).status,
    ).toBe(403);
    expect(
      (await backend.api.get('alice', '/requests?view=reviews')).status,
    ).toBe(403);
    expect(
      (await backend.api.get('dave', '/requests?view=reviews')).body.items.map(
        (r: any) => r.id,
      ),
    ).toEqual([id]);

    const tooEarly = await backend.api.post('bob', `/requests/${id}/review`, {
      outcome: 'appropriate',
    });
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.error.message).toBe(
      'Review once the access has ended: it is active',
    );

    jest.setSystemTime(at(61));
    await backend.api.runLifecycle();
    const collecting = await backend.api.post('bob', `/requests/${id}/review`, {
      outcome: 'appropriate',
    });
    expect(collecting.status).toBe(409);
    expect(collecting.body.error.message).toBe(
      'Its activity is still being collected, review once it is complete',
    );
    expect((await backend.api.get('bob', '/me')).body.pendingReviews).toBe(0);

    jest.setSystemTime(at(72));
    await backend.api.runTask('activity');
    expect(
      (await backend.api.get('bob', `/requests/${id}`)).body,
    ).toMatchObject({
      status: 'ended',
      activityComplete: true,
      capabilities: { canReview: true },
    });
    expect((await backend.api.get('bob', '/me')).body.pendingReviews).toBe(1);
    expect((await backend.api.get('alice', '/me')).body.pendingReviews).toBe(0);
    expect((await backend.api.get('frank', '/me')).body.pendingReviews).toBe(0);

    const own = await backend.api.post('alice', `/requests/${id}/review`, {
      outcome: 'appropriate',
    });
    expect(own.status).toBe(403);
    expect(own.body.error.message).toBe(
      'Nobody reviews their own break-glass request',
    );
    for (const outsider of ['erin', 'frank', 'carol']) {
      const res = await backend.api.post(outsider, `/requests/${id}/review`, {
        outcome: 'appropriate',
      });
      expect(res.status).toBe(403);
    }

    backend.api.notifications.send.mockClear();
    const reviewed = await backend.api.post('bob', `/requests/${id}/review`, {
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
    const events = (await backend.api.get('carol', `/requests/${id}`)).body
      .events;
    expect(events.at(-1)).toMatchObject({
      action: 'review',
      actorRef: 'user:default/bob',
      message: 'Reviewed as appropriate: Checked the activity: the hotfix only',
    });
    const toAlice = backend
      .sent()
      .filter(o => recipientsOf(o).includes('user:default/alice'));
    expect(toAlice.map(o => o.payload.title)).toEqual([
      'Reviewed: PowerUserAccess on payments-prod',
    ]);
    // appropriate: the auditors are not alerted again
    expect(backend.sent().flatMap(recipientsOf)).not.toContain(
      groupRef('security-auditors'),
    );
    expect(
      backend.api.auditEvents.filter(
        e => e.eventId === 'request-review' && e.status === 'succeeded',
      ),
    ).toHaveLength(1);

    const again = await backend.api.post('dave', `/requests/${id}/review`, {
      outcome: 'inappropriate',
      comment: 'No',
    });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(
      'Already reviewed by bob: appropriate',
    );
    expect(
      (await backend.api.get('bob', '/requests?view=reviews')).body.items,
    ).toEqual([]);
    expect((await backend.api.get('bob', '/me')).body.pendingReviews).toBe(0);
  });

  it('refuses to review what is not break-glass', async () => {
    const normal = await backend.api.post('alice', '/requests', {
      ...breakGlass,
      breakGlass: undefined,
    });
    expect(normal.body).toMatchObject({ status: 'pending', breakGlass: false });
    const res = await backend.api.post(
      'bob',
      `/requests/${normal.body.id}/review`,
      {
        outcome: 'appropriate',
      },
    );
    expect(res.status).toBe(409);
    expect(res.body.error.message).toBe(
      'Only break-glass requests are reviewed',
    );
  });

  it('lets exactly one of two reviewers at once win; inappropriate alerts the auditors', async () => {
    const request = await backend.reviewable();
    backend.api.notifications.send.mockClear();
    const [a, b] = await Promise.all([
      backend.api.post('bob', `/requests/${request.id}/review`, {
        outcome: 'inappropriate',
        comment: 'Changed IAM policies',
      }),
      backend.api.post('dave', `/requests/${request.id}/review`, {
        outcome: 'appropriate',
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body.error.message).toMatch(
      /^Already reviewed by (bob|dave): /,
    );
    const events = (await backend.api.get('carol', `/requests/${request.id}`))
      .body.events;
    expect(events.filter((e: any) => e.action === 'review')).toHaveLength(1);
    // bob's inappropriate alerts the auditors; dave's appropriate does not
    const auditors = backend
      .sent()
      .filter(o => recipientsOf(o).includes(groupRef('security-auditors')));
    expect(auditors.map(o => o.payload.severity)).toEqual(
      a.status === 200 ? ['high'] : [],
    );
  });
});
