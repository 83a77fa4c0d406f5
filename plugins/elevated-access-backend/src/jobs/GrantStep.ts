import { windowFromGrant } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Triple } from '../database/AssignmentLedger';
import { StoredRequest } from '../database/RequestStore';
import { BUSY, LostLockError, ProvisioningStep } from './ProvisioningStep';
import { SYSTEM_ACTOR } from './systemActor';

/** What one attempt at a grant came to. */
type GrantOutcome =
  /** The assignment exists; `note` says when it was there already. */
  | { kind: 'granted'; note?: string }
  | { kind: 'failed'; reason: string }
  /** The end came before the grant completed. */
  | { kind: 'window-closed' }
  /** No longer this replica's grant (revoked meanwhile, lease lost). */
  | { kind: 'gone' }
  | typeof BUSY;

/**
 * Grants what is due: approved requests whose start has come, plus grants a
 * dead or slow replica left in `granting`. A grant is only `active` once the
 * target confirms it. Nothing is created for a request that is no longer
 * `granting` or whose window has closed, re-checked after every AWS read.
 */
export class GrantStep extends ProvisioningStep<GrantOutcome> {
  name = 'grant';

  protected async claim(limit: number): Promise<StoredRequest[]> {
    const { requests, clock, owner } = this.deps;
    const now = clock.now();
    await this.closeElapsedWindows(now);
    return this.claimByTransition(
      (at, n) => requests.dueToGrant(at, n),
      'granting',
      async (r, at) =>
        (await this.stillEligible(r, at)) &&
        requests.claimByTransition(
          {
            id: r.id,
            from: 'approved',
            to: 'granting',
            action: 'start-grant',
            actorRef: SYSTEM_ACTOR,
            now: at,
            message: 'Start time reached; granting',
          },
          { owner, until: this.leaseUntil() },
        ),
      limit,
    );
  }

  /**
   * A grant re-checks what creation checked: a requester who is no longer
   * eligible under the request's terms gets nothing, and is told why.
   */
  private async stillEligible(r: StoredRequest, now: Date): Promise<boolean> {
    const { requests, notifier, eligibility } = this.deps;
    if (!eligibility) return true;
    const recheck = await eligibility(r);
    if (recheck.ok) return true;
    const ended = await requests.tryClose({
      id: r.id,
      from: 'approved',
      to: 'ended',
      action: 'ineligible',
      actorRef: SYSTEM_ACTOR,
      now,
      message: `Not granted: ${recheck.reason}`,
    });
    if (ended) {
      await notifier.notify(
        { ...r, status: 'ended' },
        { kind: 'ineligible', reason: recheck.reason },
      );
    }
    return false;
  }

  /** Windows that closed before anything was granted (e.g. the backend was down). */
  private async closeElapsedWindows(now: Date) {
    const { requests } = this.deps;
    for (const r of await requests.windowElapsed(now, 500)) {
      await requests.tryClose({
        id: r.id,
        from: 'approved',
        to: 'ended',
        action: 'window-elapsed',
        actorRef: SYSTEM_ACTOR,
        now,
        message:
          'The access window passed before the grant could be made; nothing was granted',
      });
    }
  }

