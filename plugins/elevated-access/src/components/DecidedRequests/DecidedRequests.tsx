import { useApi } from '@backstage/core-plugin-api';
import {
  csvExportFilename,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { TextField, Typography } from '@material-ui/core';
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

/**
 * An approver's history: the requests they decided and those that ended
 * where they approve today, filtered, with a CSV of exactly what is shown.
 */
export const DecidedRequests = () => {
  const api = useApi(elevatedAccessApiRef);
  const [status, setStatus] = useState<RequestStatus[]>([]);
  const [requester, setRequester] = useState('');
  const [appliedRequester, setAppliedRequester] = useState('');
  useDebounce(() => setAppliedRequester(requester.trim()), 400, [requester]);
  // the list and its export take exactly these filters (exports = screen)
  const filters: RequestExportFilters = {
    status: status.length ? status : undefined,
    requester: appliedRequester || undefined,
  };
  const list = usePagedRequests({ view: 'decided', ...filters });
  const filtered = Boolean(filters.status || filters.requester);

  return (
    <RequestsTable
      title="Decided"
      showRequester
      showDecidedBy
      page={list}
      actions={
        <>
          <StatusFilter value={status} onChange={setStatus} />
          <TextField
            label="Requester"
            size="small"
            variant="outlined"
            value={requester}
            onChange={e => setRequester(e.target.value)}
            inputProps={{ 'aria-label': 'Requester' }}
          />
          <DownloadButton
            label="Decided CSV"
            filename={csvExportFilename('decided', filters)}
            fetch={options => api.downloadDecidedCsv(filters, options)}
          />
        </>
      }
      emptyContent={
        <Typography>
          {filtered
            ? 'No decided request matches these filters.'
            : 'Nothing decided yet: requests you approve or reject, and those that end where you approve, show here.'}
        </Typography>
      }
    />
  );
};
