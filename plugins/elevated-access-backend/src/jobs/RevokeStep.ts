import { StoredRequest } from '../database/RequestStore';
import { statusAfterRevocation } from '../domain/provisioningRules';
import { BUSY, ProvisioningStep, tripleOf } from './ProvisioningStep';
import { SYSTEM_ACTOR } from './systemActor';

/** What one attempt at a revocation came to. */
type RevokeOutcome =
  /** The request's access is over; `removed` when an assignment was deleted. */
  | { kind: 'done'; note: string; removed?: boolean }
  /** The target refused to remove the assignment. */
  | { kind: 'still-present'; reason: string }
  | typeof BUSY;

/**
 * Ends access: moves active requests whose end has come to `revoking`, and
 * removes assignments for every `revoking` row (ended or revoked by a person)
 * unless another active grant of the plugin needs the same assignment or it
 * existed before the plugin granted it. A removal that fails is retried with
 * backoff until it succeeds; ending access is never left to a person.
 */
export class RevokeStep extends ProvisioningStep<RevokeOutcome> {
  name = 'revoke';

  protected async claim(limit: number): Promise<StoredRequest[]> {
    const { requests, owner } = this.deps;
    return this.claimByTransition(
      (at, n) => requests.dueToEnd(at, n),
      'revoking',
      (r, at) =>
        requests.claimByTransition(
          {
            id: r.id,
            from: 'active',
            to: 'revoking',
            action: 'end',
            actorRef: SYSTEM_ACTOR,
            now: at,
            message: 'The access window ended',
          },
          { owner, until: this.leaseUntil() },
        ),
      limit,
    );
  }

  protected async attempt(
    r: StoredRequest,
    signal: AbortSignal,
  ): Promise<RevokeOutcome> {
    const { requests, provider, ledger } = this.deps;
    const triple = tripleOf(r);
    if (!triple) return { kind: 'done', note: 'Nothing had been granted' };
    return this.withLock(triple, signal, async (token, sig) => {
      const holders = await requests.holders(triple, r.id);
      if (holders.length) {
        return {
          kind: 'done',
          note: `Assignment kept: request ${holders[0].id} still grants it until ${holders[0].endTime}`,
        };
      }
      const preExisting = await ledger.preExisting(triple);
      if (preExisting === true) {
        await ledger.markRemoved(triple, token);
        return {
          kind: 'done',
          note: 'Assignment kept: it existed before Elevated Access granted it',
        };
      }
      if (preExisting !== false) {
        // never checked, so never created by the plugin (a create is
        // always recorded first): whatever exists is not the plugin's
        await ledger.markRemoved(triple, token);
        return {
          kind: 'done',
          note: 'Nothing to remove: Elevated Access created no assignment for this request',
        };
      }
      const result = await provider.revoke(triple, { signal: sig });
      if (result.status === 'succeeded') {
        await ledger.markRemoved(triple, token);
        return { kind: 'done', note: 'Assignment removed', removed: true };
      }
      return {
        kind: 'still-present',
        reason: `${provider.id} reported: ${result.reason}`,
      };
    });
  }

  protected async settle(r: StoredRequest, outcome: RevokeOutcome) {
    if (outcome === BUSY) {
      await this.retryLater(r, { kind: 'busy' });
      return;
    }
    if (outcome.kind === 'still-present') {
      await this.stillPresent(r, outcome.reason);
      return;
    }
    const { requests, clock, notifier, endSessions } = this.deps;
    const now = clock.now();
    const to = statusAfterRevocation(r);
    if (
      endSessions &&
      outcome.removed &&
      r.principalName &&
      (to === 'revoked' ? endSessions.onRevoke : endSessions.onExpiry)
    ) {
      // recorded before the request leaves `revoking`: a crash in between
      // repeats the revocation, and the block is recorded once
      await endSessions.blocks.enqueue({
        requestId: r.id,
        principalName: r.principalName,
        accountId: r.accountId,
        permissionSetArn: r.permissionSetArn,
        issuedBefore: now,
        now,
      });
    }
    const moved = await requests.markRevocationComplete({
      id: r.id,
      to,
      actorRef: SYSTEM_ACTOR,
      now,
      message: outcome.note,
    });
    if (moved && to === 'ended')
      await notifier.notify({ ...r, status: to }, { kind: 'ended' });
    if (moved && to === 'revoked')
      await notifier.notify({ ...r, status: to }, { kind: 'changed' });
  }

  /**
   * The target refused to remove the assignment: the request stays
   * `revoking` ("access still present, retrying") and is retried with
   * backoff; after a few attempts admins are alerted, once.
   */
  private async stillPresent(r: StoredRequest, reason: string) {
    const { requests, clock, notifier, logger, auditor } = this.deps;
    const now = clock.now();
    const { attempts, retryAt } = await this.retryLater(r, {
      kind: 'failed',
      shownReason: reason,
    });
    await requests.note(
      r.id,
      'revoke-retry',
      SYSTEM_ACTOR,
      `Access is still present: removing it failed (${reason}); attempt ${attempts}, retrying at ${retryAt.toISOString()}`,
      now,
    );
    logger.warn(
      `Removing the access of request ${
        r.id
      } failed (attempt ${attempts}); retrying at ${retryAt.toISOString()}: ${reason}`,
    );
    if (
      attempts >= (this.deps.alertAfterAttempts ?? 3) &&
      (await requests.markRevokeAlerted(r.id, now))
    ) {
      await notifier.notify(r, { kind: 'revoke-stuck', reason, attempts });
      const event = await auditor?.createEvent({
        eventId: 'revoke-stuck',
        severityLevel: 'high',
        meta: {
          requestId: r.id,
          requesterRef: r.requesterRef,
          accountId: r.accountId,
          permissionSetArn: r.permissionSetArn,
          attempts,
          reason,
        },
      });
      await event?.fail({
        error: new Error(`Access still present after ${attempts} attempts`),
      });
    }
  }
}
