import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  ACCOUNT,
  DEMO_APPROVERS,
  DEMO_ELIGIBILITY,
  PS,
} from '../__testUtils__/fixtures';
import { powerUserRequest, setUpDemoBackend } from '../__testUtils__/scenarios';
import { startElevatedAccess } from '../__testUtils__/testBackend';
import { fakeDateOnly } from '../__testUtils__/fakeDate';

jest.setTimeout(60_000);

describe('the request API', () => {
  const backend = setUpDemoBackend();

  it('walks a request from creation to approval, with events and notifications', async () => {
    const eligibility = await backend.api.get('alice', '/eligibility');
    expect(eligibility.status).toBe(200);
    expect(
      eligibility.body.accounts.map((a: { name: string }) => a.name),
    ).toEqual(['data-dev', 'data-prod', 'payments-dev', 'payments-prod']);
    expect(
      eligibility.body.accounts[3].ouPath.map((o: { name: string }) => o.name),
    ).toEqual(['Workloads', 'Production']);
    const pair = eligibility.body.pairs.find(
      (p: any) =>
        p.accountId === ACCOUNT['payments-prod'] &&
        p.permissionSetArn === PS.PowerUserAccess,
    );
    expect(pair).toEqual({
      accountId: ACCOUNT['payments-prod'],
      permissionSetArn: PS.PowerUserAccess,
      options: [
        {
          maxDurationMinutes: 240,
          approvalRequired: true,
          ticketRequired: true,
          breakGlass: false,
          policyIds: [expect.any(String)],
          policyNames: [DEMO_ELIGIBILITY[1].name],
        },
      ],
      maxDurationMinutes: 240,
      approvalRequired: true,
      ticketRequired: true,
      approvers: ['group:default/platform-leads'],
      minApprovals: 1,
      // bob: someone besides alice can approve it
      otherApprovers: 1,
    });

    const created = await backend.api.post(
      'alice',
      '/requests',
      powerUserRequest,
    );
    expect(created.status).toBe(201);
    const request: AccessRequest = created.body;
    expect(request).toMatchObject({
      status: 'pending',
      requesterRef: 'user:default/alice',
      accountName: 'payments-prod',
      permissionSetName: 'PowerUserAccess',
      approverRefs: ['group:default/platform-leads'],
      capabilities: { canApprove: false, canCancel: true, canRevoke: false },
    });
    expect(backend.api.notifications.send).toHaveBeenCalledWith(
      expect.objectContaining({
        recipients: expect.objectContaining({
          entityRef: ['group:default/platform-leads'],
          excludeEntityRef: ['user:default/alice'],
        }),
        payload: expect.objectContaining({
          link: `/elevated-access/requests/${request.id}`,
        }),
      }),
    );
    expect(backend.api.signals.publish).toHaveBeenCalledWith(
      expect.objectContaining({
        channel: 'elevated-access',
        message: {
          type: 'request-changed',
          requestId: request.id,
          status: 'pending',
        },
      }),
    );

    const inbox = await backend.api.get(
      'bob',
      '/requests?view=approvals&status=pending',
    );
    expect(inbox.body.items.map((r: AccessRequest) => r.id)).toEqual([
      request.id,
    ]);
    expect(inbox.body.items[0].capabilities).toMatchObject({
      canApprove: true,
      canReject: true,
    });

    const approved = await backend.api.post(
      'bob',
      `/requests/${request.id}/approve`,
      {
        comment: 'go ahead',
      },
    );
    expect((await backend.api.get('bob', '/me')).body.pendingApprovals).toBe(0);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');

    const detail = await backend.api.get('alice', `/requests/${request.id}`);
    expect(detail.body.decisions).toEqual([
      expect.objectContaining({
        approverRef: 'user:default/bob',
        decision: 'approve',
        comment: 'go ahead',
      }),
    ]);
    expect(detail.body.events.map((e: any) => [e.action, e.toStatus])).toEqual([
      ['create', 'pending'],
      ['approve', 'approved'],
    ]);

    const mine = await backend.api.get('alice', '/requests?view=mine');
    expect(mine.body.items).toHaveLength(1);
    const all = await backend.api.get('carol', '/requests?view=all');
    expect(all.body.items).toHaveLength(1);
    expect((await backend.api.get('alice', '/requests?view=all')).status).toBe(
      403,
    );
  });

  it('approves at once when no approval is needed, and revokes before the start', async () => {
    const created = await backend.api.post('alice', '/requests', {
      ...powerUserRequest,
      permissionSetArn: PS.ReadOnlyAccess,
      ticketId: undefined,
      startTime: new Date(Date.now() + 3600_000).toISOString(),
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('approved');
    const revoked = await backend.api.post(
      'alice',
      `/requests/${created.body.id}/revoke`,
      {
        comment: 'not needed after all',
      },
    );
    expect(revoked.body).toMatchObject({
      status: 'revoked',
      revokedBy: 'user:default/alice',
      revokeComment: 'not needed after all',
    });
  });

  it('expires undecided requests and reminds approvers first', async () => {
    fakeDateOnly(new Date('2026-11-21T09:00:00Z'));
    try {
      const created = await backend.api.post(
        'alice',
        '/requests',
        powerUserRequest,
      );
      expect(created.body.expiresAt).toBe('2026-11-21T10:00:00.000Z');
      jest.setSystemTime(new Date('2026-11-21T09:50:00Z'));
      backend.api.notifications.send.mockClear();
      await backend.api.runLifecycle();
      expect(backend.api.notifications.send).toHaveBeenCalledWith(
        expect.objectContaining({
          payload: expect.objectContaining({
            title: expect.stringMatching(/^Expires soon/),
          }),
        }),
      );
      backend.api.notifications.send.mockClear();
      await backend.api.runLifecycle(); // the reminder goes out once
      expect(backend.api.notifications.send).not.toHaveBeenCalled();

      jest.setSystemTime(new Date('2026-11-21T10:00:01Z'));
      await backend.api.runLifecycle();
      const after = await backend.api.get(
        'alice',
        `/requests/${created.body.id}`,
      );
      expect(after.body.status).toBe('expired');
      expect(backend.api.notifications.send).toHaveBeenCalledWith(
        expect.objectContaining({
          recipients: { type: 'entity', entityRef: 'user:default/alice' },
          payload: expect.objectContaining({
            title: 'Expired: PowerUserAccess on payments-prod',
          }),
        }),
      );
      const late = await backend.api.post(
        'bob',
        `/requests/${created.body.id}/approve`,
        {},
      );
      expect(late.status).toBe(409);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps working when notifications fail', async () => {
    backend.api.notifications.send.mockRejectedValue(
      new Error('notifications down'),
    );
    backend.api.signals.publish.mockRejectedValue(new Error('signals down'));
    const created = await backend.api.post(
      'alice',
      '/requests',
      powerUserRequest,
    );
    expect(created.status).toBe(201);
    const approved = await backend.api.post(
      'bob',
      `/requests/${created.body.id}/approve`,
      {},
    );
    expect(approved.body.status).toBe('approved');
  });

  it('refuses a request nobody but the requester could approve', async () => {
    const policies = await backend.api.get('dave', '/policies/approval');
    for (const p of policies.body.items) {
      await backend.api.delete('dave', `/policies/approval/${p.id}`);
    }
    await backend.api.post('dave', '/policies/approval', {
      ...DEMO_APPROVERS[0],
      approvers: ['user:default/alice'],
    });
    const res = await backend.api.post('alice', '/requests', powerUserRequest);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/only 0 approvers other than you/);
    expect(
      (await backend.api.get('alice', '/requests?view=mine')).body.items,
    ).toEqual([]);
  });

  it('saves the first settings over the defaults, and refuses an edit of a stale copy', async () => {
    const defaults = await backend.api.get('dave', '/settings');
    expect(defaults.body.version).toBe(0);
    const { updatedAt: _u, updatedBy: _b, ...edit } = defaults.body;
    const saved = await backend.api.put('dave', '/settings', {
      ...edit,
      maxDurationMinutes: 120,
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      maxDurationMinutes: 120,
      version: 1,
      updatedBy: 'user:default/dave',
    });
    const stale = await backend.api.put('dave', '/settings', {
      ...edit,
      maxDurationMinutes: 60,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(/changed by user:default\/dave/);
    expect(
      (await backend.api.get('alice', '/settings')).body.maxDurationMinutes,
    ).toBe(120);
  });

  it('answers a plain 503 when the organisation cannot be read, the AWS error only in the log', async () => {
    const fresh = await startElevatedAccess({
      knex: await backend.newDatabase(),
    });
    (fresh.provider as any).targetsError = new Error(
      'AccessDenied: User: arn:aws:sts::123456789012:assumed-role/BackstageElevatedAccess/backstage is not authorized to perform: organizations:ListRoots',
    );
    const calls = [
      fresh.get('alice', '/eligibility'),
      fresh.post('alice', '/requests', {
        accountId: ACCOUNT['payments-prod'],
        permissionSetArn: PS.PowerUserAccess,
        durationMinutes: 60,
        justification: 'Fix the broken deployment pipeline',
        ticketId: 'OPS-7',
      }),
      fresh.post('dave', '/policies/eligibility', DEMO_ELIGIBILITY[0]),
      fresh.get('dave', '/targets'),
    ];
    for (const res of await Promise.all(calls)) {
      expect({ status: res.status, message: res.body.error?.message }).toEqual({
        status: 503,
        message: 'The AWS organisation is unavailable; try again shortly',
      });
      expect(JSON.stringify(res.body)).not.toMatch(
        /AccessDenied|123456789012|assumed-role|BackstageElevatedAccess|ListRoots/,
      );
    }
    await fresh.stop();
  });
});
