import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CHANGE_ENTITY_TYPES,
  ChangeEntityType,
  InsightsBucket,
  REQUEST_STATUSES,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { DateTime } from 'luxon';
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { dayStart } from './dates';
import { InsightsGroup } from './insightsData';

/**
 * The audit views' filters as they live in the address bar, so a reload, a
 * shared link or the way back from a request restores them. Every value is
 * checked when read: what is not understood is left out (and named), never
 * sent to the server.
 */
export interface AuditFilters {
  /** Entity refs, e.g. user:default/alice. */
  requester?: string;
  approver?: string;
  actor?: string;
  /** A 12-digit account id. */
  account?: string;
  status: RequestStatus[];
  used?: 'true' | 'false';
  /** Break-glass requests only (`breakGlass=true`). */
  breakGlass?: 'true';
  /** Break-glass awaiting review, or reviewed with that outcome. */
  review?: 'awaiting' | 'appropriate' | 'inappropriate';
  decision?: 'approve' | 'reject';
  type?: ChangeEntityType;
  /** Days (YYYY-MM-DD) in the reader's zone. */
  from?: string;
  to?: string;
  per?: InsightsGroup;
  bucket?: InsightsBucket;
}

export type AuditFilterKey = keyof AuditFilters;

/** The address's parameter of each filter. */
const PARAM: Record<AuditFilterKey, string> = {
  requester: 'requester',
  approver: 'approver',
  actor: 'actor',
  account: 'account',
  status: 'status',
  used: 'used',
  breakGlass: 'breakGlass',
  review: 'review',
  decision: 'decision',
  type: 'type',
  from: 'from',
  to: 'to',
  per: 'per',
  bucket: 'bucket',
};

