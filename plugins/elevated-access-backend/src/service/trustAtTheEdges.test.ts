import { describeEachDatabase } from '../__testUtils__/databases';
import { setUpDemoBackend } from '../__testUtils__/scenarios';
import {
  ACCOUNT,
  DEMO_ELIGIBILITY,
  groupRef,
  OU,
  PS,
} from '../__testUtils__/fixtures';
import { InMemoryAccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node/testUtils';

jest.setTimeout(60_000);

/*
 * Issue 10: terms from one policy, never a mix; one user's live requests for
 * a pair never overlap; decisions, grants and retries re-check what creation
 * checked; approvers read what they approve today.
 */

const HOUR = 3600_000;

describeEachDatabase('trust at the edges', init => {
  const backend = setUpDemoBackend(init);

  const power = {
    accountId: ACCOUNT['payments-dev'],
    permissionSetArn: PS.PowerUserAccess,
    justification: 'Fix the broken deployment pipeline',
  };
  /** An hour of ReadOnlyAccess on payments-dev, to read a failed run's logs. */
  const readLogs = {
    accountId: ACCOUNT['payments-dev'],
    permissionSetArn: PS.ReadOnlyAccess,
    durationMinutes: 60,
    justification: 'Read the logs of the failed run',
  };
  /** An hour of PowerUserAccess on payments-dev, with a ticket. */
  const powerHour = { ...power, durationMinutes: 60, ticketId: 'OPS-1' };
  /** Sets columns of a request's row, as if time or a failure had passed. */
  const updateRequest = (id: string, columns: Record<string, unknown>) =>
    backend.knex('requests').where({ id }).update(columns);

  it('never combines one policy’s cap with another’s waivers', async () => {
    // the reproduction: 4 h with approval and ticket (seeded) plus
    // 30 min without either, both for developers on PowerUserAccess
    const quick = await backend.api.post('dave', '/policies/eligibility', {
      name: 'Developers: quick fixes on payments-dev',
      principals: [groupRef('developers')],
      accounts: [ACCOUNT['payments-dev']],
      ous: [],
      permissionSets: [PS.PowerUserAccess],
      maxDurationMinutes: 30,
      approvalRequired: false,
      ticketRequired: false,
    });
    expect(quick.status).toBe(201);

    const eligibility = await backend.api.get('alice', '/eligibility');
    const pair = eligibility.body.pairs.find(
      (p: any) =>
        p.accountId === ACCOUNT['payments-dev'] &&
        p.permissionSetArn === PS.PowerUserAccess,
    );
    expect(
      pair.options.map((o: any) => [
        o.maxDurationMinutes,
        o.approvalRequired,
        o.ticketRequired,
        o.policyNames,
      ]),
    ).toEqual([
      [30, false, false, ['Developers: quick fixes on payments-dev']],
      [240, true, true, [DEMO_ELIGIBILITY[1].name]],
    ]);
    expect(pair.approvers).toEqual([groupRef('platform-leads')]);

    // 240 minutes without a ticket: refused, nothing written
    const mixed = await backend.api.post('alice', '/requests', {
      ...power,
      durationMinutes: 240,
    });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.message).toBe(
      'Invalid input: ticketId: A ticket is required for PowerUserAccess on payments-dev for more than 30 min',
    );
    expect(
      Number((await backend.knex('requests').count({ n: '*' }))[0].n),
    ).toBe(0);

    // with a ticket it is the 4 h policy's request: it needs approval
    const long = await backend.api.post('alice', '/requests', {
      ...power,
      durationMinutes: 240,
      ticketId: 'OPS-1',
    });
    expect(long.status).toBe(201);
    expect(long.body).toMatchObject({
      status: 'pending',
      approvalRequired: true,
    });

    // 20 minutes after it: the least demanding policy that fits
    const short = await backend.api.post('erin', '/requests', {
      ...power,
      durationMinutes: 20,
    });
    expect(short.status).toBe(201);
    expect(short.body).toMatchObject({
      status: 'approved',
      approvalRequired: false,
    });
  });

  it('refuses a second live request of one user for a pair whose window overlaps, allows back-to-back', async () => {
    const start = Date.now() + HOUR;
    const first = await backend.api.post('alice', '/requests', {
      ...powerHour,
      startTime: new Date(start).toISOString(),
    });
    expect(first.status).toBe(201);
    const overlapping = await backend.api.post('alice', '/requests', {
      ...powerHour,
      ticketId: 'OPS-2',
      startTime: new Date(start + 30 * 60_000).toISOString(),
    });
    expect(overlapping.status).toBe(409);
    expect(overlapping.body.error.message).toMatch(
      new RegExp(`You already have a pending request \\(${first.body.id}\\)`),
    );
    const backToBack = await backend.api.post('alice', '/requests', {
      ...powerHour,
      ticketId: 'OPS-3',
      startTime: new Date(start + HOUR).toISOString(),
    });
    expect(backToBack.status).toBe(201);
    // another user, or another pair, is not affected
    const erin = await backend.api.post('erin', '/requests', {
      ...powerHour,
      ticketId: 'OPS-4',
      startTime: new Date(start).toISOString(),
    });
    expect(erin.status).toBe(201);
  });

  it('refuses to decide a request past its deadline', async () => {
    const created = await backend.api.post('alice', '/requests', powerHour);
    await updateRequest(created.body.id, {
      expires_at: new Date(Date.now() - 24 * HOUR),
    });
    const approve = await backend.api.post(
      'bob',
      `/requests/${created.body.id}/approve`,
      {},
    );
    expect(approve.status).toBe(409);
    expect(approve.body.error.message).toMatch(
      /expired .* can no longer be decided/,
    );
    expect(
      (await backend.api.get('dave', `/requests/${created.body.id}`)).body
        .status,
    ).toBe('pending');
  });

  it('closes a request whose requester is no longer eligible when it is decided', async () => {
    const created = await backend.api.post('alice', '/requests', powerHour);
    expect(created.status).toBe(201);
    // the requester's only policy for the pair is deleted
    expect(
      (
        await backend.api.delete(
          'dave',
          `/policies/eligibility/${backend.policyIds.eligibility[1]}`,
        )
      ).status,
    ).toBe(204);
    const approve = await backend.api.post(
      'bob',
      `/requests/${created.body.id}/approve`,
      {},
    );
    expect(approve.status).toBe(409);
    expect(approve.body.error.message).toMatch(
      /alice is no longer eligible for PowerUserAccess on payments-dev.*the request was closed/,
    );
    const closed = (
      await backend.api.get('alice', `/requests/${created.body.id}`)
    ).body;
    expect(closed.status).toBe('rejected');
    expect(closed.events.at(-1)).toMatchObject({
      action: 'ineligible',
      message: expect.stringMatching(/no longer eligible/),
    });
    expect(backend.api.notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: { type: 'entity', entityRef: 'user:default/alice' },
        payload: expect.objectContaining({
          title: 'Closed: PowerUserAccess on payments-dev',
        }),
      }),
    );
  });

  it('grants nothing to a scheduled request whose requester is no longer eligible', async () => {
    const created = await backend.api.post('alice', '/requests', {
      ...readLogs,
      startTime: new Date(Date.now() + HOUR).toISOString(),
    });
    expect(created.body.status).toBe('approved');
    await backend.api.delete(
      'dave',
      `/policies/eligibility/${backend.policyIds.eligibility[0]}`,
    );
    await updateRequest(created.body.id, {
      start_time: new Date(Date.now() - 60_000),
    });
    await backend.api.runLifecycle();
    const ended = (
      await backend.api.get('alice', `/requests/${created.body.id}`)
    ).body;
    expect(ended.status).toBe('ended');
    expect(ended.events.at(-1).message).toMatch(
      /^Not granted: alice is no longer eligible/,
    );
    expect((backend.api.provider as InMemoryAccessProvider).calls).toEqual([]);
  });

  it('gives the full duration from the grant when the approval comes late', async () => {
    const created = await backend.api.post('alice', '/requests', powerHour);
    // as if it had been asked for "now" 45 minutes ago
    const asked = Date.now() - 45 * 60_000;
    await updateRequest(created.body.id, {
      start_time: new Date(asked),
      end_time: new Date(asked + HOUR),
      created_at: new Date(asked),
    });
    await backend.api.post('bob', `/requests/${created.body.id}/approve`, {});
    const before = Date.now();
    await backend.api.runLifecycle();
    const active = (
      await backend.api.get('alice', `/requests/${created.body.id}`)
    ).body;
    expect(active.status).toBe('active');
    // 60 minutes from the grant, not the 15 left of the planned window
    const granted = Date.parse(active.grantedAt);
    expect(granted).toBeGreaterThanOrEqual(before);
    expect(Date.parse(active.endTime) - granted).toBe(HOUR);
    expect(active.events.at(-1).message).toBe(
      `Access granted; until ${active.endTime}`,
    );
  });

  it('refuses to retry a grant whose window has ended', async () => {
    const created = await backend.api.post('alice', '/requests', readLogs);
    await updateRequest(created.body.id, {
      status: 'error',
      error_reason: 'quota reached',
      end_time: new Date(Date.now() - 60_000),
    });
    await backend.knex('events').insert({
      entity_type: 'request',
      entity_id: created.body.id,
      action: 'grant-failed',
      actor_ref: 'system:elevated-access',
      from_status: 'granting',
      to_status: 'error',
      created_at: new Date(),
    });
    const retry = await backend.api.post(
      'dave',
      `/requests/${created.body.id}/retry`,
    );
    expect(retry.status).toBe(409);
    expect(retry.body.error.message).toMatch(
      /window ended .* can no longer be retried/,
    );
    expect((backend.api.provider as InMemoryAccessProvider).calls).toEqual([]);
  });

  it('lets approvers read only what they approve today, and what they decided', async () => {
    const pending = await backend.api.post('alice', '/requests', powerHour);
    const decided = await backend.api.post('erin', '/requests', {
      ...powerHour,
      ticketId: 'OPS-2',
    });
    expect(
      (
        await backend.api.post('bob', `/requests/${decided.body.id}/reject`, {
          comment: 'Use the read-only role',
        })
      ).status,
    ).toBe(200);
    expect(
      (await backend.api.get('bob', `/requests/${pending.body.id}`)).status,
    ).toBe(200);
    expect((await backend.api.get('bob', '/me')).body.pendingApprovals).toBe(1);

    // platform-leads no longer approve workloads: security-leads do
    const moved = await backend.changeWorkloadApprovers({
      ous: [OU.Workloads],
      approvers: [groupRef('security-leads')],
      minApprovals: 1,
    });
    expect(moved.status).toBe(200);

    const read = await backend.api.get('bob', `/requests/${pending.body.id}`);
    expect(read.status).toBe(403);
    expect(
      (await backend.api.get('bob', `/requests/${pending.body.id}/activity`))
        .status,
    ).toBe(403);
    const inbox = await backend.api.get('bob', '/requests?view=approvals');
    expect(inbox.body.items.map((r: any) => r.id)).toEqual([]);
    expect((await backend.api.get('bob', '/me')).body.pendingApprovals).toBe(0);
    // what bob decided himself stays his to read
    expect(
      (await backend.api.get('bob', `/requests/${decided.body.id}`)).status,
    ).toBe(200);
    const history = await backend.api.get(
      'bob',
      '/requests?view=approvals&status=pending,rejected',
    );
    expect(history.body.items.map((r: any) => r.id)).toEqual([decided.body.id]);
  });
});
