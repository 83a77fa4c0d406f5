import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { PagedRequests } from '../common/usePagedRequests';

/**
 * Splits a live list into what the viewer has been shown and what arrived
 * since. `shown` holds the ids the viewer has seen in the list; requests
 * below the last of them (older ones, from "Load more" or moving up into the
 * first page) join silently, others wait as arrivals.
 */
export function partitionArrivals(
  items: AccessRequest[],
  shown: ReadonlySet<string> | undefined,
): { visible: AccessRequest[]; arrivals: AccessRequest[]; shown: Set<string> } {
  if (!shown) {
    return {
      visible: items,
      arrivals: [],
      shown: new Set(items.map(r => r.id)),
    };
  }
  let last = -1;
  items.forEach((r, i) => {
    if (shown.has(r.id)) last = i;
  });
  const next = new Set(shown);
  const visible: AccessRequest[] = [];
  const arrivals: AccessRequest[] = [];
  items.forEach((r, i) => {
    if (shown.has(r.id) || (last >= 0 && i > last)) {
      next.add(r.id);
      visible.push(r);
    } else {
      arrivals.push(r);
    }
  });
  return { visible, arrivals, shown: next };
}

/**
 * A live list whose new arrivals wait behind a notice instead of moving the
 * rows the viewer is looking at. The first load is shown as it comes;
 * `showArrivals` brings the waiting ones in.
 */
export function useHeldArrivals(page: PagedRequests): {
  page: PagedRequests;
  arrivals: AccessRequest[];
  showArrivals: () => void;
} {
  const [shown, setShown] = useState<Set<string>>();
  const settled = !page.loading && !page.error;
  const ready = shown !== undefined || settled;
  const parts = useMemo(
    () => partitionArrivals(page.items, ready ? shown : undefined),
    [page.items, shown, ready],
  );

  useEffect(() => {
    if (shown === undefined && !settled) return;
    if (
      shown === undefined ||
      parts.shown.size !== shown.size ||
      [...parts.shown].some(id => !shown.has(id))
    ) {
      setShown(parts.shown);
    }
  }, [parts, shown, settled]);

  const items = page.items;
  const showArrivals = useCallback(() => {
    setShown(previous => {
      const next = new Set(previous);
      items.forEach(r => next.add(r.id));
      return next;
    });
  }, [items]);

  const visiblePage = useMemo(
    () => ({ ...page, items: parts.visible }),
    [page, parts.visible],
  );
  return { page: visiblePage, arrivals: parts.arrivals, showArrivals };
}
