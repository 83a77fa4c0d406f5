import { useApi } from '@backstage/core-plugin-api';
import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import { useCallback, useEffect, useState } from 'react';
import {
  elevatedAccessApiRef,
  RequestListQuery,
} from '../../api/ElevatedAccessApi';
import { useLiveRefresh } from '../../hooks/useLiveRefresh';

/** One server-paged list of requests, kept live. */
export interface PagedRequests {
  items: AccessRequest[];
  loading: boolean;
  /**
   * Whether a first answer has arrived; later (live) reloads keep showing
   * the list instead of a loading state.
   */
  loaded?: boolean;
  error?: Error;
  refresh: () => void;
  /** Fetches the next page; absent on the last one. */
  loadMore?: () => void;
}

/**
 * One request list with cursor paging; refreshed live when any request
 * changes (the first page is reloaded, extra pages are dropped).
 */
export function usePagedRequests(
  query: RequestListQuery | undefined,
): PagedRequests {
  const api = useApi(elevatedAccessApiRef);
  const key = JSON.stringify(query);
  const [items, setItems] = useState<AccessRequest[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [loaded, setLoaded] = useState<string>();
  const [error, setError] = useState<Error>();

  const load = useCallback(
    async (after?: string) => {
      if (!query) return;
      setLoading(true);
      try {
        const page = await api.listRequests({ ...query, cursor: after });
        setItems(previous =>
          after ? [...previous, ...page.items] : page.items,
        );
        setCursor(page.nextCursor);
        setError(undefined);
        setLoaded(key);
      } catch (e) {
        setError(e as Error);
      } finally {
        setLoading(false);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key],
  );

  useEffect(() => {
    load();
  }, [load]);
  const refresh = useCallback(() => load(), [load]);
  useLiveRefresh(refresh);

  return {
    items,
    loading,
    // a new query (other filters) loads afresh
    loaded: loaded === key,
    error,
    refresh,
    loadMore: cursor ? () => load(cursor) : undefined,
  };
}
