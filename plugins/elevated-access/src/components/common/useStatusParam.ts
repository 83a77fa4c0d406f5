import {
  REQUEST_STATUSES,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

/**
 * One text filter of a list page, kept in the address (`?name=value`) so a
 * reload, a shared link or the way back from a request restores it. Changes
 * replace the history entry; other parameters are kept.
 */
export function useSearchParam(
  name: string,
): [string, (value: string | undefined) => void] {
  const [params, setParams] = useSearchParams();
  const value = params.get(name) ?? '';
  const set = useCallback(
    (next: string | undefined) =>
      setParams(
        previous => {
          const updated = new URLSearchParams(previous);
          if (next) updated.set(name, next);
          else updated.delete(name);
          return updated;
        },
        { replace: true },
      ),
    [name, setParams],
  );
  return [value, set];
}

/**
 * The status filter in the address (`?status=pending,active`); values that
 * are not statuses are left out, never sent to the server.
 */
export function useStatusParam(): [
  RequestStatus[],
  (value: RequestStatus[]) => void,
] {
  const [text, setText] = useSearchParam('status');
  const status = useMemo(
    () =>
      text
        .split(',')
        .filter((s): s is RequestStatus =>
          (REQUEST_STATUSES as readonly string[]).includes(s),
        ),
    [text],
  );
  const set = useCallback(
    (value: RequestStatus[]) => setText(value.join(',') || undefined),
    [setText],
  );
  return [status, set];
}
