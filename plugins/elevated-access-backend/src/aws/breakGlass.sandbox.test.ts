import { AccessRequestDetail } from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  MINUTE,
  setUpProvisioningSandbox,
} from '../__testUtils__/provisioningSandbox';
import { demoApprovers } from '../__testUtils__/fixtures';

/*
 * Break-glass (issue 14 §4) against the AWS sandbox over the wire: alice's
 * break-glass request is assigned in Identity Center at once with no
 * approval, bob and the auditors hear of it at once, the assignment is
 * removed at the end, the activity is collected, and then bob (not alice)
 * reviews it; the review is in the history and the requests CSV.
 */

describe('break-glass on the AWS sandbox', () => {
  const env = setUpProvisioningSandbox(seed => ({
    eligibility: [
      {
        name: 'Developers break-glass on workloads',
        principals: ['group:default/developers'],
        accounts: [],
        ous: [seed.ous.Workloads],
        permissionSets: [seed.permissionSets.PowerUserAccess],
        maxDurationMinutes: 60,
        approvalRequired: true,
        ticketRequired: true,
        breakGlass: true,
      },
    ],
    approvers: [demoApprovers('platformLeadsApproveWorkloads', seed)],
  }));
  const assigned = () =>
    env.assigned('payments-prod', 'PowerUserAccess', 'alice');
  const detail = async (id: string): Promise<AccessRequestDetail> =>
    (await env.api.get('alice', `/requests/${id}`)).body;
  const told = (ref: string) =>
    env.api.notifications.send.mock.calls
      .map(([o]) => o)
      .filter(o =>
        [(o.recipients as { entityRef: string | string[] }).entityRef]
          .flat()
          .includes(ref),
      );

  it('break-glass creates, notifies, and is reviewed by bob, not alice', async () => {
    const created = await env.api.post('alice', '/requests', {
      accountId: env.seed.accounts['payments-prod'],
      permissionSetArn: env.seed.permissionSets.PowerUserAccess,
      durationMinutes: 60,
      justification: 'Payments are failing in production',
      ticketId: 'INC-12',
      breakGlass: true,
    });
    expect([created.status, created.body.status]).toEqual([201, 'approved']);
    const id = created.body.id;

    // no approval: the assignment exists after the next lifecycle run
    await env.api.runTask('lifecycle');
    const active = await detail(id);
    expect(active).toMatchObject({
      status: 'active',
      breakGlass: true,
      awaitingReview: true,
    });
    expect(await assigned()).toBe(1);
    expect(active.decisions).toEqual([]);

    // bob (through his group) and the auditors were told at once, high
    for (const ref of [
      'group:default/platform-leads',
      'group:default/security-auditors',
    ]) {
      expect(told(ref)).toEqual([
        expect.objectContaining({
          payload: expect.objectContaining({
            title: 'Break-glass: PowerUserAccess on payments-prod for alice',
            severity: 'high',
            link: `/elevated-access/requests/${id}`,
          }),
        }),
      ]);
    }

    // the end: the assignment is removed
    env.setNow(env.now + 61 * MINUTE);
    await env.api.runTask('lifecycle');
    expect((await detail(id)).status).toBe('ended');
    expect(await assigned()).toBe(0);

    // the activity is collected once padding and settle have passed
    env.setNow(env.now + 11 * MINUTE);
    await env.api.runTask('activity');
    expect((await detail(id)).activityComplete).toBe(true);
    const activity = await env.api.get('bob', `/requests/${id}/activity`);
    expect([activity.status, activity.body.complete]).toEqual([200, true]);

    const byAlice = await env.api.post('alice', `/requests/${id}/review`, {
      outcome: 'appropriate',
    });
    expect([byAlice.status, byAlice.body.error?.message]).toEqual([
      403,
      'Nobody reviews their own break-glass request',
    ]);
    const byBob = await env.api.post('bob', `/requests/${id}/review`, {
      outcome: 'appropriate',
      comment: 'Restarted the payment workers only',
    });
    expect([byBob.status, byBob.body.review?.outcome]).toEqual([
      200,
      'appropriate',
    ]);

    const history = (await detail(id)).events;
    expect(history.map(e => e.action)).toEqual([
      'create',
      'start-grant',
      'grant-succeeded',
      'end',
      'revoke-succeeded',
      'review',
    ]);
    expect(history.at(-1)).toMatchObject({
      actorRef: 'user:default/bob',
      message: 'Reviewed as appropriate: Restarted the payment workers only',
    });
    const csv = await env.api.get(
      'carol',
      '/audit/requests.csv?breakGlass=true',
    );
    expect(csv.status).toBe(200);
    const [header, row, ...rest] = csv.text.trim().split('\n');
    expect(rest).toEqual([]);
    expect(header.split(',').slice(-5)).toEqual([
      'break_glass',
      'review_outcome',
      'reviewed_by',
      'reviewed_at',
      'review_comment',
    ]);
    expect(row.split(',').slice(-5)).toEqual([
      'true',
      'appropriate',
      'user:default/bob',
      new Date(env.now).toISOString(),
      'Restarted the payment workers only',
    ]);
  });
});
