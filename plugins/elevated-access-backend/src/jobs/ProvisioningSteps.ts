import { LoggerService } from '@backstage/backend-plugin-api';
import { AccessProvider } from '@internal/backstage-plugin-elevated-access-node';
import pLimit from 'p-limit';
import { AssignmentLedger, Triple } from '../database/AssignmentLedger';
import {
  RequestStore,
  StoredRequest,
  TransitionInput,
} from '../database/RequestStore';
import { Clock } from '../service/Clock';
import { PrincipalResolver } from '../service/PrincipalResolver';
import { RequestNotifier } from '../service/RequestNotifier';
import { LifecycleStep } from './LifecycleJob';

export const SYSTEM_ACTOR = 'system:elevated-access';

export interface ProvisioningDeps {
  requests: RequestStore;
  ledger: AssignmentLedger;
  provider: AccessProvider;
  principals: PrincipalResolver;
  notifier: RequestNotifier;
  clock: Clock;
  logger: LoggerService;
  /** Who this replica is, in leases. */
  owner: string;
  /** How long a lease lasts: longer than any single grant or revoke. */
  leaseMs?: number;
  /** Rows worked on at once (the AWS queue limits calls on top). */
  concurrency?: number;
}

const DEFAULT_LEASE_MS = 5 * 60_000;
const BATCH = 500;

/** Retry later with exponential backoff: 5 s, 10 s, 20 s … up to 10 min. */
function nextAttempt(now: Date, attempts: number): Date {
  return new Date(
    now.getTime() + Math.min(600_000, 5_000 * 2 ** Math.min(attempts, 7)),
  );
}

function tripleOf(r: StoredRequest): Triple | undefined {
  return r.principalId
    ? {
        principalId: r.principalId,
        accountId: r.accountId,
        permissionSetArn: r.permissionSetArn,
      }
    : undefined;
}

abstract class ProvisioningStep implements LifecycleStep {
  abstract name: string;
  constructor(protected readonly deps: ProvisioningDeps) {}

  protected get leaseMs() {
    return this.deps.leaseMs ?? DEFAULT_LEASE_MS;
  }

  protected leaseUntil() {
    return new Date(this.deps.clock.now().getTime() + this.leaseMs);
  }

  protected async each(
    rows: StoredRequest[],
    fn: (r: StoredRequest) => Promise<void>,
  ) {
    const limit = pLimit(this.deps.concurrency ?? 20);
    await Promise.all(
      rows.map(r =>
        limit(async () => {
          try {
            await fn(r);
          } catch (error) {
            this.deps.logger.error(
              `Elevated Access ${this.name} failed for request ${r.id}`,
              {
                error: String(error),
              },
            );
          }
        }),
      ),
    );
  }

  /**
   * Runs `fn` holding the assignment's lock. When another replica or request
   * holds it, returns false and the caller retries on a later run.
   */
  protected async withLock(
    triple: Triple,
    requestId: string,
    fn: (lockOwner: string) => Promise<void>,
  ): Promise<boolean> {
    const { ledger, clock, owner } = this.deps;
    // the operation holds the lock: two requests on one replica are two holders
    const lockOwner = `${owner}/${requestId}`;
    // grants and revocations hold the lock for a few calls: wait a little
    // before leaving the work to a later run
    for (let attempt = 0; ; attempt++) {
      if (await ledger.lock(triple, lockOwner, clock.now(), this.leaseUntil()))
        break;
      if (attempt >= 25) return false;
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    try {
      await fn(lockOwner);
    } finally {
      await ledger.unlock(triple, lockOwner);
    }
    return true;
  }

  /**
   * Takes rows for this replica. Each due row moves into the working status
   * (`granting`, `revoking`): the transition is the claim, so only one replica
   * wins a row. Then rows already in that status whose lease ran out (a
   * crashed or slow replica) or whose retry is due are claimed by lease.
   */
  protected async claimWork(
    due: StoredRequest[],
    transition: Pick<TransitionInput, 'from' | 'action' | 'message'> & {
      to: 'granting' | 'revoking';
    },
    now: Date,
  ): Promise<StoredRequest[]> {
    const { requests, owner } = this.deps;
    const claimed: StoredRequest[] = [];
    for (const r of due) {
      const ok = await requests.tryTransition({
        id: r.id,
        ...transition,
        actorRef: SYSTEM_ACTOR,
        now,
        patch: { claimed_by: owner, claimed_until: this.leaseUntil() },
      });
      if (ok) claimed.push({ ...r, status: transition.to });
    }
    for (const r of await requests.unclaimed(transition.to, now, BATCH)) {
      if (
        await requests.claim(r.id, transition.to, owner, now, this.leaseUntil())
      ) {
        claimed.push(r);
      }
    }
    return claimed;
  }

  /**
   * Any failure (a lookup that kept failing, the database) gives the row back
   * with a retry time instead of holding it until the lease runs out.
   */
  protected async guarded(r: StoredRequest, fn: () => Promise<void>) {
    try {
      await fn();
    } catch (error) {
      const { requests, clock, owner, logger } = this.deps;
      logger.warn(
        `Elevated Access ${this.name} of request ${r.id} failed; will retry`,
        {
          error: String(error),
        },
      );
      await requests.release(r.id, owner, {
        attempts: r.attempts + 1,
        next_attempt_at: nextAttempt(clock.now(), r.attempts),
      });
    }
  }

  /** One batch at a time until nothing is due: a burst is drained in one run. */
  async run(signal?: AbortSignal): Promise<void> {
    while (!signal?.aborted && (await this.runBatch()) === BATCH);
  }

  /** Works one batch; returns how many rows were due (BATCH: maybe more). */
  protected abstract runBatch(): Promise<number>;
}

/**
 * Grants what is due: approved requests whose start has come, plus grants a
 * crashed or slow replica left in `granting`. A grant is only `active` once
 * the target confirms it.
 */
export class GrantStep extends ProvisioningStep {
  name = 'grant';

