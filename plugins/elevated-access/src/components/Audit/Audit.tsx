import { useApi } from '@backstage/core-plugin-api';
import {
  csvExportFilename,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { MenuItem, TextField, Typography } from '@material-ui/core';
import { DateTime } from 'luxon';
import { useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import {
  elevatedAccessApiRef,
  RequestExportFilters,
} from '../../api/ElevatedAccessApi';
import { DownloadButton } from '../common/download';
import { RequestsTable } from '../common/RequestsTable';
import { StatusFilter } from '../common/StatusFilter';
import { usePagedRequests } from '../common/usePagedRequests';

interface Filters {
  status: RequestStatus[];
  accountId: string;
  requester: string;
  from: string;
  to: string;
  /** Grants used or unused, from their complete activity; '' for all. */
  used: '' | 'true' | 'false';
}

/** A day in the user's zone → the instant it starts (or the next day starts, for `to`). */
const dayStart = (day: string, next = false) =>
  day
    ? DateTime.fromISO(day)
        .plus({ days: next ? 1 : 0 })
        .startOf('day')
        .toUTC()
        .toISO()!
    : undefined;

/** Every request, filtered, with CSV exports (auditors and admins). */
export const Audit = () => {
  const api = useApi(elevatedAccessApiRef);
  const [filters, setFilters] = useState<Filters>({
    status: [],
    accountId: '',
    requester: '',
    from: '',
    to: '',
    used: '',
  });
  const [applied, setApplied] = useState(filters);
  useDebounce(() => setApplied(filters), 400, [filters]);
  const accountValid = !applied.accountId || /^\d{12}$/.test(applied.accountId);
  // the list and both exports take exactly these filters (exports = screen)
  const exported: RequestExportFilters = {
    status: applied.status.length ? applied.status : undefined,
    accountId:
      accountValid && applied.accountId ? applied.accountId : undefined,
    requester: applied.requester.trim() || undefined,
    from: dayStart(applied.from),
    to: dayStart(applied.to, true),
    used: applied.used === '' ? undefined : applied.used === 'true',
  };
  const query = { view: 'all' as const, ...exported };
  // the file names the filters as the page shows them (days in the user's zone)
  const shown = {
    ...exported,
    from: exported.from && applied.from,
    to: exported.to && applied.to,
  };
  const list = usePagedRequests(query);
  const set = (key: keyof Filters, value: Filters[keyof Filters]) =>
    setFilters(f => ({ ...f, [key]: value }));

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
        <StatusFilter value={filters.status} onChange={v => set('status', v)} />
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
          label="Requester"
          size="small"
          variant="outlined"
          value={filters.requester}
          onChange={e => set('requester', e.target.value)}
          helperText="name or user:default/name"
          inputProps={{ 'aria-label': 'Requester' }}
        />
        <TextField
          select
          label="Used"
          size="small"
          variant="outlined"
          value={filters.used}
          onChange={e => set('used', e.target.value as Filters['used'])}
          helperText="from complete activity"
          style={{ minWidth: 140 }}
          inputProps={{ 'aria-label': 'Used' }}
        >
          <MenuItem value="">Any</MenuItem>
          <MenuItem value="true">Used</MenuItem>
          <MenuItem value="false">Unused</MenuItem>
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
          label="Requests CSV"
          filename={csvExportFilename('requests', shown)}
          fetch={options => api.downloadRequestsCsv(exported, options)}
        />
        <DownloadButton
          label="Activity CSV"
          filename={csvExportFilename('activity', shown)}
          fetch={options => api.downloadActivityCsv(exported, options)}
        />
      </div>
      <RequestsTable
        title="All requests"
        showRequester
        showDecidedBy
        page={list}
        emptyContent={
          <Typography>No request matches these filters.</Typography>
        }
      />
    </>
  );
};
