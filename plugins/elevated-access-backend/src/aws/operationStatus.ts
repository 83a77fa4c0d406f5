import { AccountAssignmentOperationStatus } from '@aws-sdk/client-sso-admin';
import { AccessOperationResult } from '@elevated-access/backstage-plugin-elevated-access-node';
import { monotonicMs } from './CallQueue';

/** What assignment and provisioning operations report. */
export type OperationStatus = Pick<
  AccountAssignmentOperationStatus,
  'RequestId' | 'Status' | 'FailureReason'
>;

/** An operation that did not finish in time; the lifecycle retries it later. */
export class OperationPendingError extends Error {
  name = 'OperationPendingError';
}

/** How an operation's status is polled. */
export interface StatusPollOptions {
  /** How long to poll before giving up for this run. */
  timeoutMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Ends the polling: its sleeps, and (through `describe`) its calls. */
  signal?: AbortSignal;
}

/**
 * Polls an Identity Center operation until SUCCEEDED or FAILED, with
 * bounded backoff. `describe` reads the status once (through the queue,
 * with the same signal).
 */
export async function waitForOperation(
  initial: OperationStatus | undefined,
  describe: (requestId: string) => Promise<OperationStatus | undefined>,
  { timeoutMs, sleep, signal }: StatusPollOptions,
): Promise<AccessOperationResult> {
  let status = initial;
  const requestId = status?.RequestId;
  const deadline = monotonicMs() + timeoutMs;
  let delay = 200;
  while (status?.Status === 'IN_PROGRESS' || !status?.Status) {
    if (!requestId) throw new Error('Identity Center returned no request id');
    if (signal?.aborted || monotonicMs() + delay > deadline) {
      throw new OperationPendingError(
        `Identity Center operation ${requestId} is still in progress`,
      );
    }
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 5_000);
    status = await describe(requestId);
  }
  if (status.Status === 'FAILED') {
    return {
      status: 'failed',
      reason:
        status.FailureReason ??
        'Identity Center reported FAILED without a reason',
      requestId,
    };
  }
  return { status: 'succeeded', requestId };
}
