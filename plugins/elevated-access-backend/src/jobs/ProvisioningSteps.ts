import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { windowFromGrant } from '@elevated-access/backstage-plugin-elevated-access-common';
import { AccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node';
import { randomUUID } from 'node:crypto';
import { AssignmentLedger, Triple } from '../database/AssignmentLedger';
import { RequestStore, StoredRequest } from '../database/RequestStore';
import { SessionBlockStore } from '../database/SessionBlockStore';
import { Clock } from '../service/Clock';
import { PrincipalResolver } from '../service/PrincipalResolver';
import { RequestNotifier } from '../service/RequestNotifier';
import { EligibilityRecheck } from '../domain/eligibility';
import { statusAfterRevocation } from '../domain/provisioningRules';
import { LifecycleStep } from './LifecycleJob';
import { SYSTEM_ACTOR } from './systemActor';
import { WorkPool } from './WorkPool';

export { SYSTEM_ACTOR } from './systemActor';

export interface ProvisioningDeps {
  requests: RequestStore;
  ledger: AssignmentLedger;
  provider: AccessProvider;
  principals: PrincipalResolver;
  notifier: RequestNotifier;
  clock: Clock;
  logger: LoggerService;
  /** Drift repairs, orphan removals and stuck revocations are audit events. */
  auditor?: AuditorService;
  /**
   * Re-checks, before a grant starts, that the requester is still eligible
   * under the request's terms (not set: no re-check).
   */
  eligibility?: (r: StoredRequest) => Promise<EligibilityRecheck>;
  /** Who this replica is, in leases. */
  owner: string;
  /**
   * How long a claim lasts without a heartbeat: how soon another replica
   * takes over the work of one that died (default 30 s).
   */
  leaseMs?: number;
  /** Grants or revocations worked on at once (the AWS queue limits calls on top). */
  concurrency?: number;
  /** One grant or revocation gives up its slot after this long and is retried (default 5 min). */
  itemDeadlineMs?: number;
  /** How long an operation waits for another one's assignment lock (default 5 s). */
  lockWaitMs?: number;
  /** Admins are alerted once a revocation has failed this many times (default 3). */
  alertAfterAttempts?: number;
  /**
   * Ends sessions already open when an assignment is removed (see
   * EndSessionsStep); not set: sessions run out on their own.
   */
  endSessions?: {
    blocks: SessionBlockStore;
    /** When access is revoked early. */
    onRevoke: boolean;
    /** When access ends on time. */
    onExpiry: boolean;
  };
}

export const DEFAULT_LEASE_MS = 30_000;

/** Retry later with exponential backoff: 5 s, 10 s, 20 s … up to 5 min. */
export function nextAttempt(now: Date, attempts: number): Date {
  return new Date(
    now.getTime() + Math.min(300_000, 5_000 * 2 ** Math.min(attempts, 6)),
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

/** The lock was taken by another operation while this one held it. */
class LostLockError extends Error {
  name = 'LostLockError';
}

/** Another operation on the same assignment is running: try again shortly. */
const BUSY = Symbol('busy');

/**
 * What grants and revocations share: claims with heartbeats, the
 * assignment lock, and a continuous pool of work.
 */
export abstract class ProvisioningStep implements LifecycleStep {
  abstract name: string;
  protected readonly pool: WorkPool<StoredRequest>;

  constructor(protected readonly deps: ProvisioningDeps) {
    this.pool = new WorkPool({
      concurrency: deps.concurrency ?? 20,
      leaseMs: this.leaseMs,
      itemDeadlineMs: deps.itemDeadlineMs ?? 5 * 60_000,
      heartbeat: r =>
        deps.requests.heartbeat(r.id, deps.owner, this.leaseUntil()),
      work: (r, signal) => this.work(r, signal),
      onError: (r, error, stopping) => this.retryLater(r, error, stopping),
      logger: deps.logger,
    });
  }

  protected get leaseMs() {
    return this.deps.leaseMs ?? DEFAULT_LEASE_MS;
  }

  protected leaseUntil() {
    return new Date(this.deps.clock.now().getTime() + this.leaseMs);
  }

  /** Claims due rows for this replica, at most `limit`. */
  protected abstract claim(limit: number): Promise<StoredRequest[]>;

  protected abstract work(r: StoredRequest, signal: AbortSignal): Promise<void>;

  /** Works due rows continuously until nothing is due and nothing runs. */
  run(signal?: AbortSignal): Promise<void> {
    return this.pool.run(limit => this.claim(limit), signal);
  }

  /** Stops taking work and lets in-flight work give its claims back. */
  shutdown(graceMs?: number): Promise<void> {
    return this.pool.shutdown(graceMs);
  }

  /**
   * Takes each due row by moving it into the working status (the transition
   * is the claim: only one replica wins a row), then rows already in that
   * status that a dead or slow replica left behind or whose retry is due.
   */
  protected async claimByTransition(
    dueRows: (now: Date, limit: number) => Promise<StoredRequest[]>,
    status: 'granting' | 'revoking',
    transition: (r: StoredRequest, now: Date) => Promise<boolean>,
    limit: number,
  ): Promise<StoredRequest[]> {
    const { requests, clock, owner } = this.deps;
    const now = clock.now();
    const claimed: StoredRequest[] = [];
    // rows another replica moved first drop out of the next query: go on
    // until something is claimed or nothing is due
    for (;;) {
      const due = await dueRows(now, limit);
      for (const r of due) {
        if (await transition(r, now)) claimed.push({ ...r, status });
      }
      if (claimed.length || due.length === 0) break;
    }
    if (claimed.length >= limit) return claimed;
    for (const r of await requests.unclaimed(
      status,
      now,
      limit - claimed.length,
    )) {
      if (await requests.claim(r.id, status, owner, now, this.leaseUntil())) {
        claimed.push(r);
      }
    }
    return claimed;
  }

  /**
   * Runs `fn` holding the assignment's lock under a token of its own (not
   * re-entrant: a reconciler and a revocation on one replica exclude each
   * other), renewing it while `fn` runs. Returns BUSY when another operation
   * holds it after a short wait.
   */
  protected async withLock<T>(
    triple: Triple,
    signal: AbortSignal,
    fn: (token: string, lockSignal: AbortSignal) => Promise<T>,
  ): Promise<T | typeof BUSY> {
    const { ledger, clock, owner } = this.deps;
    const token = `${owner}:${randomUUID().slice(0, 12)}`;
    // operations hold the lock for a few calls: wait a little before
    // leaving the work to a later attempt
    const waitUntil = Date.now() + (this.deps.lockWaitMs ?? 5_000);
    for (;;) {
      if (await ledger.lock(triple, token, clock.now(), this.leaseUntil()))
        break;
      if (Date.now() >= waitUntil) return BUSY;
      await sleepUnlessAborted(200, signal);
    }
    const lost = new AbortController();
    const lockSignal = AbortSignal.any([signal, lost.signal]);
    const renewal = setInterval(() => {
      ledger.renew(triple, token, this.leaseUntil()).then(
        held => {
          if (!held) lost.abort(new LostLockError('The lock was lost'));
        },
        () => {},
      );
    }, Math.max(50, this.leaseMs / 3));
    try {
      return await fn(token, lockSignal);
    } finally {
      clearInterval(renewal);
      await ledger.unlock(triple, token);
    }
  }

  /**
   * Any failure (throttled past the deadline, a lost lock, the database)
   * gives the row back with a retry time; a replica shutting down gives it
   * back due at once, for the next replica.
   */
  protected async retryLater(
    r: StoredRequest,
    error: unknown,
    stopping: boolean,
  ) {
    const { requests, clock, owner, logger } = this.deps;
    if (stopping) {
      await requests.releaseDueNow(r.id, owner);
      return;
    }
    logger.warn(
      `Elevated Access ${this.name} of request ${r.id} will be retried: ${error}`,
    );
    await requests.releaseForRetry(r.id, owner, {
      attempts: r.attempts + 1,
      nextAttemptAt: nextAttempt(clock.now(), r.attempts),
    });
  }

  /** Another operation holds the assignment: try again in a moment. */
  protected async busy(r: StoredRequest) {
    const { requests, clock, owner } = this.deps;
    await requests.releaseForRetry(r.id, owner, {
      nextAttemptAt: new Date(clock.now().getTime() + 1_000),
    });
  }

  /** Whether the row is still this replica's and still in `status`. */
  protected async stillOurs(r: StoredRequest, status: string) {
    const { requests, owner } = this.deps;
    if (!(await requests.heartbeat(r.id, owner, this.leaseUntil())))
      return undefined;
    const current = await requests.get(r.id);
    return current?.status === status ? current : undefined;
  }
}

function sleepUnlessAborted(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    signal.throwIfAborted();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/**
 * Grants what is due: approved requests whose start has come, plus grants a
 * dead or slow replica left in `granting`. A grant is only `active` once the
 * target confirms it. Nothing is created for a request that is no longer
 * `granting` or whose window has closed, re-checked after every AWS read.
 */
export class GrantStep extends ProvisioningStep {
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

  protected async work(r: StoredRequest, signal: AbortSignal) {
    const { requests, provider, principals, clock, owner, notifier, ledger } =
      this.deps;
    if (new Date(r.endTime) <= clock.now()) {
      await this.windowClosedWhileGranting(r);
      return;
    }
    let principal = r.principalId
      ? { principalId: r.principalId, userName: r.principalName ?? '' }
      : undefined;
    if (!principal) {
      const resolved = await principals.resolve(r.requesterRef);
      if (resolved.kind === 'missing') {
        await this.fail(r, resolved.reason);
        return;
      }
      principal = resolved.principal;
      if (!(await requests.recordPrincipal(r.id, owner, principal))) {
        return; // the lease was lost meanwhile; its new holder carries on
      }
    }
    const triple: Triple = {
      principalId: principal.principalId,
      accountId: r.accountId,
      permissionSetArn: r.permissionSetArn,
    };

    const outcome = await this.withLock(triple, signal, async (token, sig) => {
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
      if (!current) return { kind: 'gone' as const };
      if (new Date(current.endTime) <= clock.now()) {
        return { kind: 'window-closed' as const };
      }
      if (exists) {
        // held by an overlapping grant, made before a crash, or standing
        return {
          kind: 'ok' as const,
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
          ? { kind: 'ok' as const, note: undefined }
          : {
              kind: 'failed' as const,
              reason: `${provider.id} reported: ${result.reason}`,
            };
      } catch (error) {
        // whatever the grant made is removed by the revocation that follows
        if (windowClosed.aborted && !sig.aborted) {
          return { kind: 'window-closed' as const };
        }
        throw error;
      } finally {
        // whatever happened, the assignment may exist now: keep it findable
        await ledger.markPresent(triple);
      }
    });
    if (outcome === BUSY) {
      await this.busy(r);
      return;
    }
    if (outcome.kind === 'gone') {
      // e.g. revoked while granting: let the revocation start at once
      await requests.release(r.id, owner);
      return;
    }
    if (outcome.kind === 'window-closed') {
      await this.windowClosedWhileGranting(r);
      return;
    }
    if (outcome.kind === 'failed') {
      await this.fail(r, outcome.reason);
      return;
    }
    const now = clock.now();
    // the whole duration from the grant, however late the approval came
    const endTime = windowFromGrant(r, now);
    const moved = await requests.markGranted({
      id: r.id,
      actorRef: SYSTEM_ACTOR,
      now,
      message: `${
        outcome.note ?? 'Access granted'
      }; until ${endTime.toISOString()}`,
      endTime,
    });
    if (moved)
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

  /** The end came before the grant completed: whatever exists is removed. */
  private async windowClosedWhileGranting(r: StoredRequest) {
    const { requests, clock } = this.deps;
    await requests.abandonGrant({
      id: r.id,
      actorRef: SYSTEM_ACTOR,
      now: clock.now(),
      message:
        'The access window ended before the grant completed; removing anything that was granted',
    });
  }

  private async fail(r: StoredRequest, reason: string) {
    const { requests, clock, notifier } = this.deps;
    const moved = await requests.markGrantFailed({
      id: r.id,
      actorRef: SYSTEM_ACTOR,
      now: clock.now(),
      reason,
    });
    if (moved)
      await notifier.notify(
        { ...r, status: 'error' },
        { kind: 'error', reason },
      );
  }
}

/**
 * Ends access: moves active requests whose end has come to `revoking`, and
 * removes assignments for every `revoking` row (ended or revoked by a person)
 * unless another active grant of the plugin needs the same assignment or it
 * existed before the plugin granted it. A removal that fails is retried with
 * backoff until it succeeds; ending access is never left to a person.
 */
export class RevokeStep extends ProvisioningStep {
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

  protected async work(r: StoredRequest, signal: AbortSignal) {
    const { requests, provider, clock, notifier, ledger } = this.deps;
    const triple = tripleOf(r);
    let outcome:
      | { ok: true; note: string; removed?: boolean }
      | { ok: false; reason: string };
    if (!triple) {
      outcome = { ok: true, note: 'Nothing had been granted' };
    } else {
      const locked = await this.withLock(triple, signal, async (token, sig) => {
        const holders = await requests.holders(triple, r.id);
        if (holders.length) {
          return {
            ok: true as const,
            note: `Assignment kept: request ${holders[0].id} still grants it until ${holders[0].endTime}`,
          };
        }
        const preExisting = await ledger.preExisting(triple);
        if (preExisting === true) {
          await ledger.markRemoved(triple, token);
          return {
            ok: true as const,
            note: 'Assignment kept: it existed before Elevated Access granted it',
          };
        }
        if (preExisting !== false) {
          // never checked, so never created by the plugin (a create is
          // always recorded first): whatever exists is not the plugin's
          await ledger.markRemoved(triple, token);
          return {
            ok: true as const,
            note: 'Nothing to remove: Elevated Access created no assignment for this request',
          };
        }
        const result = await provider.revoke(triple, { signal: sig });
        if (result.status === 'succeeded') {
          await ledger.markRemoved(triple, token);
          return {
            ok: true as const,
            note: 'Assignment removed',
            removed: true,
          };
        }
        return {
          ok: false as const,
          reason: `${provider.id} reported: ${result.reason}`,
        };
      });
      if (locked === BUSY) {
        await this.busy(r);
        return;
      }
      outcome = locked;
    }
    if (!outcome.ok) {
      await this.stillPresent(r, outcome.reason);
      return;
    }
    const now = clock.now();
    const to = statusAfterRevocation(r);
    const { endSessions } = this.deps;
    if (
      endSessions &&
      'removed' in outcome &&
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
    const { requests, clock, owner, notifier, logger, auditor } = this.deps;
    const now = clock.now();
    const attempts = r.attempts + 1;
    const retryAt = nextAttempt(now, r.attempts);
    await requests.note(
      r.id,
      'revoke-retry',
      SYSTEM_ACTOR,
      `Access is still present: removing it failed (${reason}); attempt ${attempts}, retrying at ${retryAt.toISOString()}`,
      now,
    );
    await requests.releaseForRetry(r.id, owner, {
      attempts,
      nextAttemptAt: retryAt,
      error: reason,
    });
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