const PERSON_REF = /^(user:)?([a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/i;

/** A person's ref in full and lower case: alice → user:default/alice. */
export function personRef(text: string | null | undefined): string | undefined {
  const t = text?.trim();
  if (!t || !PERSON_REF.test(t)) return undefined;
  const ref = parseEntityRef(t, {
    defaultKind: 'user',
    defaultNamespace: 'default',
  });
  return stringifyEntityRef(ref).toLowerCase();
}

export const ACCOUNT_ID = /^\d{12}$/;

function day(text: string | null): string | undefined {
  if (!text) return undefined;
  const d = DateTime.fromISO(text);
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && d.isValid ? text : undefined;
}

function oneOf<T extends string>(
  values: readonly T[],
  text: string | null,
): T | undefined {
  return values.find(v => v === text);
}

const PARSERS: {
  [K in AuditFilterKey]: (text: string | null) => AuditFilters[K] | undefined;
} = {
  requester: personRef,
  approver: personRef,
  actor: personRef,
  account: t => (t && ACCOUNT_ID.test(t.trim()) ? t.trim() : undefined),
  status: t => {
    if (!t) return [];
    const all = t.split(',').map(s => s.trim());
    const known = all.filter(s =>
      (REQUEST_STATUSES as readonly string[]).includes(s),
    ) as RequestStatus[];
    return known.length === all.length ? known : undefined;
  },
  used: t => oneOf(['true', 'false'] as const, t),
  breakGlass: t => oneOf(['true'] as const, t),
  review: t => oneOf(['awaiting', 'appropriate', 'inappropriate'] as const, t),
  decision: t => oneOf(['approve', 'reject'] as const, t),
  type: t => oneOf(CHANGE_ENTITY_TYPES, t),
  from: day,
  to: day,
  per: t => oneOf(['account', 'permissionSet'] as const, t),
  bucket: t => oneOf(['week', 'day'] as const, t),
};

/** How each filter is named on screen, for the "not understood" note. */
export const FILTER_LABELS: Record<AuditFilterKey, string> = {
  requester: 'Requester',
  approver: 'Approver',
  actor: 'Changed by',
  account: 'Account',
  status: 'Status',
  used: 'Used',
  breakGlass: 'Break-glass',
  review: 'Break-glass review',
  decision: 'Decision',
  type: 'Type',
  from: 'From',
  to: 'To',
  per: 'Per',
  bucket: 'Bucket',
};

/**
 * Reads the filters from a query string. `ignored` names the filters whose
 * value was not understood (left out of the query).
 */
export function parseFilters(
  params: URLSearchParams,
  keys: readonly AuditFilterKey[],
): { filters: AuditFilters; ignored: AuditFilterKey[] } {
  const filters: AuditFilters = { status: [] };
  const ignored: AuditFilterKey[] = [];
  for (const key of keys) {
    const text = params.get(PARAM[key]);
    if (text === null || text === '') continue;
    const value = PARSERS[key](text);
    if (value === undefined) ignored.push(key);
    else (filters as unknown as Record<string, unknown>)[key] = value;
  }
  return { filters, ignored };
}

function serialise(value: AuditFilters[AuditFilterKey]): string | undefined {
  if (Array.isArray(value)) return value.length ? value.join(',') : undefined;
  return value || undefined;
}

/** Defaults of the filters that always have a value. */
export const DEFAULTS: Partial<Record<AuditFilterKey, string>> = {
  per: 'account',
  bucket: 'week',
};

/** Whether any of these filters narrows the list (defaults do not). */
export function isFiltered(
  filters: AuditFilters,
  keys: readonly AuditFilterKey[],
): boolean {
  return keys.some(k => {
    const v = filters[k];
    return Array.isArray(v) ? v.length > 0 : !!v && v !== DEFAULTS[k];
  });
}

/** Whether the range is backwards (To before From). */
export function rangeBackwards(filters: AuditFilters): boolean {
  return !!filters.from && !!filters.to && filters.to < filters.from;
}

/**
 * The filters of one audit view, read from and written to the address, with
 * the instant range they stand for and whether they narrow the view.
 * Changes replace the current history entry (the back button leaves the
 * page instead of undoing filters one by one); other parameters (`view`)
 * are kept.
 */
export function useAuditFilters(keys: readonly AuditFilterKey[]) {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const keyList = keys.join(',');
  const parsed = useMemo(
    () =>
      parseFilters(
        new URLSearchParams(search),
        keyList.split(',') as AuditFilterKey[],
      ),
    [search, keyList],
  );
  const set = useCallback(
    <K extends AuditFilterKey>(key: K, value: AuditFilters[K] | undefined) => {
      setParams(
        previous => {
          const next = new URLSearchParams(previous);
          const text = serialise(value);
          if (text === undefined) next.delete(PARAM[key]);
          else next.set(PARAM[key], text);
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  /** Sets several filters at once (one address change). */
  const setMany = useCallback(
    (values: Partial<AuditFilters>) => {
      setParams(
        previous => {
          const next = new URLSearchParams(previous);
          for (const [key, value] of Object.entries(values)) {
            const text = serialise(value as AuditFilters[AuditFilterKey]);
            const param = PARAM[key as AuditFilterKey];
            if (text === undefined) next.delete(param);
            else next.set(param, text);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  const clear = useCallback(() => {
    setParams(
      previous => {
        const next = new URLSearchParams(previous);
        for (const key of keyList.split(',') as AuditFilterKey[]) {
          next.delete(PARAM[key]);
        }
        return next;
      },
      { replace: true },
    );
  }, [setParams, keyList]);
  return {
    ...parsed,
    /** The instants the From and To days stand for. */
    range: instantRange(parsed.filters),
    /** Whether any of this view's filters narrows it. */
    filtered: isFiltered(parsed.filters, keys),
    set,
    setMany,
    clear,
  };
}

/** The instants a view's From and To days stand for (none while backwards). */
export function instantRange(filters: AuditFilters): {
  from?: string;
  to?: string;
} {
  if (rangeBackwards(filters)) return {};
  return {
    from: dayStart(filters.from ?? ''),
    to: dayStart(filters.to ?? '', true),
  };
}
