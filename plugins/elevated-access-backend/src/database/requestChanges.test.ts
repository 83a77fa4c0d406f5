import { Knex } from 'knex';
import { describeEachDatabase } from '../__testUtils__/databases';
import { ACCOUNT, PS } from '../__testUtils__/fixtures';
import { clearDatabase } from '../__testUtils__/snapshot';
import { applyMigrations } from './migrations';
import {
  DatabaseRequestStore,
  NewRequest,
  RequestStore,
  StoredRequest,
} from './RequestStore';

jest.setTimeout(120_000);

const T0 = new Date('2026-11-21T09:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const SYSTEM = 'system:elevated-access';
const ALICE = 'user:default/alice';

function newRequest(overrides: Partial<NewRequest> = {}): NewRequest {
  return {
    requesterRef: ALICE,
    accountId: ACCOUNT['payments-prod'],
    accountName: 'payments-prod',
    permissionSetArn: PS.PowerUserAccess,
    permissionSetName: 'PowerUserAccess',
    status: 'approved',
    startTime: T0,
    endTime: minutes(60),
    durationMinutes: 60,
    justification: 'Fix the broken deployment pipeline',
    approvalRequired: false,
    minApprovals: 0,
    approverRefs: [],
    policyIds: ['p1'],
    createdAt: T0,
    ...overrides,
  };
}

/**
 * What the store's intention-named methods write: the columns each status
 * change and lease hand-back sets, which callers no longer spell out.
 */
describeEachDatabase('request changes', init => {
  let knex: Knex;
  let requests: RequestStore;

  beforeAll(async () => {
    knex = await init();
    await applyMigrations(knex);
    requests = DatabaseRequestStore.create({ knex });
  });

  beforeEach(() => clearDatabase(knex));

  const lease = (id: string) =>
    knex('requests').where({ id }).first('claimed_by', 'claimed_until');

  /** An approved request moved to `granting` under replica-a's lease. */
  async function granting(): Promise<StoredRequest> {
    const r = await requests.create(newRequest());
    const claimed = await requests.claimByTransition(
      {
        id: r.id,
        from: 'approved',
        to: 'granting',
        action: 'start-grant',
        actorRef: SYSTEM,
        now: minutes(1),
      },
      { owner: 'replica-a', until: minutes(2) },
    );
    expect(claimed).toBe(true);
    return (await requests.get(r.id))!;
  }

  it('claims by transition once, and a grant ends granted with the lease given back', async () => {
    const r = await granting();
    expect(r.status).toBe('granting');
    expect(await lease(r.id)).toMatchObject({ claimed_by: 'replica-a' });
    expect(
      await requests.claimByTransition(
        {
          id: r.id,
          from: 'approved',
          to: 'granting',
          action: 'start-grant',
          actorRef: SYSTEM,
          now: minutes(1),
        },
        { owner: 'replica-b', until: minutes(2) },
      ),
    ).toBe(false);

    expect(
      await requests.recordPrincipal(r.id, 'replica-b', {
        principalId: 'p-other',
        userName: 'other',
      }),
    ).toBe(false);
    expect(
      await requests.recordPrincipal(r.id, 'replica-a', {
        principalId: 'p-alice',
        userName: 'alice',
      }),
    ).toBe(true);

    await requests.releaseForRetry(r.id, 'replica-a', {
      attempts: 2,
      nextAttemptAt: minutes(3),
    });
    expect(
      await requests.claim(
        r.id,
        'granting',
        'replica-a',
        minutes(3),
        minutes(4),
      ),
    ).toBe(true);
    expect(
      await requests.markGranted({
        id: r.id,
        actorRef: SYSTEM,
        now: minutes(3),
        message: 'Access granted',
        endTime: minutes(63),
      }),
    ).toBe(true);
    const active = (await requests.get(r.id))!;
    expect(active).toMatchObject({
      status: 'active',
      principalId: 'p-alice',
      principalName: 'alice',
      grantedAt: minutes(3).toISOString(),
      endTime: minutes(63).toISOString(),
      attempts: 0,
      nextAttemptAt: undefined,
    });
    expect(await lease(r.id)).toEqual({
      claimed_by: null,
      claimed_until: null,
    });
    expect(
      await requests.markGranted({
        id: r.id,
        actorRef: SYSTEM,
        now: minutes(4),
        message: 'Access granted',
        endTime: minutes(64),
      }),
    ).toBe(false);
  });

  it('releases for a retry counting the attempt and keeping the reason, or due at once', async () => {
    const r = await granting();
    await requests.releaseForRetry(r.id, 'replica-b', {
      attempts: 5,
      nextAttemptAt: minutes(9),
    });
    expect(await lease(r.id)).toMatchObject({ claimed_by: 'replica-a' });

    await requests.releaseForRetry(r.id, 'replica-a', {
      attempts: 1,
      nextAttemptAt: minutes(5),
      error: 'throttled',
    });
    expect(await requests.get(r.id)).toMatchObject({
      attempts: 1,
      nextAttemptAt: minutes(5).toISOString(),
      errorReason: 'throttled',
    });
    expect(await lease(r.id)).toEqual({
      claimed_by: null,
      claimed_until: null,
    });

    await requests.claim(r.id, 'granting', 'replica-a', minutes(5), minutes(6));
    await requests.releaseDueNow(r.id, 'replica-a');
    expect(await requests.get(r.id)).toMatchObject({
      attempts: 1,
      nextAttemptAt: undefined,
    });
  });

  it('fails or abandons a grant, and completes a revocation', async () => {
    const failed = await granting();
    expect(
      await requests.markGrantFailed({
        id: failed.id,
        actorRef: SYSTEM,
        now: minutes(2),
        reason: 'No such user',
      }),
    ).toBe(true);
    expect(await requests.get(failed.id)).toMatchObject({
      status: 'error',
      errorReason: 'No such user',
    });
    expect(await lease(failed.id)).toEqual({
      claimed_by: null,
      claimed_until: null,
    });

    const abandoned = await granting();
    expect(
      await requests.abandonGrant({
        id: abandoned.id,
        actorRef: SYSTEM,
        now: minutes(2),
        message: 'The access window ended before the grant completed',
      }),
    ).toBe(true);
    expect(await requests.get(abandoned.id)).toMatchObject({
      status: 'revoking',
      nextAttemptAt: undefined,
    });
    expect(await lease(abandoned.id)).toEqual({
      claimed_by: null,
      claimed_until: null,
    });

    await requests.claim(
      abandoned.id,
      'revoking',
      'replica-a',
      minutes(2),
      minutes(3),
    );
    await requests.releaseForRetry(abandoned.id, 'replica-a', {
      attempts: 3,
      nextAttemptAt: minutes(4),
      error: 'AccessDenied',
    });
    expect(
      await requests.markRevocationComplete({
        id: abandoned.id,
        to: 'ended',
        actorRef: SYSTEM,
        now: minutes(4),
        message: 'Assignment removed',
      }),
    ).toBe(true);
    expect(await requests.get(abandoned.id)).toMatchObject({
      status: 'ended',
      endedAt: minutes(4).toISOString(),
      errorReason: undefined,
      attempts: 0,
      nextAttemptAt: undefined,
    });
    const events = await requests.events(abandoned.id);
    expect(events.map(e => e.action)).toEqual([
      'create',
      'start-grant',
      'end',
      'revoke-succeeded',
    ]);
  });

  it('closes, revokes and retries as people do', async () => {
    const pending = await requests.create(newRequest({ status: 'pending' }));
    const closed = await requests.close({
      id: pending.id,
      from: 'pending',
      to: 'cancelled',
      action: 'cancel',
      actorRef: ALICE,
      now: minutes(1),
    });
    expect(closed).toMatchObject({
      status: 'cancelled',
      endedAt: minutes(1).toISOString(),
    });
    expect(
      await requests.tryClose({
        id: pending.id,
        from: 'pending',
        to: 'expired',
        action: 'expire',
        actorRef: SYSTEM,
        now: minutes(2),
      }),
    ).toBe(false);

    const approved = await requests.create(newRequest());
    expect(
      await requests.revoke({
        id: approved.id,
        from: 'approved',
        to: 'revoked',
        action: 'revoke',
        actorRef: 'user:default/bob',
        now: minutes(1),
        comment: 'Not needed',
      }),
    ).toMatchObject({
      status: 'revoked',
      revokedBy: 'user:default/bob',
      revokeComment: 'Not needed',
      endedAt: minutes(1).toISOString(),
    });

    const held = await granting();
    const revoking = await requests.revoke({
      id: held.id,
      from: 'granting',
      to: 'revoking',
      action: 'revoke',
      actorRef: 'user:default/bob',
      now: minutes(2),
    });
    expect(revoking).toMatchObject({
      status: 'revoking',
      revokedBy: 'user:default/bob',
      revokeComment: undefined,
      endedAt: undefined,
      nextAttemptAt: minutes(2).toISOString(),
    });
    expect(await lease(held.id)).toEqual({
      claimed_by: null,
      claimed_until: null,
    });

    const failed = await granting();
    await requests.markGrantFailed({
      id: failed.id,
      actorRef: SYSTEM,
      now: minutes(2),
      reason: 'No such user',
    });
    expect(
      await requests.retryFailed({
        id: failed.id,
        from: 'error',
        to: 'granting',
        action: 'retry-grant',
        actorRef: 'user:default/admin',
        now: minutes(3),
      }),
    ).toMatchObject({
      status: 'granting',
      errorReason: undefined,
      attempts: 0,
      nextAttemptAt: undefined,
    });
  });
});
