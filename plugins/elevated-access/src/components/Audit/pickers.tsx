import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { CatalogApi, catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  shortEntityRef,
  TargetsResponse,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { TextField, Typography } from '@material-ui/core';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { FocusEvent, useMemo, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  ElevatedAccessApi,
  elevatedAccessApiRef,
} from '../../api/ElevatedAccessApi';
import { ACCOUNT_ID, personRef } from './filters';
import { accessibleAutocomplete } from '../common/accessibleAutocomplete';

/** One choice of a type-ahead picker. */
export interface PickerOption {
  /** What the filter sends: an entity ref, an account id. */
  value: string;
  /** What people read, also shown in the field once chosen. */
  label: string;
  /** A second line: user name and email, an account's OUs. */
  detail?: string;
  /** What typing matches, besides the label. */
  keywords: string[];
}

const MAX_SHOWN = 50;

/** The options whose label or keywords contain the text; prefix matches first. */
export function matchOptions(
  options: PickerOption[],
  text: string,
): PickerOption[] {
  const term = text.trim().toLowerCase();
  if (!term) return options;
  const words = (o: PickerOption) =>
    [o.label, ...o.keywords].map(k => k.toLowerCase());
  const hits = options.filter(o => words(o).some(w => w.includes(term)));
  const prefix = (o: PickerOption) => words(o).some(w => w.startsWith(term));
  return [...hits.filter(prefix), ...hits.filter(o => !prefix(o))];
}

/**
 * What typed text that was not chosen from the list means: the one option it
 * names exactly (or the only one it matches), else what `acceptTyped` makes
 * of it (a 12-digit account id, a full user ref), else nothing.
 */
export function resolveTyped(
  text: string,
  options: PickerOption[],
  acceptTyped?: (text: string) => string | undefined,
): string | undefined {
  const term = text.trim().toLowerCase();
  if (!term) return undefined;
  const exact = options.filter(o =>
    [o.label, o.value, ...o.keywords].some(k => k.toLowerCase() === term),
  );
  if (exact.length === 1) return exact[0].value;
  const matches = matchOptions(options, term);
  if (matches.length === 1) return matches[0].value;
  return acceptTyped?.(text.trim());
}

/**
 * A type-ahead filter: type part of a name, choose from the list. Only chosen
 * values reach `onChange`; typed text that names exactly one option is taken
 * when the field is left, anything else is dropped with a note.
 */
export const TypeaheadPicker = (props: {
  id: string;
  label: string;
  options: PickerOption[];
  /** The chosen value (e.g. from the address), shown even when not listed. */
  value?: string;
  onChange: (value: string | undefined) => void;
  loading?: boolean;
  /** Shown under the field (e.g. the list could not be loaded). */
  note?: string;
  /** What the list holds, for "No … matches". */
  noun: string;
  /** How a value missing from the list is shown. */
  fallback: (value: string) => PickerOption;
  acceptTyped?: (text: string) => string | undefined;
  className?: string;
}) => {
  const { options, value, onChange } = props;
  const [input, setInput] = useState('');
  const [unmatched, setUnmatched] = useState<string>();
  const typed = useRef('');
  const selected = useMemo(
    () =>
      value
        ? options.find(o => o.value === value) ?? props.fallback(value)
        : null,
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [options, value],
  );

  const onBlur = (e: FocusEvent<HTMLDivElement>) => {
    if (e.currentTarget.contains(e.relatedTarget as Node | null)) return;
    const text = typed.current;
    typed.current = '';
    if (!text.trim() || text === selected?.label) return;
    const resolved = resolveTyped(text, options, props.acceptTyped);
    if (resolved) {
      setUnmatched(undefined);
      if (resolved !== value) onChange(resolved);
    } else {
      setUnmatched(text.trim());
    }
  };

  const helper =
    (unmatched &&
      `“${unmatched}” matches no ${props.noun}; the filter was not changed.`) ||
    props.note;

  return (
    <Autocomplete<PickerOption>
      {...accessibleAutocomplete(props.id)}
      className={props.className}
      options={options}
      value={selected}
      inputValue={input}
      onInputChange={(_e, text, reason) => {
        setInput(text);
        // kept through the 'reset' the field does on blur, read in onBlur
        if (reason === 'input') {
          typed.current = text;
          setUnmatched(undefined);
        } else if (reason === 'clear') {
          typed.current = '';
        }
      }}
      onChange={(_e, option) => {
        typed.current = '';
        setUnmatched(undefined);
        onChange(option?.value);
      }}
      onBlur={onBlur}
      getOptionLabel={o => o.label}
      getOptionSelected={(o, v) => o.value === v.value}
      filterOptions={(all, state) =>
        matchOptions(all, state.inputValue).slice(0, MAX_SHOWN)
      }
      // Enter takes the first match once something is typed
      autoHighlight={input.trim().length > 0}
      loading={props.loading}
      loadingText="Loading…"
      noOptionsText={
        input.trim() ? `No ${props.noun} matches “${input.trim()}”` : 'None'
      }
      renderOption={o => (
        <div>
          <Typography variant="body2">{o.label}</Typography>
          {o.detail && (
            <Typography variant="caption" component="div">
              {o.detail}
            </Typography>
          )}
        </div>
      )}
      renderInput={params => (
        <TextField
          {...params}
          label={props.label}
          variant="outlined"
          size="small"
          helperText={helper}
          FormHelperTextProps={{ style: { color: 'inherit' } }}
        />
      )}
    />
  );
};

/* ---------- people from the catalog ---------- */

const peopleCache = new WeakMap<CatalogApi, Promise<PickerOption[]>>();

export function personOption(entity: Entity): PickerOption {
  const name = entity.metadata.name;
  const profile = (entity.spec?.profile ?? {}) as {
    displayName?: string;
    email?: string;
  };
  const label = profile.displayName || entity.metadata.title || name;
  const ref = stringifyEntityRef(entity).toLowerCase();
  return {
    value: ref,
    label,
    detail: [label === name ? undefined : name, profile.email]
      .filter(Boolean)
      .join(' · '),
    keywords: [
      name,
      entity.metadata.title ?? '',
      profile.displayName ?? '',
      profile.email ?? '',
      ref,
    ].filter(Boolean),
  };
}

/** Every user of the catalog, once per page load (dropped if it failed). */
function loadPeople(catalogApi: CatalogApi): Promise<PickerOption[]> {
  let people = peopleCache.get(catalogApi);
  if (!people) {
    people = catalogApi
      .getEntities({
        filter: { kind: 'User' },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'spec.profile.displayName',
          'spec.profile.email',
        ],
      })
      .then(({ items }) =>
        items.map(personOption).sort((a, b) => a.label.localeCompare(b.label)),
      );
    people.catch(() => peopleCache.delete(catalogApi));
    peopleCache.set(catalogApi, people);
  }
  return people;
}

