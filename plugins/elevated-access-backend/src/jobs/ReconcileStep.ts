import { PROVISIONED_STATUSES } from '@elevated-access/backstage-plugin-elevated-access-common';
import { AccessOperationResult } from '@elevated-access/backstage-plugin-elevated-access-node';
import { Triple } from '../database/AssignmentLedger';
import { StoredRequest } from '../database/RequestStore';
import { BUSY, ProvisioningDeps, ProvisioningStep } from './ProvisioningStep';
import { SYSTEM_ACTOR } from './systemActor';

/** The grant that re-created a missing assignment; undefined: nothing to repair. */
type RepairOutcome = AccessOperationResult | undefined | typeof BUSY;

/**
 * Compares the plugin's active grants with the real assignments and repairs
 * drift: a grant whose assignment is missing (deleted by hand, or the target
 * was restored) is re-created; an assignment the plugin made that no request
 * holds any more is deleted. A repair is claimed work like a grant: it holds
 * the request's claim and the assignment's lock, and re-reads the request
 * after its AWS read, so a request that ended meanwhile is never re-granted.
 * Every repair is logged, an event on the request and an audit event.
 */
export class ReconcileStep extends ProvisioningStep<RepairOutcome> {
  name = 'reconcile';
  private cursor: string | undefined;
  private pagesDone = false;

  constructor(deps: ProvisioningDeps) {
    // its own claim owner: a reconcile claim on an `active` row is lost the
    // moment a revocation (of any replica, this one too) takes the row
    // and few at a time: its reads share Identity Center's call budget with
    // grants and revocations, which must not wait behind it
    super({ ...deps, owner: `${deps.owner}/reconcile`, concurrency: 2 });
  }

  async run(signal?: AbortSignal): Promise<void> {
    this.cursor = undefined;
    this.pagesDone = false;
    await super.run(signal);
    await this.sweepOrphans(signal);
  }

  /** The next active requests of this pass that nobody else holds. */
  protected async claim(limit: number): Promise<StoredRequest[]> {
    const { requests, clock, owner } = this.deps;
    while (!this.pagesDone) {
      const page = await requests.active(this.cursor, limit);
      if (page.length < limit) this.pagesDone = true;
      if (page.length) this.cursor = page[page.length - 1].id;
      const claimed: StoredRequest[] = [];
      for (const r of page) {
        const now = clock.now();
        if (new Date(r.endTime) <= now || !r.principalId) continue;
        if (await requests.claim(r.id, 'active', owner, now, this.leaseUntil()))
          claimed.push(r);
      }
      if (claimed.length) return claimed;
    }
    return [];
  }

  /**
   * Re-creates a missing assignment under the lock; undefined when nothing
   * was missing or the request stopped being this repair's to make.
   */
  protected async attempt(
    r: StoredRequest,
    signal: AbortSignal,
  ): Promise<RepairOutcome> {
    const { ledger, provider, clock } = this.deps;
    const triple = this.tripleOf(r);
    return this.withLock(triple, signal, async (token, sig) => {
      if (await provider.hasAssignment(triple, { signal: sig })) {
        return undefined;
      }
      // the read may have taken long: repair only a request that is still
      // active, still ours, and whose window is still open
      const current = await this.stillOurs(r, 'active');
      if (!current || new Date(current.endTime) <= clock.now()) {
        return undefined;
      }
      sig.throwIfAborted(); // no new AWS write once the replica stops
      if (!(await ledger.markCreating(triple, token, this.leaseUntil()))) {
        return undefined;
      }
      try {
        return await provider.grant(triple, { signal: sig });
      } finally {
        await ledger.markPresent(triple);
      }
    });
  }

  /** Records a repair (an event, a warning, an audit event); the claim is given back either way. */
  protected async settle(r: StoredRequest, outcome: RepairOutcome) {
    const { requests, clock, owner, logger, auditor } = this.deps;
    try {
      // busy: checked again on the next pass
      if (!outcome || outcome === BUSY) return;
      const triple = this.tripleOf(r);
      const message =
        outcome.status === 'succeeded'
          ? 'Drift repaired: the assignment was missing and has been re-created'
          : `Drift found: the assignment is missing and re-creating it failed: ${outcome.reason}`;
      await requests.note(
        r.id,
        'reconcile',
        SYSTEM_ACTOR,
        message,
        clock.now(),
      );
      logger.warn(`${message} (request ${r.id})`, { ...triple });
      const event = await auditor?.createEvent({
        eventId: 'drift-repair',
        severityLevel: 'medium',
        meta: { requestId: r.id, requesterRef: r.requesterRef, ...triple },
      });
      if (outcome.status === 'succeeded') await event?.success();
      else await event?.fail({ error: new Error(outcome.reason) });
    } finally {
      await requests.release(r.id, owner);
    }
  }

  /** A failed check is simply done again on the next pass. */
  protected async onFailure(r: StoredRequest, error: unknown) {
    this.deps.logger.warn(`Reconciling request ${r.id} failed: ${error}`);
    await this.deps.requests.release(r.id, this.deps.owner);
  }

  private tripleOf(r: StoredRequest): Triple {
    return {
      principalId: r.principalId!,
      accountId: r.accountId,
      permissionSetArn: r.permissionSetArn,
    };
  }

  /** Removes assignments the plugin made that no request holds any more. */
  private async sweepOrphans(signal?: AbortSignal) {
    const { requests, ledger, provider, clock, logger, auditor } = this.deps;
    const never = new AbortController().signal;
    for (const triple of await ledger.orphans(clock.now())) {
      if (signal?.aborted) return;
      const outcome = await this.withLock(
        triple,
        signal ?? never,
        async (token, sig) => {
          const holders = await requests.holders(
            triple,
            '',
            PROVISIONED_STATUSES,
          );
          if (holders.length) return 'held';
          if (!(await provider.hasAssignment(triple, { signal: sig }))) {
            await ledger.markRemoved(triple, token);
            return 'absent';
          }
          const result = await provider.revoke(triple, { signal: sig });
          if (result.status !== 'succeeded') return result.reason;
          await ledger.markRemoved(triple, token);
          return 'removed';
        },
      ).catch(error => `${error}`);
      if (outcome === 'removed') {
        logger.warn(
          'Removed an assignment the plugin made that no request holds any more',
          { ...triple },
        );
        const event = await auditor?.createEvent({
          eventId: 'orphan-removed',
          severityLevel: 'medium',
          meta: { ...triple },
        });
        await event?.success();
      } else if (
        typeof outcome === 'string' &&
        !['held', 'absent'].includes(outcome)
      ) {
        logger.warn(`Could not remove an orphaned assignment: ${outcome}`, {
          ...triple,
        });
      }
    }
  }
}
