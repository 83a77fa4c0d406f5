import {
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  ChangeEntityType,
  ConfigChange,
  diffChange,
  FieldChange,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Button, MenuItem, TextField, Typography } from '@material-ui/core';
import { useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import {
  ChangeListQuery,
  elevatedAccessApiRef,
} from '../../api/ElevatedAccessApi';
import { formatWhen, shortRef } from '../common/format';
import { dayStart } from './dates';
import { usePagedList } from './usePagedList';

const KINDS: Record<ChangeEntityType, string> = {
  'eligibility-policy': 'Eligibility policy',
  'approver-policy': 'Approver policy',
  settings: 'Settings',
};

const ACTIONS: Record<string, string> = {
  create: 'created',
  update: 'changed',
  delete: 'deleted',
};

/** How people read the stored field names. */
const LABELS: Record<string, string> = {
  name: 'Name',
  principals: 'Who may request',
  approvers: 'Approvers',
  accounts: 'Accounts',
  ous: 'OUs',
  permissionSets: 'Permission sets',
  maxDurationMinutes: 'Max duration (minutes)',
  approvalRequired: 'Approval required',
  ticketRequired: 'Ticket required',
  minApprovals: 'Approvals needed',
  ticketPattern: 'Ticket pattern',
  ticketLinkTemplate: 'Ticket link',
  commentRequiredOnReject: 'Comment required to reject',
  commentRequiredOnRevoke: 'Comment required to revoke',
  pendingTimeoutMinutes: 'Pending timeout (minutes)',
  reminderBeforeExpiryMinutes: 'Reminder before expiry (minutes)',
};

export function formatValue(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (value === null || value === '') return '(none)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) {
    return value.length
      ? value
          .map(v => (typeof v === 'string' ? shortRef(v) : formatValue(v)))
          .join(', ')
      : '(none)';
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const FieldLine = ({ change }: { change: FieldChange }) => {
  const label = LABELS[change.field] ?? change.field;
  const list = change.added !== undefined && change.removed !== undefined;
  return (
    <Typography variant="body2" component="li">
      <strong>{label}</strong>:{' '}
      {list ? (
        <>
          {change.added!.length > 0 && (
            <span>added {formatValue(change.added)}</span>
          )}
          {change.added!.length > 0 && change.removed!.length > 0 && '; '}
          {change.removed!.length > 0 && (
            <span>removed {formatValue(change.removed)}</span>
          )}
          {!change.added!.length && !change.removed!.length && (
            <span>
              {formatValue(change.before)} → {formatValue(change.after)}
            </span>
          )}
        </>
      ) : (
        <span>
          {formatValue(change.before)} → {formatValue(change.after)}
        </span>
      )}
    </Typography>
  );
};

/** The fields a change set or changed, or what is known of an older entry. */
export const ChangeDiff = ({ change }: { change: ConfigChange }) => {
  if (change.before === undefined && change.after === undefined) {
    return (
      <Typography variant="body2" color="textSecondary">
        The values were not recorded for this entry.
      </Typography>
    );
  }
  const fields = diffChange(change.before, change.after);
  if (!fields.length) {
    return (
      <Typography variant="body2" color="textSecondary">
        Saved without changes.
      </Typography>
    );
  }
  return (
    <ul style={{ margin: 0, paddingLeft: 16 }}>
      {fields.map(f => (
        <FieldLine key={f.field} change={f} />
      ))}
    </ul>
  );
};

/**
 * The policy and settings change history (auditors, admins): who changed
 * what when, field by field.
 */
export const ChangeHistory = () => {
  const api = useApi(elevatedAccessApiRef);
  const [type, setType] = useState<'' | ChangeEntityType>('');
  const [actor, setActor] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [appliedActor, setAppliedActor] = useState('');
  useDebounce(() => setAppliedActor(actor.trim()), 400, [actor]);
  const query: Omit<ChangeListQuery, 'cursor' | 'limit'> = {
    type: type || undefined,
    actor: appliedActor || undefined,
    from: dayStart(from),
    to: dayStart(to, true),
  };
  const list = usePagedList(
    cursor => api.listChanges({ ...query, cursor }),
    JSON.stringify(query),
  );

  const columns: TableColumn<ConfigChange>[] = [
    {
      title: 'When',
      field: 'createdAt',
      render: c => <span title={c.createdAt}>{formatWhen(c.createdAt)}</span>,
    },
    { title: 'Who', field: 'actorRef', render: c => shortRef(c.actorRef) },
    {
      title: 'What',
      render: c => (
        <>
          <Typography variant="body2">
            {KINDS[c.entityType] ?? c.entityType}{' '}
            {ACTIONS[c.action] ?? c.action}
          </Typography>
          {c.entityName && (
            <Typography variant="caption" display="block">
              {c.entityName}
            </Typography>
          )}
        </>
      ),
    },
    { title: 'Changes', render: c => <ChangeDiff change={c} /> },
  ];

  return (
    <>
      <div
        style={{
          display: 'flex',
          flexWrap: 'wrap',
          gap: 16,
          marginBottom: 16,
          alignItems: 'center',
        }}
      >
        <TextField
          select
          id="elevated-access-change-type-filter"
          SelectProps={{ displayEmpty: true }}
          InputLabelProps={{ shrink: true }}
          label="Type"
          size="small"
          variant="outlined"
          value={type}
          onChange={e => setType(e.target.value as '' | ChangeEntityType)}
          helperText=" "
          style={{ minWidth: 180 }}
        >
          <MenuItem value="">All</MenuItem>
          <MenuItem value="eligibility-policy">Eligibility policies</MenuItem>
          <MenuItem value="approver-policy">Approver policies</MenuItem>
          <MenuItem value="settings">Settings</MenuItem>
        </TextField>
        <TextField
          label="Changed by"
          size="small"
          variant="outlined"
          value={actor}
          onChange={e => setActor(e.target.value)}
          helperText="name or user:default/name"
          inputProps={{ 'aria-label': 'Changed by' }}
        />
        <TextField
          label="From"
          type="date"
          size="small"
          variant="outlined"
          value={from}
          onChange={e => setFrom(e.target.value)}
          InputLabelProps={{ shrink: true }}
          helperText=" "
          inputProps={{ 'aria-label': 'From' }}
        />
        <TextField
          label="To"
          type="date"
          size="small"
          variant="outlined"
          value={to}
          onChange={e => setTo(e.target.value)}
          InputLabelProps={{ shrink: true }}
          helperText=" "
          inputProps={{ 'aria-label': 'To' }}
        />
      </div>
      {list.error ? (
        <ResponseErrorPanel error={list.error} />
      ) : (
        <Table<ConfigChange>
          title="Policy and settings changes"
          isLoading={list.loading}
          columns={columns}
          data={list.items}
          options={{
            paging: false,
            search: false,
            sorting: false,
            padding: 'dense',
            toolbar: true,
          }}
          emptyContent={
            <div style={{ padding: 16 }}>
              <Typography>No change matches these filters.</Typography>
            </div>
          }
        />
      )}
      {list.loadMore && (
        <Button onClick={list.loadMore} style={{ marginTop: 8 }}>
          Load more
        </Button>
      )}
    </>
  );
};
