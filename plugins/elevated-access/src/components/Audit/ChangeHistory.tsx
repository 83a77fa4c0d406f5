import { useApi } from '@backstage/core-plugin-api';
import {
  ChangeEntityType,
  ConfigChange,
  diffChange,
  FieldChange,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Typography } from '@material-ui/core';
import {
  ChangeListQuery,
  elevatedAccessApiRef,
} from '../../api/ElevatedAccessApi';
import { formatWhen, shortRef } from '../common/format';
import { AuditFilterBar, NothingMatches } from './AuditFilterBar';
import { AuditColumn, AuditList } from './AuditList';
import { AuditFilterKey, useAuditFilters } from './filters';
import { usePagedList } from './usePagedList';

const KEYS: AuditFilterKey[] = ['type', 'actor', 'from', 'to'];

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
  ticketExample: 'Ticket example',
  ticketLinkTemplate: 'Ticket link',
  commentRequiredOnReject: 'Comment required to reject',
  commentRequiredOnRevoke: 'Comment required to revoke',
  pendingTimeoutMinutes: 'Pending timeout (minutes)',
  reminderBeforeExpiryMinutes: 'Reminder before expiry (minutes)',
  endsSoonMinutes: 'Ends soon notice (minutes)',
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
  const state = useAuditFilters(KEYS);
  const { filters, range } = state;
  const query: Omit<ChangeListQuery, 'cursor' | 'limit'> = {
    type: filters.type,
    actor: filters.actor,
    ...range,
  };
  const list = usePagedList(query, q => api.listChanges(q));

  const columns: AuditColumn<ConfigChange>[] = [
    {
      title: 'When',
      render: c => <span title={c.createdAt}>{formatWhen(c.createdAt)}</span>,
    },
    { title: 'Who', render: c => shortRef(c.actorRef) },
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
      <AuditFilterBar keys={KEYS} state={state} />
      <AuditList<ConfigChange>
        title="Policy and settings changes"
        columns={columns}
        list={list}
        rowKey={c => c.id}
        action="load the change history"
        emptyContent={
          <NothingMatches what="change" filtered={state.filtered} />
        }
      />
    </>
  );
};
