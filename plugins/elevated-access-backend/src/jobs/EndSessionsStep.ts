import { LoggerService } from '@backstage/backend-plugin-api';
import { AccessOperationResult } from '@elevated-access/backstage-plugin-elevated-access-node';
import { randomUUID } from 'node:crypto';
import { RequestStore } from '../database/RequestStore';
import {
  SessionBlockStore,
  StoredSessionBlock,
} from '../database/SessionBlockStore';
import {
  buildInlinePolicy,
  parseSessionDuration,
  policyTime,
} from '../domain/sessionBlocks';
import { Clock } from '../service/Clock';
import { LifecycleStep } from './LifecycleJob';
import { DEFAULT_LEASE_MS, nextAttempt } from './ProvisioningStep';
import { SYSTEM_ACTOR } from './systemActor';

/** What ending open sessions needs of the target (IAM Identity Center). */
export interface PermissionSetPolicies {
  getInlinePolicy(
    permissionSetArn: string,
    options?: { signal?: AbortSignal },
  ): Promise<string>;
  /** Puts the document, or deletes the inline policy when it is undefined. */
  putInlinePolicy(
    permissionSetArn: string,
    document: string | undefined,
    options?: { signal?: AbortSignal },
  ): Promise<void>;
  provisionToAccount(
    permissionSetArn: string,
    accountId: string,
    options?: { signal?: AbortSignal },
  ): Promise<AccessOperationResult>;
  sessionDuration(
    permissionSetArn: string,
    options?: { signal?: AbortSignal },
  ): Promise<string | undefined>;
}

export function hasPermissionSetPolicies(
  provider: unknown,
): provider is PermissionSetPolicies {
  const p = provider as Partial<PermissionSetPolicies> | undefined;
  return (
    typeof p?.getInlinePolicy === 'function' &&
    typeof p.putInlinePolicy === 'function' &&
    typeof p.provisionToAccount === 'function' &&
    typeof p.sessionDuration === 'function'
  );
}

export interface EndSessionsDeps {
  blocks: SessionBlockStore;
  requests: RequestStore;
  target: PermissionSetPolicies;
  clock: Clock;
  logger: LoggerService;
  owner: string;
  leaseMs?: number;
  /** How long to wait for another operation's permission set lock (default 5 s). */
  lockWaitMs?: number;
}

/** Another operation holds the permission set's inline policy. */
class BusyError extends Error {
  name = 'BusyError';
}

/** The admin changed the inline policy while it was being rewritten, every time. */
class ConcurrentEditError extends Error {
  name = 'ConcurrentEditError';
}

/**
 * Ends the sessions a user opened before their access ended, then lifts the
 * block once those sessions have expired. Each row of `session_blocks` is
 * claimed by one replica; every rewrite of a permission set's inline policy
 * holds that permission set's lock, re-reads the policy right before the put
 * (an admin's edit meanwhile starts the rewrite over) and keeps every
 * statement that is not the plugin's. The document is rebuilt from the
 * database each time, so a retry after a crash converges on the same result.
 */
export class EndSessionsStep implements LifecycleStep {
  name = 'end-sessions';
  private stopping = false;

  constructor(private readonly deps: EndSessionsDeps) {}

  private get leaseMs() {
    return this.deps.leaseMs ?? DEFAULT_LEASE_MS;
  }

  private leaseUntil() {
    return new Date(this.deps.clock.now().getTime() + this.leaseMs);
  }

  async run(signal?: AbortSignal): Promise<void> {
    const { blocks, clock, owner } = this.deps;
    this.stopping = false;
    for (;;) {
      if (signal?.aborted || this.stopping) return;
      const due = await blocks.claimDue(
        owner,
        clock.now(),
        this.leaseUntil(),
        10,
      );
      if (!due.length) return;
      for (const block of due) {
        await this.workClaimed(block, signal);
      }
    }
  }

  async shutdown(): Promise<void> {
    this.stopping = true;
    await this.deps.blocks.releaseAllOf(this.deps.owner);
  }

