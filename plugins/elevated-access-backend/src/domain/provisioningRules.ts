/*
 * Rules of provisioning that services and jobs share: where a finished
 * revocation leaves a request, and what an admin's retry of a failed one
 * does. Pure: the callers read the facts and persist the result.
 */

/**
 * A revocation that succeeded ends the request as `revoked` when a person
 * ended it early, else as `ended` (its window closed).
 */
export function statusAfterRevocation(request: {
  revokedBy?: string;
}): 'revoked' | 'ended' {
  return request.revokedBy ? 'revoked' : 'ended';
}

/** What an admin's retry of a request in `error` does. */
export type RetryPlan =
  | { ok: true; to: 'granting'; action: 'retry-grant' }
  | { ok: true; to: 'revoking'; action: 'retry-revoke' }
  | { ok: false; reason: string };

/**
 * A failed grant is granted again while its window is open; a failed
 * revocation (or a failure of unknown kind, to be safe: removing access is
 * never wrong) is revoked again.
 *
 * @param lastErrorAction - the event that put the request in `error`
 */
export function planRetry(options: {
  lastErrorAction: string | undefined;
  endTime: string;
  now: Date;
}): RetryPlan {
  if (options.lastErrorAction !== 'grant-failed') {
    return { ok: true, to: 'revoking', action: 'retry-revoke' };
  }
  if (Date.parse(options.endTime) <= options.now.getTime()) {
    return {
      ok: false,
      reason: `The access window ended at ${options.endTime}; a grant can no longer be retried. Ask for access again if it is still needed`,
    };
  }
  return { ok: true, to: 'granting', action: 'retry-grant' };
}