const personFallback = (ref: string): PickerOption => ({
  value: ref,
  label: shortEntityRef(ref),
  detail: ref,
  keywords: [],
});

/**
 * A person from the catalog, by name, display name or email ("ali" finds
 * alice); the value is the user's entity ref.
 */
export const PersonPicker = (props: {
  id: string;
  label: string;
  value?: string;
  onChange: (ref: string | undefined) => void;
  className?: string;
}) => {
  const catalogApi = useApi(catalogApiRef);
  const people = useAsync(() => loadPeople(catalogApi), [catalogApi]);
  return (
    <TypeaheadPicker
      {...props}
      noun="person"
      options={people.value ?? []}
      loading={people.loading}
      note={
        people.error
          ? 'People could not be loaded from the catalog: type a user name.'
          : undefined
      }
      fallback={personFallback}
      // a full ref always; a bare user name only when the list is missing
      acceptTyped={text =>
        people.error || text.includes(':') ? personRef(text) : undefined
      }
    />
  );
};

/* ---------- AWS accounts from the organisation ---------- */

const accountsCache = new WeakMap<ElevatedAccessApi, Promise<PickerOption[]>>();

/** Accounts by name, id and the names of the OUs they sit in. */
export function accountOptions(targets: TargetsResponse): PickerOption[] {
  const ous = new Map(targets.organizationalUnits.map(o => [o.id, o]));
  const pathOf = (parentId: string): string[] => {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let ou = ous.get(parentId); ou && !seen.has(ou.id); ) {
      seen.add(ou.id);
      names.unshift(ou.name);
      ou = ous.get(ou.parentId);
    }
    return names;
  };
  return targets.accounts
    .map(a => {
      const path = a.ouPath?.length
        ? a.ouPath.map(o => o.name)
        : pathOf(a.parentId);
      return {
        value: a.id,
        label: `${a.name} (${a.id})`,
        detail: path.length ? `OU: ${path.join(' / ')}` : 'Organisation root',
        keywords: [a.name, a.id, ...path],
      };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
}

function loadAccounts(api: ElevatedAccessApi): Promise<PickerOption[]> {
  let accounts = accountsCache.get(api);
  if (!accounts) {
    accounts = api.getTargets().then(accountOptions);
    accounts.catch(() => accountsCache.delete(api));
    accountsCache.set(api, accounts);
  }
  return accounts;
}

const accountFallback = (id: string): PickerOption => ({
  value: id,
  label: id,
  keywords: [],
});

/** An AWS account by name, id or OU name; the value is its account id. */
export const AccountPicker = (props: {
  id: string;
  label?: string;
  value?: string;
  onChange: (accountId: string | undefined) => void;
  className?: string;
}) => {
  const api = useApi(elevatedAccessApiRef);
  const accounts = useAsync(() => loadAccounts(api), [api]);
  return (
    <TypeaheadPicker
      {...props}
      label={props.label ?? 'Account'}
      noun="account"
      options={accounts.value ?? []}
      loading={accounts.loading}
      note={
        accounts.error
          ? 'Accounts could not be loaded: type a 12-digit account id.'
          : undefined
      }
      fallback={accountFallback}
      acceptTyped={text => (ACCOUNT_ID.test(text) ? text : undefined)}
    />
  );
};