  private async workClaimed(block: StoredSessionBlock, signal?: AbortSignal) {
    const { blocks, owner, clock, logger, requests } = this.deps;
    const heartbeat = setInterval(() => {
      blocks
        .heartbeat(block.requestId, owner, this.leaseUntil())
        .catch(() => {});
    }, Math.max(50, this.leaseMs / 3));
    try {
      if (block.status === 'adding') await this.add(block, signal);
      else if (block.status === 'removing') await this.remove(block, signal);
    } catch (error) {
      const now = clock.now();
      if (error instanceof BusyError) {
        await blocks.releaseUntried(
          block.requestId,
          owner,
          new Date(now.getTime() + 1_000),
        );
        return;
      }
      const retryAt = nextAttempt(now, block.attempts);
      const reason = String((error as Error)?.message ?? error);
      logger.warn(
        `Elevated Access could not ${
          block.status === 'adding'
            ? 'end the open sessions'
            : 'lift the session block'
        } of request ${
          block.requestId
        }; retrying at ${retryAt.toISOString()}: ${reason}`,
      );
      await requests.note(
        block.requestId,
        block.status === 'adding'
          ? 'end-sessions-retry'
          : 'sessions-block-retry',
        SYSTEM_ACTOR,
        `${
          block.status === 'adding'
            ? 'Ending open sessions'
            : 'Removing the session block'
        } failed (${reason}); attempt ${
          block.attempts + 1
        }, retrying at ${retryAt.toISOString()}`,
        now,
      );
      await blocks.releaseForRetry(block.requestId, owner, {
        attempts: block.attempts + 1,
        retryAt,
        reason,
      });
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Adds the block, provisions the account, and schedules its removal. */
  private async add(block: StoredSessionBlock, signal?: AbortSignal) {
    const { target, blocks, requests, clock, owner } = this.deps;
    const { mergedUsers } = await this.rewrite(block, signal);
    await this.provision(block, signal);
    const duration = parseSessionDuration(
      await target.sessionDuration(block.permissionSetArn, { signal }),
    );
    const now = clock.now();
    // a session issued just before the end lasts until end + duration
    const removeAfter = new Date(
      Date.parse(policyTime(block.issuedBefore)) + duration,
    );
    if (await blocks.markActive(block.requestId, owner, removeAfter)) {
      await requests.note(
        block.requestId,
        'sessions-ended',
        SYSTEM_ACTOR,
        `Open sessions were ended at ${now.toISOString()}: sessions of ${
          block.principalName
        } in account ${block.accountId} issued before ${policyTime(
          block.issuedBefore,
        )} are denied by the permission set's inline policy until ${removeAfter.toISOString()}${
          mergedUsers
            ? ' (the inline policy was near its size limit: the blocks of each account were merged under the latest end)'
            : ''
        }`,
        now,
      );
    }
  }

  /** Lifts the block once the sessions it ended have expired. */
  private async remove(block: StoredSessionBlock, signal?: AbortSignal) {
    const { blocks, requests, clock, owner } = this.deps;
    await this.rewrite(block, signal);
    await this.provision(block, signal);
    const now = clock.now();
    if (await blocks.markRemoved(block.requestId, owner)) {
      await requests.note(
        block.requestId,
        'sessions-block-removed',
        SYSTEM_ACTOR,
        `Session block removed: the sessions it ended have expired (account ${block.accountId})`,
        now,
      );
    }
  }

  /** Makes the account's role follow the inline policy (polled to SUCCEEDED). */
  private async provision(block: StoredSessionBlock, signal?: AbortSignal) {
    const provisioned = await this.deps.target.provisionToAccount(
      block.permissionSetArn,
      block.accountId,
      { signal },
    );
    if (provisioned.status !== 'succeeded') {
      throw new Error(
        `provisioning the permission set to account ${block.accountId} failed: ${provisioned.reason}`,
      );
    }
  }

  /**
   * Read-modify-write of the inline policy under the permission set's lock:
   * the plugin's statements become exactly the blocks the database holds
   * for the permission set; the admin's statements are kept. The policy is
   * read again right before the put; if it changed meanwhile (an admin's
   * edit) the rewrite starts over from the new text.
   */
  private async rewrite(block: StoredSessionBlock, signal?: AbortSignal) {
    const { target, blocks, clock, owner } = this.deps;
    const arn = block.permissionSetArn;
    const token = `${owner}:${randomUUID().slice(0, 12)}`;
    const waitUntil = Date.now() + (this.deps.lockWaitMs ?? 5_000);
    while (!(await blocks.lock(arn, token, clock.now(), this.leaseUntil()))) {
      if (Date.now() >= waitUntil) {
        throw new BusyError('The permission set is being changed');
      }
      await new Promise(r => setTimeout(r, 200));
    }
    const renewal = setInterval(() => {
      blocks.renew(arn, token, this.leaseUntil()).catch(() => {});
    }, Math.max(50, this.leaseMs / 3));
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        const current = await target.getInlinePolicy(arn, { signal });
        const built = buildInlinePolicy(current, await blocks.inPolicy(arn));
        if (built.document === current) return built;
        const again = await target.getInlinePolicy(arn, { signal });
        if (again !== current) continue; // edited meanwhile: start over
        if (!(await blocks.holds(arn, token))) {
          throw new Error('The permission set lock was lost');
        }
        signal?.throwIfAborted();
        await target.putInlinePolicy(
          arn,
          built.document === '' ? undefined : built.document,
          { signal },
        );
        return built;
      }
      throw new ConcurrentEditError(
        "The permission set's inline policy kept changing while it was being updated",
      );
    } finally {
      clearInterval(renewal);
      await blocks.unlock(arn, token);
    }
  }
}
