import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { AccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node';
import { randomUUID } from 'node:crypto';
import { AssignmentLedger, Triple } from '../database/AssignmentLedger';
import { RequestStore, StoredRequest } from '../database/RequestStore';
import { SessionBlockStore } from '../database/SessionBlockStore';
import { Clock } from '../service/Clock';
import { PrincipalResolver } from '../service/PrincipalResolver';
import { RequestNotifier } from '../service/RequestNotifier';
import { EligibilityRecheck } from '../domain/eligibility';
import { LifecycleStep } from './LifecycleJob';
import { WorkPool } from './WorkPool';

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

export function tripleOf(r: StoredRequest): Triple | undefined {
  return r.principalId
    ? {
        principalId: r.principalId,
        accountId: r.accountId,
        permissionSetArn: r.permissionSetArn,
      }
    : undefined;
}

/** The lock was taken by another operation while this one held it. */
export class LostLockError extends Error {
  name = 'LostLockError';
}

/** Another operation on the same assignment is running: try again shortly. */
export const BUSY = Symbol('busy');

/** Why a request's work is given back to be tried again. */
export type Retry =
  /** This replica shuts down: due at once, for whichever replica runs next. */
  | { kind: 'stopping' }
  /** Another operation holds the assignment: again in a second, not counted as a failure. */
  | { kind: 'busy' }
  /**
   * A failed attempt: again with backoff. `shownReason` is kept on the
   * request meanwhile (access still present, retrying).
   */
  | { kind: 'failed'; shownReason?: string };

/**
 * What grants, revocations and repairs share: claims with heartbeats, the
 * assignment lock, a continuous pool of work, and one retry path. Each
 * piece of work is an `attempt` (the provider's calls under the lock,
 * returning what happened) and a `settle` (what the outcome changes on the
 * request, and who is told).
 */
export abstract class ProvisioningStep<Outcome> implements LifecycleStep {
  abstract name: string;
  protected readonly pool: WorkPool<StoredRequest>;

  constructor(protected readonly deps: ProvisioningDeps) {
    this.pool = new WorkPool({
      concurrency: deps.concurrency ?? 20,
      leaseMs: this.leaseMs,
      itemDeadlineMs: deps.itemDeadlineMs ?? 5 * 60_000,
      heartbeat: r =>
        deps.requests.heartbeat(r.id, deps.owner, this.leaseUntil()),
      work: async (r, signal) => this.settle(r, await this.attempt(r, signal)),
      onError: (r, error, stopping) => this.onFailure(r, error, stopping),
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

  /**
   * Does the work on one claimed request; `signal` aborts it (deadline,
   * shutdown) and reaches every provider call.
   */
  protected abstract attempt(
    r: StoredRequest,
    signal: AbortSignal,
  ): Promise<Outcome>;

  /** Records the attempt's outcome on the request and tells whom it concerns. */
  protected abstract settle(r: StoredRequest, outcome: Outcome): Promise<void>;

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
   * gives the row back to be retried with backoff; a replica shutting down
   * gives it back due at once, for the next replica.
   */
  protected async onFailure(
    r: StoredRequest,
    error: unknown,
    stopping: boolean,
  ): Promise<void> {
    if (stopping) {
      await this.retryLater(r, { kind: 'stopping' });
      return;
    }
    this.deps.logger.warn(
      `Elevated Access ${this.name} of request ${r.id} will be retried: ${error}`,
    );
    await this.retryLater(r, { kind: 'failed' });
  }

  /**
   * Gives the row back to be tried again: the one retry path of every
   * grant and revocation. Returns, for a failed attempt, its number and
   * when the next one is due.
   */
  protected retryLater(
    r: StoredRequest,
    retry: Extract<Retry, { kind: 'failed' }>,
  ): Promise<{ attempts: number; retryAt: Date }>;
  protected retryLater(r: StoredRequest, retry: Retry): Promise<unknown>;
  protected async retryLater(
    r: StoredRequest,
    retry: Retry,
  ): Promise<{ attempts: number; retryAt: Date } | undefined> {
    const { requests, clock, owner } = this.deps;
    if (retry.kind === 'stopping') {
      await requests.releaseDueNow(r.id, owner);
      return undefined;
    }
    const now = clock.now();
    if (retry.kind === 'busy') {
      await requests.releaseForRetry(r.id, owner, {
        nextAttemptAt: new Date(now.getTime() + 1_000),
      });
      return undefined;
    }
    const attempts = r.attempts + 1;
    const retryAt = nextAttempt(now, r.attempts);
    await requests.releaseForRetry(r.id, owner, {
      attempts,
      nextAttemptAt: retryAt,
      error: retry.shownReason,
    });
    return { attempts, retryAt };
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
