import {
  Button,
  makeStyles,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { ReactNode } from 'react';
import { StatusFilter } from '../common/StatusFilter';
import {
  AuditFilterKey,
  AuditFilters,
  DEFAULTS,
  FILTER_LABELS,
  rangeBackwards,
  useAuditFilters,
} from './filters';
import { AccountPicker, PersonPicker } from './pickers';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    alignItems: 'flex-start',
    marginBottom: theme.spacing(2),
  },
  field: {
    flex: '0 1 240px',
    minWidth: 180,
    [theme.breakpoints.down('xs')]: {
      flex: '1 1 100%',
      minWidth: 0,
    },
  },
  small: {
    flex: '0 1 160px',
    minWidth: 130,
    [theme.breakpoints.down('xs')]: {
      // two dates or two selects side by side on a phone
      flex: '1 1 40%',
      minWidth: 0,
    },
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    alignItems: 'center',
    minHeight: 40,
    [theme.breakpoints.down('xs')]: {
      flex: '1 1 100%',
    },
  },
  helper: {
    color: theme.palette.text.primary,
  },
}));

type Option = { value: string; label: string };

/** The one break-glass control: it sets `breakGlass` or `review`. */
const BREAK_GLASS_OPTIONS: Array<
  Option & { filters: Pick<AuditFilters, 'breakGlass' | 'review'> }
> = [
  { value: '', label: 'All', filters: {} },
  { value: 'only', label: 'Break-glass only', filters: { breakGlass: 'true' } },
  {
    value: 'awaiting',
    label: 'Awaiting review',
    filters: { review: 'awaiting' },
  },
  {
    value: 'appropriate',
    label: 'Reviewed appropriate',
    filters: { review: 'appropriate' },
  },
  {
    value: 'inappropriate',
    label: 'Reviewed inappropriate',
    filters: { review: 'inappropriate' },
  },
];

/** The break-glass control's value for the filters in the address. */
export function breakGlassChoice(filters: AuditFilters): string {
  if (filters.review) return filters.review;
  return filters.breakGlass ? 'only' : '';
}

const SELECTS: Partial<
  Record<AuditFilterKey, { options: Option[]; empty?: string }>
> = {
  used: {
    empty: 'Any',
    options: [
      { value: 'true', label: 'Used' },
      { value: 'false', label: 'Unused' },
    ],
  },
  decision: {
    empty: 'Any',
    options: [
      { value: 'approve', label: 'Approved' },
      { value: 'reject', label: 'Rejected' },
    ],
  },
  type: {
    empty: 'All',
    options: [
      { value: 'eligibility-policy', label: 'Eligibility policies' },
      { value: 'approver-policy', label: 'Approver policies' },
      { value: 'settings', label: 'Settings' },
    ],
  },
  per: {
    options: [
      { value: 'account', label: 'Account' },
      { value: 'permissionSet', label: 'Permission set' },
    ],
  },
  bucket: {
    options: [
      { value: 'week', label: 'Week' },
      { value: 'day', label: 'Day' },
    ],
  },
};

export type AuditFilterState = ReturnType<typeof useAuditFilters>;

/**
 * The one filter bar of the audit views: each view names the filters that
 * apply to it; values live in the address (see `useAuditFilters`). People and
 * accounts are chosen from type-ahead lists, so only real values are sent.
 */
export const AuditFilterBar = (props: {
  keys: readonly AuditFilterKey[];
  state: AuditFilterState;
  /** Downloads and the like, at the end of the bar. */
  actions?: ReactNode;
}) => {
  const classes = useStyles();
  const { keys, state } = props;
  const { filters, ignored, set } = state;
  const backwards = rangeBackwards(filters);
  const anySet = state.filtered || ignored.length > 0;

  const field = (key: AuditFilterKey): ReactNode => {
    const id = `audit-filter-${key}`;
    switch (key) {
      case 'requester':
      case 'approver':
      case 'actor':
        return (
          <PersonPicker
            key={key}
            id={id}
            className={classes.field}
            label={FILTER_LABELS[key]}
            value={filters[key]}
            onChange={v => set(key, v)}
          />
        );
      case 'account':
        return (
          <AccountPicker
            key={key}
            id={id}
            className={classes.field}
            value={filters.account}
            onChange={v => set('account', v)}
          />
        );
      case 'status':
        return (
          <div key={key} className={classes.field}>
            <StatusFilter
              value={filters.status}
              onChange={v => set('status', v)}
            />
          </div>
        );
      case 'breakGlass':
        return (
          <TextField
            key={key}
            id={id}
            className={classes.field}
            select
            label="Break-glass"
            size="small"
            variant="outlined"
            value={breakGlassChoice(filters)}
            onChange={e => {
              const chosen = BREAK_GLASS_OPTIONS.find(
                o => o.value === e.target.value,
              );
              state.setMany({
                breakGlass: undefined,
                review: undefined,
                ...chosen?.filters,
              });
            }}
            SelectProps={{ displayEmpty: true }}
            InputLabelProps={{ shrink: true }}
          >
            {BREAK_GLASS_OPTIONS.map(o => (
              <MenuItem key={o.value} value={o.value}>
                {o.label}
              </MenuItem>
            ))}
          </TextField>
        );
      case 'review':
        // set by the break-glass control
        return null;
      case 'from':
      case 'to':
        return (
          <TextField
            key={key}
            id={id}
            className={classes.small}
            label={FILTER_LABELS[key]}
            type="date"
            size="small"
            variant="outlined"
            value={filters[key] ?? ''}
            onChange={e => set(key, e.target.value || undefined)}
            InputLabelProps={{ shrink: true }}
            error={key === 'to' && backwards}
            helperText={
              key === 'to' && backwards
                ? 'Before From: the dates are not applied'
                : undefined
            }
            FormHelperTextProps={{ className: classes.helper }}
          />
        );
      default: {
        const select = SELECTS[key]!;
        return (
          <TextField
            key={key}
            id={id}
            className={classes.small}
            select
            label={FILTER_LABELS[key]}
            size="small"
            variant="outlined"
            value={(filters[key] as string | undefined) ?? DEFAULTS[key] ?? ''}
            onChange={e =>
              set(
                key,
                (e.target.value || undefined) as AuditFilters[typeof key],
              )
            }
            SelectProps={{ displayEmpty: true }}
            InputLabelProps={{ shrink: true }}
          >
            {select.empty !== undefined && (
              <MenuItem value="">{select.empty}</MenuItem>
            )}
            {select.options.map(o => (
              <MenuItem key={o.value} value={o.value}>
                {o.label}
              </MenuItem>
            ))}
          </TextField>
        );
      }
    }
  };

  return (
    <>
      {ignored.length > 0 && (
        <Alert severity="warning" style={{ marginBottom: 16 }}>
          Not understood in the link, so not applied:{' '}
          {ignored.map(k => FILTER_LABELS[k]).join(', ')}.
        </Alert>
      )}
      <div className={classes.bar} role="group" aria-label="Filters">
        {keys.map(field)}
        <div className={classes.actions}>
          {anySet && (
            <Button size="small" onClick={state.clear}>
              Clear filters
            </Button>
          )}
          {props.actions}
        </div>
      </div>
    </>
  );
};

/** A list's empty state: nothing yet, or nothing for these filters. */
export const NothingMatches = (props: { what: string; filtered: boolean }) => (
  <Typography>
    {props.filtered
      ? `No ${props.what} matches these filters.`
      : `No ${props.what} yet.`}
  </Typography>
);
