import { useEffect } from 'react';
import { useLocation, useSearchParams } from 'react-router-dom';

/**
 * Opens a dialog once when the request page was reached by a link that asks
 * for it (`?extend=1`, `?review=1`) and the caller may use it, then drops the
 * parameter: a reload or the way back must not reopen it.
 */
export function useOpenFromLink(
  param: string,
  requested: boolean | undefined,
  allowed: boolean,
  open: () => void,
) {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  useEffect(() => {
    if (!requested || !allowed) return;
    open();
    const rest = new URLSearchParams(params);
    rest.delete(param);
    setParams(rest, { replace: true, state: location.state });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [requested, allowed]);
}
