import {
  Link,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  DecisionRecord,
  formatMinutes,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  Button,
  Chip,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import { useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import {
  DecisionListQuery,
  elevatedAccessApiRef,
} from '../../api/ElevatedAccessApi';
import { requestRouteRef } from '../../routes';
import { DownloadButton } from '../common/download';
import { formatWhen, shortRef } from '../common/format';
import { dayStart } from './dates';
import { usePagedList } from './usePagedList';

interface Filters {
  approver: string;
  requester: string;
  accountId: string;
  decision: '' | 'approve' | 'reject';
  from: string;
  to: string;
}

const EMPTY: Filters = {
  approver: '',
  requester: '',
  accountId: '',
  decision: '',
  from: '',
  to: '',
};

/** "30 min of 1 h" when an approver shortened the request. */
function durationText(d: DecisionRecord): string | undefined {
  if (d.decision !== 'approve' || d.durationMinutes === undefined) {
    return undefined;
  }
  return `${formatMinutes(d.durationMinutes)} of ${formatMinutes(
    d.requestedDurationMinutes,
  )} asked`;
}

/**
 * The approval history (auditors, admins): every approver decision, newest
 * first, filtered on the server, with a CSV export of the same filters.
 */
export const ApprovalHistory = () => {
  const api = useApi(elevatedAccessApiRef);
  const link = useRouteRef(requestRouteRef);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [applied, setApplied] = useState(filters);
  useDebounce(() => setApplied(filters), 400, [filters]);
  const accountValid = !applied.accountId || /^\d{12}$/.test(applied.accountId);
  const query: Omit<DecisionListQuery, 'cursor' | 'limit'> = {
    approver: applied.approver.trim() || undefined,
    requester: applied.requester.trim() || undefined,
    accountId:
      accountValid && applied.accountId ? applied.accountId : undefined,
    decision: applied.decision || undefined,
    from: dayStart(applied.from),
    to: dayStart(applied.to, true),
  };
  const list = usePagedList(
    cursor => api.listDecisions({ ...query, cursor }),
    JSON.stringify(query),
  );
  const set = (key: keyof Filters, value: string) =>
    setFilters(f => ({ ...f, [key]: value }));

  const columns: TableColumn<DecisionRecord>[] = [
    {
      title: 'Decided',
      field: 'createdAt',
      render: d => <span title={d.createdAt}>{formatWhen(d.createdAt)}</span>,
    },
    {
      title: 'Request',
      render: d => (
        <>
          <Link to={link({ id: d.requestId })}>
            {d.accountName} ({d.accountId})
          </Link>
          <Typography variant="caption" display="block">
            {d.permissionSetName}
          </Typography>
        </>
      ),
    },
    {
      title: 'Requester',
      field: 'requesterRef',
      render: d => shortRef(d.requesterRef),
    },
    {
      title: 'Decision',
      field: 'decision',
      render: d => (
        <Chip
          size="small"
          label={d.decision === 'approve' ? 'Approved' : 'Rejected'}
          color={d.decision === 'approve' ? 'primary' : 'secondary'}
          variant="outlined"
        />
      ),
    },
    {
      title: 'By',
      field: 'approverRef',
      render: d => shortRef(d.approverRef),
    },
    {
      title: 'Comment',
      field: 'comment',
      render: d => d.comment ?? '',
    },
    {
      title: 'Shortened to',
      render: d => durationText(d) ?? '',
    },
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
          label="Approver"
          size="small"
          variant="outlined"
          value={filters.approver}
          onChange={e => set('approver', e.target.value)}
          helperText="name or user:default/name"
          inputProps={{ 'aria-label': 'Approver' }}
        />
        <TextField
          label="Requester"
          size="small"
          variant="outlined"
          value={filters.requester}
          onChange={e => set('requester', e.target.value)}
          helperText="name or user:default/name"
          inputProps={{ 'aria-label': 'Requester' }}
        />
        <TextField
          label="Account id"
          size="small"
          variant="outlined"
          value={filters.accountId}
          onChange={e => set('accountId', e.target.value.trim())}
          error={!accountValid}
          helperText={accountValid ? ' ' : '12 digits'}
          inputProps={{ 'aria-label': 'Account id' }}
        />
        <TextField
          select
          id="elevated-access-decision-filter"
          SelectProps={{ displayEmpty: true }}
          InputLabelProps={{ shrink: true }}
          label="Decision"
          size="small"
          variant="outlined"
          value={filters.decision}
          onChange={e => set('decision', e.target.value)}
          helperText=" "
          style={{ minWidth: 140 }}
        >
          <MenuItem value="">Any</MenuItem>
          <MenuItem value="approve">Approved</MenuItem>
          <MenuItem value="reject">Rejected</MenuItem>
        </TextField>
        <TextField
          label="From"
          type="date"
          size="small"
          variant="outlined"
          value={filters.from}
          onChange={e => set('from', e.target.value)}
          InputLabelProps={{ shrink: true }}
          helperText=" "
          inputProps={{ 'aria-label': 'From' }}
        />
        <TextField
          label="To"
          type="date"
          size="small"
          variant="outlined"
          value={filters.to}
          onChange={e => set('to', e.target.value)}
          InputLabelProps={{ shrink: true }}
          helperText=" "
          inputProps={{ 'aria-label': 'To' }}
        />
        <DownloadButton
          label="Decisions CSV"
          filename="elevated-access-decisions.csv"
          fetch={options => api.downloadDecisionsCsv(query, options)}
        />
      </div>
      {list.error ? (
        <ResponseErrorPanel error={list.error} />
      ) : (
        <Table<DecisionRecord>
          title="Approval history"
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
              <Typography>No decision matches these filters.</Typography>
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