  protected async attempt(
    r: StoredRequest,
    signal: AbortSignal,
  ): Promise<GrantOutcome> {
    const { requests, provider, principals, clock, owner, ledger } = this.deps;
    if (new Date(r.endTime) <= clock.now()) {
      return { kind: 'window-closed' };
    }
    let principal = r.principalId
      ? { principalId: r.principalId, userName: r.principalName ?? '' }
      : undefined;
    if (!principal) {
      const resolved = await principals.resolve(r.requesterRef);
      if (resolved.kind === 'missing') {
        return { kind: 'failed', reason: resolved.reason };
      }
      principal = resolved.principal;
      if (!(await requests.recordPrincipal(r.id, owner, principal))) {
        return { kind: 'gone' }; // the lease was lost meanwhile; its new holder carries on
      }
    }
    const triple: Triple = {
      principalId: principal.principalId,
      accountId: r.accountId,
      permissionSetArn: r.permissionSetArn,
    };

    return this.withLock(triple, signal, async (token, sig) => {
      // Record, before touching AWS, whether the assignment already exists
      // without us; a crash after the AWS call then cannot make our own
      // assignment look pre-existing on the retry. A row the plugin once
      // created says pre_existing = false for good.
      const known = await ledger.preExisting(triple);
      const holders = await requests.holders(triple, r.id);
      const exists = await provider.hasAssignment(triple, { signal: sig });
      // recorded at once, whatever happens next: a standing assignment seen
      // here must never be removed by this request's revocation
      const preExisting = known ?? (exists && holders.length === 0);
      if (known === null || known === undefined) {
        await ledger.setPreExisting(triple, preExisting);
      }
      // re-checked after the AWS read: nothing is granted for a request that
      // stopped being this replica's grant meanwhile (revoked, taken over)
      const current = await this.stillOurs(r, 'granting');
      if (!current) return { kind: 'gone' };
      if (new Date(current.endTime) <= clock.now()) {
        return { kind: 'window-closed' };
      }
      if (exists) {
        // held by an overlapping grant, made before a crash, or standing
        return {
          kind: 'granted',
          note: preExisting
            ? 'The assignment already existed outside Elevated Access; it will be left in place at the end'
            : undefined,
        };
      }
      sig.throwIfAborted(); // no new AWS write once the replica stops
      if (!(await ledger.markCreating(triple, token, this.leaseUntil()))) {
        throw new LostLockError(
          'The assignment lock was lost before the grant',
        );
      }
      // the window bounds the grant: no create retried through throttling
      // and no status poll goes on past the end
      const windowClosed = AbortSignal.timeout(
        Math.max(
          1,
          new Date(current.endTime).getTime() - clock.now().getTime(),
        ),
      );
      try {
        const result = await provider.grant(triple, {
          signal: AbortSignal.any([sig, windowClosed]),
        });
        return result.status === 'succeeded'
          ? { kind: 'granted' }
          : {
              kind: 'failed',
              reason: `${provider.id} reported: ${result.reason}`,
            };
      } catch (error) {
        // whatever the grant made is removed by the revocation that follows
        if (windowClosed.aborted && !sig.aborted) {
          return { kind: 'window-closed' };
        }
        throw error;
      } finally {
        // whatever happened, the assignment may exist now: keep it findable
        await ledger.markPresent(triple);
      }
    });
  }

  protected async settle(r: StoredRequest, outcome: GrantOutcome) {
    const { requests, clock, owner, notifier } = this.deps;
    if (outcome === BUSY) {
      await this.retryLater(r, { kind: 'busy' });
      return;
    }
    const now = clock.now();
    if (outcome.kind === 'gone') {
      // e.g. revoked while granting: let the revocation start at once
      await requests.release(r.id, owner);
      return;
    }
    if (outcome.kind === 'window-closed') {
      // whatever exists is removed
      await requests.abandonGrant({
        id: r.id,
        actorRef: SYSTEM_ACTOR,
        now,
        message:
          'The access window ended before the grant completed; removing anything that was granted',
      });
      return;
    }
    if (outcome.kind === 'failed') {
      const { reason } = outcome;
      if (
        await requests.markGrantFailed({
          id: r.id,
          actorRef: SYSTEM_ACTOR,
          now,
          reason,
        })
      ) {
        await notifier.notify(
          { ...r, status: 'error' },
          { kind: 'error', reason },
        );
      }
      return;
    }
    // the whole duration from the grant, however late the approval came
    const endTime = windowFromGrant(r, now);
    const granted = await requests.markGranted({
      id: r.id,
      actorRef: SYSTEM_ACTOR,
      now,
      message: `${
        outcome.note ?? 'Access granted'
      }; until ${endTime.toISOString()}`,
      endTime,
    });
    if (granted) {
      await notifier.notify(
        {
          ...r,
          status: 'active',
          grantedAt: now.toISOString(),
          endTime: endTime.toISOString(),
        },
        { kind: 'granted' },
      );
    }
  }
}
