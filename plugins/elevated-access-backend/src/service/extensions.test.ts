import { InMemoryAccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node/testUtils';
import { describeEachDatabase } from '../__testUtils__/databases';
import { fakeDateOnly } from '../__testUtils__/fakeDate';
import { ACCOUNT, PS } from '../__testUtils__/fixtures';
import { powerUserRequest, seedDemoPolicies } from '../__testUtils__/scenarios';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

/* "Ends soon" and extend in place (issue 14 §2). */

const MINUTE = 60_000;
const T0 = new Date('2026-11-21T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);

const readOnly = {
  accountId: ACCOUNT['payments-dev'],
  permissionSetArn: PS.ReadOnlyAccess,
  durationMinutes: 60,
  justification: 'Look at the failing dashboards',
};

describeEachDatabase('extend in place', init => {
  let api: ElevatedAccessTestBackend;

  beforeEach(async () => {
    fakeDateOnly(T0);
    api = await startElevatedAccess({ knex: await init() });
    await seedDemoPolicies(api);
  });
  afterEach(async () => {
    jest.useRealTimers();
    await api.stop();
  });

  const provider = () => api.provider as InMemoryAccessProvider;
  const titles = (to?: string) =>
    api.notifications.send.mock.calls
      .map(([o]) => o)
      .filter(
        o =>
          !to ||
          (o.recipients as { entityRef: string | string[] }).entityRef === to,
      )
      .map(o => o.payload.title);

  /** alice asks for `minutes` more: the migration takes longer. */
  const askToExtend = (id: string, minutes = 60) =>
    api.post('alice', `/requests/${id}/extend`, {
      durationMinutes: minutes,
      justification: 'The migration takes longer',
    });
  /** `who` approves or rejects the request's pending extension. */
  const decideExtension = (
    who: string,
    id: string,
    decision: 'approve' | 'reject',
    body: object = {},
  ) => api.post(who, `/requests/${id}/extension/${decision}`, body);

  async function activeRequest(body: object, approver?: string) {
    const created = await api.post('alice', '/requests', body);
    expect(created.status).toBe(201);
    if (approver) {
      const approved = await api.post(
        approver,
        `/requests/${created.body.id}/approve`,
        {},
      );
      expect(approved.status).toBe(200);
    }
    await api.runLifecycle();
    const detail = (await api.get('alice', `/requests/${created.body.id}`))
      .body;
    expect(detail.status).toBe('active');
    return detail;
  }

  it('moves the end at once within a no-approval policy, with no AWS call, and ends there', async () => {
    const request = await activeRequest(readOnly);
    const callsBefore = provider().calls.length;
    jest.setSystemTime(at(30));

    expect(
      (await api.get('alice', `/requests/${request.id}/extension`)).body,
    ).toMatchObject({ canExtend: true, extensions: [] });
    expect(
      (await api.get('bob', `/requests/${request.id}/extension`)).body
        .canExtend,
    ).toBe(false);

    const extended = await api.post('alice', `/requests/${request.id}/extend`, {
      durationMinutes: 60,
      justification: 'The incident is still open',
    });
    expect([extended.status, extended.body.error?.message]).toEqual([
      200,
      undefined,
    ]);
    expect(extended.body).toMatchObject({
      status: 'approved',
      addedMinutes: 60,
      totalMinutes: 120,
      approvalRequired: false,
      newEndTime: at(120).toISOString(),
    });
    const detail = (await api.get('alice', `/requests/${request.id}`)).body;
    expect(detail.endTime).toBe(at(120).toISOString());
    expect(detail.events.at(-1)).toMatchObject({
      action: 'extend',
      actorRef: 'user:default/alice',
    });
    expect(titles('user:default/alice')).toContain(
      'Extended: ReadOnlyAccess on payments-dev',
    );
    expect(provider().calls.length).toBe(callsBefore);

    // still active after the old end, removed at the new one
    jest.setSystemTime(at(61));
    await api.runLifecycle();
    expect(
      (await api.get('alice', `/requests/${request.id}`)).body.status,
    ).toBe('active');
    jest.setSystemTime(at(121));
    await api.runLifecycle();
    expect(
      (await api.get('alice', `/requests/${request.id}`)).body.status,
    ).toBe('ended');
    expect(provider().calls.map(c => c.op)).toEqual(['grant', 'revoke']);
  });

  it('refuses beyond every cap (naming it), for anyone but the requester, and when not active', async () => {
    const request = await activeRequest(readOnly);
    const tooLong = await api.post('alice', `/requests/${request.id}/extend`, {
      durationMinutes: 8 * 60,
      justification: 'The incident is still open',
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toBe(
      'Invalid input: durationMinutes: 8 h more would make 9 h from the grant; ReadOnlyAccess on payments-dev can be requested for at most 8 h',
    );
    const bob = await api.post('bob', `/requests/${request.id}/extend`, {
      durationMinutes: 30,
      justification: 'The incident is still open',
    });
    expect([bob.status, bob.body.error.message]).toEqual([
      403,
      'Only the requester can extend their access',
    ]);
    const bad = await api.post('alice', `/requests/${request.id}/extend`, {
      durationMinutes: 0,
    });
    expect(bad.status).toBe(400);

    jest.setSystemTime(at(61));
    await api.runLifecycle();
    const ended = await api.post('alice', `/requests/${request.id}/extend`, {
      durationMinutes: 30,
      justification: 'The incident is still open',
    });
    expect([ended.status, ended.body.error.message]).toEqual([
      409,
      'The request is ended; only active access can be extended',
    ]);
  });

  it('asks the approvers when the total needs approval; access continues meanwhile; bob decides, alice cannot', async () => {
    const request = await activeRequest(powerUserRequest, 'bob');
    const endBefore = request.endTime;
    jest.setSystemTime(at(20));
    api.notifications.send.mockClear();

    const asked = await askToExtend(request.id);
    expect([asked.status, asked.body.error?.message]).toEqual([202, undefined]);
    expect(asked.body).toMatchObject({
      status: 'pending',
      approvalRequired: true,
      minApprovals: 1,
      totalMinutes: 120,
    });
    expect(
      (await api.get('alice', `/requests/${request.id}`)).body.endTime,
    ).toBe(endBefore);
    expect(titles()).toContain(
      'Approve extension: PowerUserAccess on payments-prod for alice',
    );

    const again = await askToExtend(request.id, 30);
    expect([again.status, again.body.error?.message]).toEqual([
      409,
      'An extension of this access already awaits approval; wait for its decision',
    ]);

    const own = await decideExtension('alice', request.id, 'approve');
    expect(own.status).toBe(403);
    const auditor = await decideExtension('carol', request.id, 'approve');
    expect(auditor.status).toBe(403);

    const view = (await api.get('bob', `/requests/${request.id}/extension`))
      .body;
    expect(view.pending).toMatchObject({ status: 'pending', canDecide: true });
    // bob's approvals view flags the request with the pending extension
    const inbox = (await api.get('bob', '/requests?view=approvals')).body;
    expect(
      inbox.items.find((r: { id: string }) => r.id === request.id),
    ).toMatchObject({ status: 'active', pendingExtensionId: view.pending.id });
    expect(
      (await api.get('alice', `/requests/${request.id}/extension`)).body.pending
        .canDecide,
    ).toBe(false);

    const approved = await decideExtension('bob', request.id, 'approve', {
      comment: 'Fine',
    });
    expect([approved.status, approved.body.error?.message]).toEqual([
      200,
      undefined,
    ]);
    const detail = (await api.get('alice', `/requests/${request.id}`)).body;
    expect(Date.parse(detail.endTime) - Date.parse(detail.grantedAt)).toBe(
      120 * MINUTE,
    );
    expect(detail.events.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['extension-request', 'extension-approve']),
    );
    expect(titles('user:default/alice')).toContain(
      'Extended: PowerUserAccess on payments-prod',
    );
    const twice = await decideExtension('bob', request.id, 'approve');
    expect(twice.status).toBe(404);
  });

  it('a rejection needs a comment and tells the requester; the end stays', async () => {
    const request = await activeRequest(powerUserRequest, 'bob');
    await askToExtend(request.id);
    const silent = await decideExtension('bob', request.id, 'reject');
    expect([silent.status, silent.body.error?.message]).toEqual([
      400,
      'Invalid input: comment: Say why you reject the extension',
    ]);
    const rejected = await decideExtension('bob', request.id, 'reject', {
      comment: 'Finish tomorrow',
    });
    expect(rejected.body.status).toBe('rejected');
    expect(
      (await api.get('alice', `/requests/${request.id}`)).body.endTime,
    ).toBe(request.endTime);
    expect(titles('user:default/alice')).toContain(
      'Extension rejected: PowerUserAccess on payments-prod',
    );
    // a new extension may be asked for once nothing is pending
    expect(
      (await api.get('alice', `/requests/${request.id}/extension`)).body
        .canExtend,
    ).toBe(true);
  });

  it('a pending extension lapses when the access ends first', async () => {
    const request = await activeRequest(powerUserRequest, 'bob');
    await askToExtend(request.id);
    jest.setSystemTime(at(61));
    await api.runLifecycle();
    await api.runLifecycle();
    const view = (await api.get('alice', `/requests/${request.id}/extension`))
      .body;
    expect(view.pending).toBeUndefined();
    expect(view.extensions[0].status).toBe('lapsed');
    expect(titles('user:default/alice')).toContain(
      'Extension lapsed: PowerUserAccess on payments-prod',
    );
    const late = await decideExtension('bob', request.id, 'approve');
    expect(late.status).toBe(404);
  });

  it('tells the requester once that access ends soon, with a link that opens the extend dialog', async () => {
    const request = await activeRequest(readOnly);
    jest.setSystemTime(at(44));
    await api.runLifecycle();
    expect(titles().filter(t => t.startsWith('Ends soon'))).toEqual([]);
    jest.setSystemTime(at(46));
    await api.runLifecycle();
    await api.runLifecycle();
    const sent = api.notifications.send.mock.calls
      .map(([o]) => o)
      .filter(o => o.payload.title.startsWith('Ends soon'));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      recipients: { type: 'entity', entityRef: 'user:default/alice' },
      payload: {
        title: 'Ends soon: ReadOnlyAccess on payments-dev',
        link: `/elevated-access/requests/${request.id}?extend=1`,
      },
    });
    // an extension gives the new end its own notice
    await api.post('alice', `/requests/${request.id}/extend`, {
      durationMinutes: 60,
      justification: 'The incident is still open',
    });
    jest.setSystemTime(at(106));
    await api.runLifecycle();
    expect(titles().filter(t => t.startsWith('Ends soon'))).toHaveLength(2);
  });

  it('does not say "ends soon" for a window shorter than twice the notice', async () => {
    await activeRequest({ ...readOnly, durationMinutes: 20 });
    for (const minute of [1, 6, 10, 19]) {
      jest.setSystemTime(at(minute));
      await api.runLifecycle();
    }
    expect(titles().filter(t => t.startsWith('Ends soon'))).toEqual([]);
  });
});
