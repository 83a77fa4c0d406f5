import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  MINUTE,
  setUpProvisioningSandbox,
} from '../__testUtils__/provisioningSandbox';

/*
 * Extend in place (issue 14 §2) against the AWS sandbox over the wire: an
 * extension moves the end and makes no AWS call at all; the assignment is
 * removed at the new end.
 */

const ASSIGNMENT_WRITES = [
  'CreateAccountAssignment',
  'DeleteAccountAssignment',
];

describe('extend in place on the AWS sandbox', () => {
  const env = setUpProvisioningSandbox();
  const assigned = (account: string, ps: string) =>
    env.assigned(account, ps, 'alice');
  const detail = async (id: string): Promise<AccessRequest> =>
    (await env.api.get('alice', `/requests/${id}`)).body;

  async function activeRequest(
    account: string,
    ps: string,
    approver?: 'bob',
  ): Promise<AccessRequest> {
    const created = await env.request('alice', { account, ps });
    if (approver) {
      expect(
        (await env.api.post(approver, `/requests/${created.id}/approve`, {}))
          .status,
      ).toBe(200);
    }
    await env.api.runTask('lifecycle');
    const active = await detail(created.id);
    expect(active.status).toBe('active');
    expect(await assigned(account, ps)).toBe(1);
    return active;
  }

  it('an extension within a no-approval policy moves the end with no assignment call; removed at the new end', async () => {
    const active = await activeRequest('payments-dev', 'ReadOnlyAccess');
    env.setNow(env.now + 40 * MINUTE);
    await env.sandbox.clearCalls();

    const extended = await env.api.post(
      'alice',
      `/requests/${active.id}/extend`,
      {
        durationMinutes: 60,
        justification: 'The incident is still open',
      },
    );
    expect([extended.status, extended.body.error?.message]).toEqual([
      200,
      undefined,
    ]);
    const newEnd = Date.parse(active.grantedAt!) + 120 * MINUTE;
    expect((await detail(active.id)).endTime).toBe(
      new Date(newEnd).toISOString(),
    );
    // the old end passes: nothing is removed, nothing re-created
    env.setNow(Date.parse(active.endTime) + MINUTE);
    await env.api.runTask('lifecycle');
    expect((await detail(active.id)).status).toBe('active');
    expect(await env.sandbox.calls({ operations: ASSIGNMENT_WRITES })).toEqual(
      [],
    );
    expect(await assigned('payments-dev', 'ReadOnlyAccess')).toBe(1);

    // the new end: the assignment goes
    env.setNow(newEnd + MINUTE);
    await env.api.runTask('lifecycle');
    expect((await detail(active.id)).status).toBe('ended');
    expect(await assigned('payments-dev', 'ReadOnlyAccess')).toBe(0);
    const writes = await env.sandbox.calls({ operations: ASSIGNMENT_WRITES });
    expect(writes.map(c => c.operation)).toEqual(['DeleteAccountAssignment']);
  });

  it('an extension needing approval is approved by bob and refused to alice', async () => {
    const active = await activeRequest(
      'payments-prod',
      'PowerUserAccess',
      'bob',
    );
    env.setNow(env.now + 20 * MINUTE);
    await env.sandbox.clearCalls();

    const asked = await env.api.post('alice', `/requests/${active.id}/extend`, {
      durationMinutes: 60,
      justification: 'The migration takes longer',
    });
    expect([asked.status, asked.body.status]).toEqual([202, 'pending']);
    expect((await detail(active.id)).endTime).toBe(active.endTime);

    const byAlice = await env.api.post(
      'alice',
      `/requests/${active.id}/extension/approve`,
      {},
    );
    expect([byAlice.status, byAlice.body.error?.message]).toEqual([
      403,
      'You cannot decide on your own extension',
    ]);
    const byBob = await env.api.post(
      'bob',
      `/requests/${active.id}/extension/approve`,
      {},
    );
    expect([byBob.status, byBob.body.status]).toEqual([200, 'approved']);
    const newEnd = Date.parse(active.grantedAt!) + 120 * MINUTE;
    expect((await detail(active.id)).endTime).toBe(
      new Date(newEnd).toISOString(),
    );

    env.setNow(Date.parse(active.endTime) + MINUTE);
    await env.api.runTask('lifecycle');
    expect(await assigned('payments-prod', 'PowerUserAccess')).toBe(1);
    expect(await env.sandbox.calls({ operations: ASSIGNMENT_WRITES })).toEqual(
      [],
    );
    env.setNow(newEnd + MINUTE);
    await env.api.runTask('lifecycle');
    expect((await detail(active.id)).status).toBe('ended');
    expect(await assigned('payments-prod', 'PowerUserAccess')).toBe(0);
  });
});