  protected async runBatch(): Promise<number> {
    const { requests, clock } = this.deps;
    const now = clock.now();
    const due = await requests.dueToGrant(now, BATCH);
    const claimed = await this.claimWork(
      due,
      {
        from: 'approved',
        to: 'granting',
        action: 'start-grant',
        message: 'Start time reached; granting',
      },
      now,
    );
    await this.each(claimed, r => this.guarded(r, () => this.grant(r)));

    // windows that closed before anything was granted (e.g. the backend was down)
    for (const r of await requests.windowElapsed(now, BATCH)) {
      await requests.tryTransition({
        id: r.id,
        from: 'approved',
        to: 'ended',
        action: 'window-elapsed',
        actorRef: SYSTEM_ACTOR,
        now,
        message:
          'The access window passed before the grant could be made; nothing was granted',
        patch: { ended_at: now },
      });
    }
    return due.length;
  }

  private async grant(r: StoredRequest) {
    const { requests, provider, principals, clock, owner, notifier } =
      this.deps;
    let principal = r.principalId
      ? { principalId: r.principalId, userName: r.principalName ?? '' }
      : undefined;
    if (!principal) {
      const resolved = await principals.resolve(r.requesterRef);
      if (resolved.kind === 'missing') {
        const updated = await requests.transition({
          id: r.id,
          from: 'granting',
          to: 'error',
          action: 'grant-failed',
          actorRef: SYSTEM_ACTOR,
          now: clock.now(),
          message: resolved.reason,
          patch: {
            error_reason: resolved.reason,
            claimed_by: null,
            claimed_until: null,
          },
        });
        await notifier.notify(updated, {
          kind: 'error',
          reason: resolved.reason,
        });
        return;
      }
      principal = resolved.principal;
      if (
        !(await requests.updateClaimed(r.id, owner, {
          principal_id: principal.principalId,
          principal_name: principal.userName,
        }))
      ) {
        return; // the lease was lost meanwhile; its new holder carries on
      }
    }
    const triple: Triple = {
      principalId: principal.principalId,
      accountId: r.accountId,
      permissionSetArn: r.permissionSetArn,
    };

    let outcome:
      | { ok: true; note?: string }
      | { ok: false; reason: string }
      | undefined;
    const locked = await this.withLock(triple, r.id, async () => {
      // Record, before touching AWS, whether the assignment already exists
      // without us; a crash after the AWS call then cannot make our own
      // assignment look pre-existing on the retry.
      const known = await this.deps.ledger.preExisting(triple);
      const holders = await requests.holders(triple, r.id);
      const exists = await provider.hasAssignment(triple);
      const preExisting = known ?? (exists && holders.length === 0);
      if (known === null || known === undefined) {
        await this.deps.ledger.setPreExisting(triple, preExisting);
      }
      if (exists) {
        // held by an overlapping grant, made before a crash, or standing
        outcome = {
          ok: true,
          note: preExisting
            ? 'The assignment already existed outside Elevated Access; it will be left in place at the end'
            : undefined,
        };
        return;
      }
      const result = await provider.grant(triple);
      outcome =
        result.status === 'succeeded'
          ? { ok: true }
          : { ok: false, reason: `${provider.id} reported: ${result.reason}` };
    }).catch(async error => {
      // throttled past the deadline, timed out, network: try again later
      await requests.release(r.id, owner, {
        attempts: r.attempts + 1,
        next_attempt_at: nextAttempt(clock.now(), r.attempts),
      });
      this.deps.logger.warn(
        `Grant of request ${r.id} will be retried: ${error}`,
      );
      return 'retry' as const;
    });
    if (locked === 'retry') return;
    if (!locked) {
      // another request's grant or revocation of the same assignment is running
      await requests.release(r.id, owner, {
        next_attempt_at: new Date(clock.now().getTime() + 2_000),
      });
      return;
    }
    const now = clock.now();
    if (outcome?.ok) {
      const moved = await requests.tryTransition({
        id: r.id,
        from: 'granting',
        to: 'active',
        action: 'grant-succeeded',
        actorRef: SYSTEM_ACTOR,
        now,
        message: outcome.note ?? 'Access granted',
        patch: {
          granted_at: now,
          claimed_by: null,
          claimed_until: null,
          next_attempt_at: null,
        },
      });
      if (moved)
        await notifier.notify(
          { ...r, status: 'active', grantedAt: now.toISOString() },
          { kind: 'granted' },
        );
    } else if (outcome) {
      const moved = await requests.tryTransition({
        id: r.id,
        from: 'granting',
        to: 'error',
        action: 'grant-failed',
        actorRef: SYSTEM_ACTOR,
        now,
        message: outcome.reason,
        patch: {
          error_reason: outcome.reason,
          claimed_by: null,
          claimed_until: null,
        },
      });
      if (moved)
        await notifier.notify(
          { ...r, status: 'error' },
          { kind: 'error', reason: outcome.reason },
        );
    }
  }
}

/**
 * Ends access: moves active requests whose end has come to `revoking`, and
 * removes assignments for every `revoking` row (ended or revoked by a person)
 * unless another active grant of the plugin needs the same assignment or it
 * existed before the plugin granted it.
 */
export class RevokeStep extends ProvisioningStep {
  name = 'revoke';

