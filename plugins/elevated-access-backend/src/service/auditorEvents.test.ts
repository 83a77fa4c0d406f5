import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { BUILT_IN_SETTINGS } from '../config';
import {
  DEMO_APPROVERS,
  DEMO_ELIGIBILITY,
  OU,
  PS,
} from '../__testUtils__/fixtures';
import { powerUserRequest } from '../__testUtils__/scenarios';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/*
 * The events the plugin reports to `coreServices.auditor` (the real auditor
 * service, its output captured): every decision, revocation, policy and
 * settings change, by whom, on what, and whether it succeeded — denied
 * attempts included, as failures with the error.
 */
describe('auditor events', () => {
  let api: ElevatedAccessTestBackend;
  let knex: Knex;

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    api = await startElevatedAccess({ knex });
  });
  afterEach(() => api.stop());

  /** The plugin's events since `from`, in the order they were reported. */
  const eventsOf = (eventId: string, from = 0) =>
    api.auditEvents
      .slice(from)
      .filter(e => e.plugin === 'elevated-access' && e.eventId === eventId);

  /**
   * What one action reports: its event initiated, then its outcome, each
   * with at least the fields given (the outcome's status among them).
   */
  const initiatedThen = (
    eventId: string,
    initiated: object,
    outcome: object,
  ) => [
    expect.objectContaining({ eventId, status: 'initiated', ...initiated }),
    expect.objectContaining({ eventId, ...outcome }),
  ];
  /** An event's actor: this user. */
  const actorIs = (user: string) =>
    expect.objectContaining({ actorId: `user:default/${user}` });

  /** The events of one action: initiated, then succeeded or failed. */
  async function action(run: () => Promise<unknown>) {
    const from = api.auditEvents.length;
    await run();
    return api.auditEvents
      .slice(from)
      .filter(e => e.plugin === 'elevated-access');
  }

  it('reports policy changes with the actor, the policy and the outcome', async () => {
    const created = await action(async () => {
      const res = await api.post(
        'dave',
        '/policies/eligibility',
        DEMO_ELIGIBILITY[0],
      );
      expect(res.status).toBe(201);
    });
    const id = (await api.get('dave', '/policies/eligibility')).body.items[0]
      .id;
    expect(created).toEqual(
      initiatedThen(
        'policy-create',
        {
          severityLevel: 'high',
          actor: actorIs('dave'),
          request: {
            method: 'POST',
            url: '/api/elevated-access/policies/eligibility',
          },
          meta: { kind: 'eligibility' },
        },
        {
          severityLevel: 'high',
          status: 'succeeded',
          actor: actorIs('dave'),
          meta: { kind: 'eligibility', policyId: id },
        },
      ),
    );

    const updated = await action(() =>
      api.put('dave', `/policies/eligibility/${id}`, {
        ...DEMO_ELIGIBILITY[0],
        maxDurationMinutes: 60,
      }),
    );
    expect(updated[1]).toMatchObject({
      eventId: 'policy-update',
      severityLevel: 'high',
      status: 'succeeded',
      actor: { actorId: 'user:default/dave' },
      meta: { kind: 'eligibility', policyId: id, version: 2 },
    });

    // an auditor may read but not change policies: a failure, with the error
    const denied = await action(async () => {
      const res = await api.delete('carol', `/policies/eligibility/${id}`);
      expect(res.status).toBe(403);
    });
    expect(denied).toEqual(
      initiatedThen(
        'policy-delete',
        {},
        {
          severityLevel: 'high',
          status: 'failed',
          actor: actorIs('carol'),
          meta: { kind: 'eligibility', policyId: id },
          error: expect.objectContaining({ name: 'NotAllowedError' }),
        },
      ),
    );

    const deleted = await action(() =>
      api.delete('dave', `/policies/eligibility/${id}`),
    );
    expect(deleted[1]).toMatchObject({
      eventId: 'policy-delete',
      status: 'succeeded',
      actor: { actorId: 'user:default/dave' },
      meta: { kind: 'eligibility', policyId: id },
    });
    // an approver policy is reported the same way, with its kind
    await api.post('dave', '/policies/approval', DEMO_APPROVERS[0]);
    expect(eventsOf('policy-create').pop()).toMatchObject({
      status: 'succeeded',
      meta: { kind: 'approver', policyId: expect.any(String) },
    });
  });

  it('reports settings changes, and refused ones as failures', async () => {
    const saved = await action(async () => {
      const res = await api.put('dave', '/settings', {
        ...BUILT_IN_SETTINGS,
        maxDurationMinutes: 120,
      });
      expect(res.status).toBe(200);
    });
    expect(saved).toEqual(
      initiatedThen(
        'settings-update',
        {
          severityLevel: 'high',
          actor: actorIs('dave'),
          request: { method: 'PUT', url: '/api/elevated-access/settings' },
        },
        {
          status: 'succeeded',
          meta: { version: 1 },
        },
      ),
    );

    const refused = await action(async () => {
      const res = await api.put('carol', '/settings', BUILT_IN_SETTINGS);
      expect(res.status).toBe(403);
    });
    expect(refused[1]).toMatchObject({
      eventId: 'settings-update',
      status: 'failed',
      actor: { actorId: 'user:default/carol' },
      error: expect.objectContaining({ name: 'NotAllowedError' }),
    });

    // a stale version is a conflict: a failure too
    const stale = await action(() =>
      api.put('dave', '/settings', { ...BUILT_IN_SETTINGS, version: 0 }),
    );
    expect(stale[1]).toMatchObject({
      eventId: 'settings-update',
      status: 'failed',
      error: expect.objectContaining({ name: 'ConflictError' }),
    });
  });

  it('reports decisions and revocations with the request and the actor', async () => {
    for (const policy of DEMO_ELIGIBILITY) {
      await api.post('dave', '/policies/eligibility', policy);
    }
    for (const policy of DEMO_APPROVERS) {
      await api.post('dave', '/policies/approval', policy);
    }
    const first = await api.post('alice', '/requests', powerUserRequest);
    expect(eventsOf('request-create').pop()).toMatchObject({
      status: 'succeeded',
      severityLevel: 'medium',
      actor: { actorId: 'user:default/alice' },
      meta: { requestId: first.body.id, status: 'pending' },
    });

    // frank approves only the Security OU: refused, and reported as such
    const outOfScope = await action(async () => {
      const res = await api.post(
        'frank',
        `/requests/${first.body.id}/approve`,
        {},
      );
      expect(res.status).toBe(403);
    });
    expect(outOfScope).toEqual(
      initiatedThen(
        'request-approve',
        {
          meta: { requestId: first.body.id },
        },
        {
          severityLevel: 'high',
          status: 'failed',
          actor: actorIs('frank'),
          meta: { requestId: first.body.id },
          error: expect.objectContaining({ name: 'NotAllowedError' }),
        },
      ),
    );

    const approved = await action(() =>
      api.post('bob', `/requests/${first.body.id}/approve`, {
        comment: 'go ahead',
        durationMinutes: 30,
      }),
    );
    expect(approved).toEqual(
      initiatedThen(
        'request-approve',
        {
          severityLevel: 'high',
          actor: actorIs('bob'),
          request: {
            method: 'POST',
            url: `/api/elevated-access/requests/${first.body.id}/approve`,
          },
          meta: { requestId: first.body.id },
        },
        {
          status: 'succeeded',
          actor: actorIs('bob'),
          meta: { requestId: first.body.id, status: 'approved' },
        },
      ),
    );

    const second = await api.post('alice', '/requests', {
      ...powerUserRequest,
      permissionSetArn: PS.PowerUserAccess,
      startTime: new Date(Date.now() + 2 * 24 * 3600_000).toISOString(),
    });
    const rejected = await action(() =>
      api.post('bob', `/requests/${second.body.id}/reject`, {
        comment: 'not this week',
      }),
    );
    expect(rejected[1]).toMatchObject({
      eventId: 'request-reject',
      severityLevel: 'high',
      status: 'succeeded',
      actor: { actorId: 'user:default/bob' },
      meta: { requestId: second.body.id, status: 'rejected' },
    });
    // deciding again is a conflict, reported as a failure
    const again = await action(() =>
      api.post('bob', `/requests/${second.body.id}/reject`, { comment: 'no' }),
    );
    expect(again[1]).toMatchObject({
      eventId: 'request-reject',
      status: 'failed',
      meta: { requestId: second.body.id },
      error: expect.any(Error),
    });

    const revoked = await action(() =>
      api.post('bob', `/requests/${first.body.id}/revoke`, {
        comment: 'done',
      }),
    );
    expect(revoked).toEqual(
      initiatedThen(
        'request-revoke',
        {
          severityLevel: 'high',
          actor: actorIs('bob'),
          meta: { requestId: first.body.id },
        },
        {
          status: 'succeeded',
          meta: { requestId: first.body.id, status: 'revoked' },
        },
      ),
    );
    // erin is neither the requester nor an approver
    const notHers = await action(() =>
      api.post('erin', `/requests/${first.body.id}/revoke`, { comment: 'x' }),
    );
    expect(notHers[1]).toMatchObject({
      eventId: 'request-revoke',
      status: 'failed',
      actor: { actorId: 'user:default/erin' },
      meta: { requestId: first.body.id },
    });
  });

  it('reports exports of the approval history', async () => {
    const exported = await action(async () => {
      const res = await api.get('carol', '/audit/decisions.csv');
      expect(res.status).toBe(200);
    });
    expect(exported).toEqual(
      initiatedThen(
        'audit-export-decisions',
        {},
        {
          severityLevel: 'medium',
          status: 'succeeded',
          actor: actorIs('carol'),
        },
      ),
    );
    const refused = await action(() =>
      api.get('alice', '/audit/decisions.csv'),
    );
    expect(refused[1]).toMatchObject({
      eventId: 'audit-export-decisions',
      status: 'failed',
      actor: { actorId: 'user:default/alice' },
    });
  });

  it('reports break-glass as high, and its review with the outcome, refusals as failures', async () => {
    await api.post('dave', '/policies/eligibility', {
      ...DEMO_ELIGIBILITY[1],
      name: 'Break-glass',
      ous: [OU.Workloads],
      maxDurationMinutes: 60,
      breakGlass: true,
    });
    await api.post('dave', '/policies/approval', DEMO_APPROVERS[0]);
    const created = await action(async () => {
      const res = await api.post('alice', '/requests', {
        ...powerUserRequest,
        durationMinutes: 60,
        breakGlass: true,
      });
      expect(res.status).toBe(201);
    });
    const id = (created[1].meta as { requestId: string }).requestId;
    expect(created).toEqual(
      initiatedThen(
        'request-create',
        {
          severityLevel: 'high',
          meta: { breakGlass: true },
        },
        {
          severityLevel: 'high',
          status: 'succeeded',
          actor: actorIs('alice'),
          meta: { requestId: id, status: 'approved', breakGlass: true },
        },
      ),
    );
    await api.runLifecycle();
    // as if it had ended and its activity been collected
    await knex('requests').where({ id }).update({
      status: 'ended',
      ended_at: new Date(),
      activity_complete: true,
    });

    const own = await action(() =>
      api.post('alice', `/requests/${id}/review`, { outcome: 'appropriate' }),
    );
    expect(own[1]).toMatchObject({
      eventId: 'request-review',
      severityLevel: 'high',
      status: 'failed',
      actor: { actorId: 'user:default/alice' },
      meta: { requestId: id },
      error: expect.objectContaining({ name: 'NotAllowedError' }),
    });
    const reviewed = await action(() =>
      api.post('bob', `/requests/${id}/review`, {
        outcome: 'inappropriate',
        comment: 'Deleted a bucket',
      }),
    );
    expect(reviewed[1]).toMatchObject({
      eventId: 'request-review',
      severityLevel: 'high',
      status: 'succeeded',
      actor: { actorId: 'user:default/bob' },
      meta: { requestId: id, outcome: 'inappropriate' },
    });
  });
});
