import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
} from '@aws-sdk/client-sso-admin';
import { DatabaseRequestStore } from '../database/RequestStore';
import {
  MINUTE,
  setUpProvisioningSandbox,
} from '../__testUtils__/provisioningSandbox';

/*
 * The lifecycle against the AWS sandbox over the wire. This file: the
 * assignments the plugin must leave alone (made before the grant, still held
 * by another request) and the drift it repairs.
 */

describe('provisioning on the AWS sandbox', () => {
  const env = setUpProvisioningSandbox();

  it('never deletes an assignment that existed before the grant', async () => {
    const { sandbox, sso, api, request, status, assigned, assignment, setNow } =
      env;
    await sso.send(
      new CreateAccountAssignmentCommand(
        assignment('payments-dev', 'ReadOnlyAccess', 'erin'),
      ),
    );
    const r = await request('erin', {
      account: 'payments-dev',
      ps: 'ReadOnlyAccess',
      duration: 30,
    });
    await api.runTask('lifecycle');
    expect((await status(r.id)).status).toBe('active');
    setNow(env.now + 31 * MINUTE);
    await api.runTask('lifecycle');
    const ended = await status(r.id);
    expect(ended.status).toBe('ended');
    expect(ended.events.at(-1).message).toMatch(
      /existed before Elevated Access/,
    );
    expect(await assigned('payments-dev', 'ReadOnlyAccess', 'erin')).toBe(1);
    expect(
      await sandbox.calls({ operations: ['DeleteAccountAssignment'] }),
    ).toEqual([]);
  });

  it('keeps access while an overlapping request still holds it', async () => {
    const { sandbox, seed, api, knex, request, status, assigned, setNow } = env;
    const first = await request('alice', {
      account: 'payments-dev',
      ps: 'ReadOnlyAccess',
      duration: 60,
    });
    // a second live request overlapping the first is refused today (409);
    // data from before that rule may still hold such pairs
    const refused = await api.post('alice', '/requests', {
      accountId: seed.accounts['payments-dev'],
      permissionSetArn: seed.permissionSets.ReadOnlyAccess,
      durationMinutes: 120,
      justification: 'Investigate the production incident',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain(first.id);
    const second = await DatabaseRequestStore.create({ knex }).create({
      requesterRef: 'user:default/alice',
      accountId: seed.accounts['payments-dev'],
      accountName: 'payments-dev',
      permissionSetArn: seed.permissionSets.ReadOnlyAccess,
      permissionSetName: 'ReadOnlyAccess',
      status: 'approved',
      startTime: new Date(env.now),
      endTime: new Date(env.now + 120 * MINUTE),
      durationMinutes: 120,
      justification: 'Legacy overlapping request',
      approvalRequired: false,
      minApprovals: 0,
      approverRefs: [],
      policyIds: [],
      createdAt: new Date(env.now),
    });
    await api.runTask('lifecycle');
    expect([
      (await status(first.id)).status,
      (await status(second.id)).status,
    ]).toEqual(['active', 'active']);

    setNow(env.now + 61 * MINUTE);
    await api.runTask('lifecycle');
    const firstEnded = await status(first.id);
    expect(firstEnded.status).toBe('ended');
    expect(firstEnded.events.at(-1).message).toMatch(
      new RegExp(`request ${second.id} still grants it`),
    );
    expect(await assigned('payments-dev', 'ReadOnlyAccess', 'alice')).toBe(1);

    setNow(env.now + 60 * MINUTE);
    await api.runTask('lifecycle');
    expect((await status(second.id)).status).toBe('ended');
    expect(await assigned('payments-dev', 'ReadOnlyAccess', 'alice')).toBe(0);
    expect(
      await sandbox.calls({ operations: ['CreateAccountAssignment'] }),
    ).toHaveLength(1);
    expect(
      await sandbox.calls({ operations: ['DeleteAccountAssignment'] }),
    ).toHaveLength(1);
  });

  it('repairs drift: re-creates a missing assignment and deletes an orphaned one', async () => {
    const { sso, api, knex, request, status, assigned, assignment } = env;
    const r = await request('alice', {
      account: 'data-dev',
      ps: 'ReadOnlyAccess',
      duration: 60,
    });
    await api.runTask('lifecycle');
    expect(await assigned('data-dev', 'ReadOnlyAccess', 'alice')).toBe(1);
    // someone deletes it by hand in the console
    await sso.send(
      new DeleteAccountAssignmentCommand(
        assignment('data-dev', 'ReadOnlyAccess', 'alice'),
      ),
    );
    await api.runTask('reconcile');
    expect(await assigned('data-dev', 'ReadOnlyAccess', 'alice')).toBe(1);
    const events = (await status(r.id)).events;
    expect(events.at(-1)).toMatchObject({
      action: 'reconcile',
      message: expect.stringMatching(/Drift repaired/),
    });

    // an assignment the plugin made that no request holds (e.g. a row deleted by hand)
    await knex('requests').where({ id: r.id }).update({ status: 'ended' });
    await api.runTask('reconcile');
    expect(await assigned('data-dev', 'ReadOnlyAccess', 'alice')).toBe(0);
    // the ledger remembers the plugin made it, and knows it is gone
    expect(await knex('assignments').select('pre_existing', 'present')).toEqual(
      [{ pre_existing: 0, present: 0 }],
    );
  });
});
