import { useSignal } from '@backstage/plugin-signals-react';
import {
  ELEVATED_ACCESS_SIGNAL_CHANNEL,
  ElevatedAccessSignal,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { useEffect, useRef } from 'react';

/**
 * Calls `refresh` whenever the backend signals a change to a request, or
 * every 30 s while the page is visible when signals are not installed.
 */
export function useLiveRefresh(refresh: () => void, everyMs = 30_000) {
  const { lastSignal, isSignalsAvailable } = useSignal<ElevatedAccessSignal>(
    ELEVATED_ACCESS_SIGNAL_CHANNEL,
  );
  const latest = useRef(refresh);
  latest.current = refresh;

  useEffect(() => {
    if (lastSignal) latest.current();
  }, [lastSignal]);

  useEffect(() => {
    if (isSignalsAvailable) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') latest.current();
    }, everyMs);
    return () => clearInterval(timer);
  }, [isSignalsAvailable, everyMs]);
}
