import {
  approvedRequest,
  minutes,
  describeWithStores,
} from '../__testUtils__/storeTests';
import { StoredRequest, Transition } from './RequestStore';

jest.setTimeout(120_000);

const SYSTEM = 'system:elevated-access';
const ALICE = 'user:default/alice';

/**
 * What the store's intention-named methods write: the columns each status
 * change and lease hand-back sets, which callers no longer spell out.
 */
describeWithStores('request changes', stores => {
  const lease = (id: string) =>
    stores.knex('requests').where({ id }).first('claimed_by', 'claimed_until');
  /** What lease() reads once the lease is given back. */
  const NO_LEASE = { claimed_by: null, claimed_until: null };
  /** The system's move of an approved request to granting, at minute 1. */
  const startGrant = (id: string): Transition => ({
    id,
    from: 'approved',
    to: 'granting',
    action: 'start-grant',
    actorRef: SYSTEM,
    now: minutes(1),
  });

  /** An approved request moved to `granting` under replica-a's lease. */
  async function granting(): Promise<StoredRequest> {
    const r = await stores.requests.create(approvedRequest());
    const claimed = await stores.requests.claimByTransition(startGrant(r.id), {
      owner: 'replica-a',
      until: minutes(2),
    });
    expect(claimed).toBe(true);
    return (await stores.requests.get(r.id))!;
  }

  it('claims by transition once, and a grant ends granted with the lease given back', async () => {
    const r = await granting();
    expect(r.status).toBe('granting');
    expect(await lease(r.id)).toMatchObject({ claimed_by: 'replica-a' });
    expect(
      await stores.requests.claimByTransition(startGrant(r.id), {
        owner: 'replica-b',
        until: minutes(2),
      }),
    ).toBe(false);

    expect(
      await stores.requests.recordPrincipal(r.id, 'replica-b', {
        principalId: 'p-other',
        userName: 'other',
      }),
    ).toBe(false);
    expect(
      await stores.requests.recordPrincipal(r.id, 'replica-a', {
        principalId: 'p-alice',
        userName: 'alice',
      }),
    ).toBe(true);

    await stores.requests.releaseForRetry(r.id, 'replica-a', {
      attempts: 2,
      nextAttemptAt: minutes(3),
    });
    expect(
      await stores.requests.claim(
        r.id,
        'granting',
        'replica-a',
        minutes(3),
        minutes(4),
      ),
    ).toBe(true);
    expect(
      await stores.requests.markGranted({
        id: r.id,
        actorRef: SYSTEM,
        now: minutes(3),
        message: 'Access granted',
        endTime: minutes(63),
      }),
    ).toBe(true);
    const active = (await stores.requests.get(r.id))!;
    expect(active).toMatchObject({
      status: 'active',
      principalId: 'p-alice',
      principalName: 'alice',
      grantedAt: minutes(3).toISOString(),
      endTime: minutes(63).toISOString(),
      attempts: 0,
      nextAttemptAt: undefined,
    });
    expect(await lease(r.id)).toEqual(NO_LEASE);
    expect(
      await stores.requests.markGranted({
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
    await stores.requests.releaseForRetry(r.id, 'replica-b', {
      attempts: 5,
      nextAttemptAt: minutes(9),
    });
    expect(await lease(r.id)).toMatchObject({ claimed_by: 'replica-a' });

    await stores.requests.releaseForRetry(r.id, 'replica-a', {
      attempts: 1,
      nextAttemptAt: minutes(5),
      error: 'throttled',
    });
    expect(await stores.requests.get(r.id)).toMatchObject({
      attempts: 1,
      nextAttemptAt: minutes(5).toISOString(),
      errorReason: 'throttled',
    });
    expect(await lease(r.id)).toEqual(NO_LEASE);

    await stores.requests.claim(
      r.id,
      'granting',
      'replica-a',
      minutes(5),
      minutes(6),
    );
    await stores.requests.releaseDueNow(r.id, 'replica-a');
    expect(await stores.requests.get(r.id)).toMatchObject({
      attempts: 1,
      nextAttemptAt: undefined,
    });
  });

  it('fails or abandons a grant, and completes a revocation', async () => {
    const failed = await granting();
    expect(
      await stores.requests.markGrantFailed({
        id: failed.id,
        actorRef: SYSTEM,
        now: minutes(2),
        reason: 'No such user',
      }),
    ).toBe(true);
    expect(await stores.requests.get(failed.id)).toMatchObject({
      status: 'error',
      errorReason: 'No such user',
    });
    expect(await lease(failed.id)).toEqual(NO_LEASE);

    const abandoned = await granting();
    expect(
      await stores.requests.abandonGrant({
        id: abandoned.id,
        actorRef: SYSTEM,
        now: minutes(2),
        message: 'The access window ended before the grant completed',
      }),
    ).toBe(true);
    expect(await stores.requests.get(abandoned.id)).toMatchObject({
      status: 'revoking',
      nextAttemptAt: undefined,
    });
    expect(await lease(abandoned.id)).toEqual(NO_LEASE);

    await stores.requests.claim(
      abandoned.id,
      'revoking',
      'replica-a',
      minutes(2),
      minutes(3),
    );
    await stores.requests.releaseForRetry(abandoned.id, 'replica-a', {
      attempts: 3,
      nextAttemptAt: minutes(4),
      error: 'AccessDenied',
    });
    expect(
      await stores.requests.markRevocationComplete({
        id: abandoned.id,
        to: 'ended',
        actorRef: SYSTEM,
        now: minutes(4),
        message: 'Assignment removed',
      }),
    ).toBe(true);
    expect(await stores.requests.get(abandoned.id)).toMatchObject({
      status: 'ended',
      endedAt: minutes(4).toISOString(),
      errorReason: undefined,
      attempts: 0,
      nextAttemptAt: undefined,
    });
    const events = await stores.requests.events(abandoned.id);
    expect(events.map(e => e.action)).toEqual([
      'create',
      'start-grant',
      'end',
      'revoke-succeeded',
    ]);
  });

  it('closes, revokes and retries as people do', async () => {
    const pending = await stores.requests.create(
      approvedRequest({ status: 'pending' }),
    );
    const closed = await stores.requests.close({
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
      await stores.requests.tryClose({
        id: pending.id,
        from: 'pending',
        to: 'expired',
        action: 'expire',
        actorRef: SYSTEM,
        now: minutes(2),
      }),
    ).toBe(false);

    const approved = await stores.requests.create(approvedRequest());
    expect(
      await stores.requests.revoke({
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
    const revoking = await stores.requests.revoke({
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
    expect(await lease(held.id)).toEqual(NO_LEASE);

    const failed = await granting();
    await stores.requests.markGrantFailed({
      id: failed.id,
      actorRef: SYSTEM,
      now: minutes(2),
      reason: 'No such user',
    });
    expect(
      await stores.requests.retryFailed({
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
