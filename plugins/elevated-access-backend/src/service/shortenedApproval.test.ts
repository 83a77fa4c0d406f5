import { describeEachDatabase } from '../__testUtils__/databases';
import { setUpDemoBackend } from '../__testUtils__/scenarios';
import { ACCOUNT, groupRef, PS } from '../__testUtils__/fixtures';

jest.setTimeout(60_000);

/* Approvers can shorten a request when they approve it (issue 14 §3). */

const MINUTE = 60_000;

describeEachDatabase('approvers who shorten', init => {
  const backend = setUpDemoBackend(init);

  const ask = (minutes: number) =>
    backend.api.post('alice', '/requests', {
      accountId: ACCOUNT['payments-dev'],
      permissionSetArn: PS.PowerUserAccess,
      durationMinutes: minutes,
      justification: 'Fix the broken deployment pipeline',
      ticketId: 'OPS-1',
    });

  /** `who` approves the request, for as long as `body` says. */
  const approve = (who: string, id: string, body: object) =>
    backend.api.post(who, `/requests/${id}/approve`, body);

  it('approves for less time than asked; the window and the requester say so', async () => {
    const created = await ask(120);
    const tooLong = await approve('bob', created.body.id, {
      durationMinutes: 180,
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toBe(
      'Invalid input: durationMinutes: An approval can shorten the request (2 h asked) but not lengthen it',
    );

    const approved = await approve('bob', created.body.id, {
      durationMinutes: 30,
      comment: 'Half an hour is enough',
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      durationMinutes: 120,
      approvedDurationMinutes: 30,
    });
    expect(
      Date.parse(approved.body.endTime) - Date.parse(approved.body.startTime),
    ).toBe(30 * MINUTE);
    const detail = (
      await backend.api.get('alice', `/requests/${created.body.id}`)
    ).body;
    expect(detail.decisions).toEqual([
      expect.objectContaining({
        approverRef: 'user:default/bob',
        durationMinutes: 30,
      }),
    ]);
    expect(detail.events.at(-1).message).toBe(
      'Approved for 30 min (2 h asked): Half an hour is enough',
    );
    expect(backend.api.notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: { type: 'entity', entityRef: 'user:default/alice' },
        payload: expect.objectContaining({
          description: expect.stringContaining(
            'Approved by bob for 30 min (you asked for 2 h).',
          ),
        }),
      }),
    );

    // granted for the approved 30 minutes, counted from the grant
    await backend.api.runLifecycle();
    const active = (
      await backend.api.get('alice', `/requests/${created.body.id}`)
    ).body;
    expect(active.status).toBe('active');
    expect(Date.parse(active.endTime) - Date.parse(active.grantedAt)).toBe(
      30 * MINUTE,
    );
  });

  it('with two approvals needed, the shortest approval wins', async () => {
    const updated = await backend.changeWorkloadApprovers({
      approvers: [groupRef('platform-leads'), groupRef('security-leads')],
      minApprovals: 2,
    });
    expect(updated.status).toBe(200);
    const created = await ask(120);
    expect(created.body.minApprovals).toBe(2);
    const first = await approve('frank', created.body.id, {
      durationMinutes: 45,
    });
    expect(first.body).toMatchObject({ status: 'pending', approvals: 1 });
    const second = await approve('bob', created.body.id, {
      durationMinutes: 90,
    });
    expect(second.body).toMatchObject({
      status: 'approved',
      approvedDurationMinutes: 45,
    });
    expect(
      Date.parse(second.body.endTime) - Date.parse(second.body.startTime),
    ).toBe(45 * MINUTE);
  });

  it('keeps the asked duration when nobody shortens', async () => {
    const created = await ask(60);
    const approved = await approve('bob', created.body.id, {
      durationMinutes: 60,
    });
    expect(approved.body.approvedDurationMinutes).toBeUndefined();
    expect(
      Date.parse(approved.body.endTime) - Date.parse(approved.body.startTime),
    ).toBe(60 * MINUTE);
  });
});
