import { Page } from '@elevated-access/backstage-plugin-elevated-access-common';
import { useCallback, useEffect, useRef, useState } from 'react';

/** One server-paged list with cursor paging ("Load more"). */
export interface PagedList<T> {
  items: T[];
  loading: boolean;
  error?: Error;
  retry: () => void;
  /** Fetches the next page; absent on the last one. */
  loadMore?: () => void;
}

/**
 * Loads the first page of `fetchPage` for `query` (the filters) whenever the
 * query's content changes, and the following pages on demand. An answer to
 * an older query is dropped, so quick filter changes never show stale rows.
 */
export function usePagedList<Q extends object, T>(
  query: Q,
  fetchPage: (query: Q & { cursor?: string }) => Promise<Page<T>>,
): PagedList<T> {
  const key = JSON.stringify(query);
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<Error>();
  const generation = useRef(0);
  // the latest query and fetch, for the page that loads next
  const fetchRef = useRef({ query, fetchPage });
  fetchRef.current = { query, fetchPage };

  const load = useCallback(
    async (after?: string) => {
      const mine = after ? generation.current : ++generation.current;
      setLoading(true);
      try {
        const latest = fetchRef.current;
        const page = await latest.fetchPage({
          ...latest.query,
          cursor: after,
        });
        if (mine !== generation.current) return;
        setItems(previous =>
          after ? [...previous, ...page.items] : page.items,
        );
        setCursor(page.nextCursor);
        setError(undefined);
      } catch (e) {
        if (mine === generation.current) setError(e as Error);
      } finally {
        if (mine === generation.current) setLoading(false);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );

  useEffect(() => {
    load();
  }, [load]);

  return {
    items,
    loading,
    error,
    retry: () => load(),
    loadMore: cursor && !loading ? () => load(cursor) : undefined,
  };
}