  protected async runBatch(): Promise<number> {
    const { requests, clock } = this.deps;
    const now = clock.now();
    const due = await requests.dueToEnd(now, BATCH);
    const claimed = await this.claimWork(
      due,
      {
        from: 'active',
        to: 'revoking',
        action: 'end',
        message: 'The access window ended',
      },
      now,
    );
    await this.each(claimed, r => this.guarded(r, () => this.revoke(r)));
    return due.length;
  }

  private async revoke(r: StoredRequest) {
    const { requests, provider, clock, owner, notifier, ledger } = this.deps;
    const triple = tripleOf(r);
    let outcome:
      | { ok: true; note: string }
      | { ok: false; reason: string }
      | undefined;
    if (!triple) {
      outcome = { ok: true, note: 'Nothing had been granted' };
    } else {
      const locked = await this.withLock(triple, r.id, async lockOwner => {
        const holders = await requests.holders(triple, r.id);
        if (holders.length) {
          outcome = {
            ok: true,
            note: `Assignment kept: request ${holders[0].id} still grants it until ${holders[0].endTime}`,
          };
          return;
        }
        if (await ledger.preExisting(triple)) {
          await ledger.forget(triple, lockOwner);
          outcome = {
            ok: true,
            note: 'Assignment kept: it existed before Elevated Access granted it',
          };
          return;
        }
        const result = await provider.revoke(triple);
        if (result.status === 'succeeded') {
          await ledger.forget(triple, lockOwner);
          outcome = { ok: true, note: 'Assignment removed' };
        } else {
          outcome = {
            ok: false,
            reason: `${provider.id} reported: ${result.reason}`,
          };
        }
      }).catch(async error => {
        await requests.release(r.id, owner, {
          attempts: r.attempts + 1,
          next_attempt_at: nextAttempt(clock.now(), r.attempts),
        });
        this.deps.logger.warn(
          `Revocation of request ${r.id} will be retried: ${error}`,
        );
        return 'retry' as const;
      });
      if (locked === 'retry') return;
      if (!locked) {
        await requests.release(r.id, owner, {
          next_attempt_at: new Date(clock.now().getTime() + 2_000),
        });
        return;
      }
    }
    const now = clock.now();
    if (outcome?.ok) {
      const to = r.revokedBy ? 'revoked' : 'ended';
      const moved = await requests.tryTransition({
        id: r.id,
        from: 'revoking',
        to,
        action: 'revoke-succeeded',
        actorRef: SYSTEM_ACTOR,
        now,
        message: outcome.note,
        patch: {
          ended_at: now,
          claimed_by: null,
          claimed_until: null,
          next_attempt_at: null,
        },
      });
      if (moved && to === 'ended')
        await notifier.notify({ ...r, status: to }, { kind: 'ended' });
      if (moved && to === 'revoked')
        await notifier.notify({ ...r, status: to }, { kind: 'changed' });
    } else if (outcome) {
      const moved = await requests.tryTransition({
        id: r.id,
        from: 'revoking',
        to: 'error',
        action: 'revoke-failed',
        actorRef: SYSTEM_ACTOR,
        now,
        message: outcome.reason,
        patch: {
          error_reason: outcome.reason,
          claimed_by: null,
          claimed_until: null,
        },
      });
      if (moved)
        await notifier.notify(
          { ...r, status: 'error' },
          { kind: 'error', reason: outcome.reason },
        );
    }
  }
}
