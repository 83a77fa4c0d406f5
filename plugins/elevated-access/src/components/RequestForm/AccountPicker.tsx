import { useApi } from '@backstage/core-plugin-api';
import {
  AccountSummary,
  EligibleAccount,
  EligibleAccountsResponse,
  plural,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { TextField, Typography } from '@material-ui/core';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useEffect, useRef, useState } from 'react';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { accessibleAutocomplete } from '../common/accessibleAutocomplete';

/**
 * How long typing pauses before the search is sent. Short, so a keystroke is
 * answered within 100 ms (at 50 ms the pause was half of that budget in
 * `yarn bench picker`); key repeat and pasting still send one search.
 */
export const SEARCH_DEBOUNCE_MS = 20;

/** The accounts shown per search; the server says when more match. */
const SEARCH_LIMIT = 50;

export const ouPathLabel = (a: AccountSummary) =>
  a.ouPath.length ? a.ouPath.map(o => o.name).join(' / ') : 'Root';

/**
 * The request form's "AWS account" field: a type-ahead over the server's
 * search of the caller's eligible accounts (name, id, OU name or path), so
 * the browser never holds a large organisation's accounts. Opened without
 * text it shows `initial`, the first accounts by name.
 */
export function AccountPicker(props: {
  initial: EligibleAccountsResponse;
  value: AccountSummary | null;
  onChange: (account: AccountSummary | null) => void;
  error?: string;
}) {
  const { initial, value, onChange, error } = props;
  const api = useApi(elevatedAccessApiRef);
  const [text, setText] = useState('');
  // what was typed: choosing an account writes its label in the field,
  // which is not a search
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<EligibleAccountsResponse>(initial);
  const [loading, setLoading] = useState(false);
  const [failure, setFailure] = useState<string>();
  // answers to earlier keystrokes that arrive late are dropped
  const latest = useRef(0);

  useEffect(() => {
    const q = query.trim();
    const call = ++latest.current;
    if (!q) {
      setResult(initial);
      setLoading(false);
      setFailure(undefined);
      return undefined;
    }
    setLoading(true);
    const timer = setTimeout(() => {
      api.searchEligibleAccounts({ q, limit: SEARCH_LIMIT }).then(
        found => {
          if (call !== latest.current) return;
          setResult(found);
          setFailure(undefined);
          setLoading(false);
        },
        e => {
          if (call !== latest.current) return;
          setFailure(e instanceof Error ? e.message : String(e));
          setLoading(false);
        },
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [api, query, initial]);

  let status = 'Search by name, id or OU';
  if (loading) status = 'Searching…';
  else if (failure) status = `Could not search the accounts: ${failure}`;
  else if (result.truncated) {
    status = `Showing the first ${result.items.length} of ${plural(
      result.total,
      'account',
    )}: type to narrow`;
  }

  return (
    <Autocomplete<EligibleAccount | AccountSummary>
      {...accessibleAutocomplete('request-account')}
      options={result.items}
      // the server has searched; the browser shows what it sent, in its order
      filterOptions={options => options}
      getOptionLabel={a => `${a.name} (${a.id})`}
      getOptionSelected={(option, selected) => option.id === selected.id}
      value={value}
      inputValue={text}
      onInputChange={(_e, next, reason) => {
        setText(next);
        setQuery(reason === 'input' ? next : '');
      }}
      onChange={(_e, next) => onChange(next)}
      loading={loading}
      loadingText="Searching…"
      noOptionsText={
        failure
          ? 'The search failed; change the text to try again'
          : 'No account you may request matches'
      }
      renderOption={a => (
        <div>
          <Typography variant="body2">
            {a.name} ({a.id})
          </Typography>
          <Typography variant="caption" color="textSecondary">
            {ouPathLabel(a)}
            {'permissionSetCount' in a &&
              ` · ${plural(a.permissionSetCount, 'permission set')}`}
          </Typography>
        </div>
      )}
      renderInput={params => (
        <TextField
          {...params}
          label="AWS account"
          variant="outlined"
          required
          error={!!error || !!failure}
          helperText={error ?? status}
          FormHelperTextProps={
            // the count and failures are read out as they change
            { 'aria-live': 'polite' } as object
          }
        />
      )}
    />
  );
}
