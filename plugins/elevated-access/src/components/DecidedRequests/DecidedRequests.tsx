import { useApi } from '@backstage/core-plugin-api';
import { csvExportFilename } from '@elevated-access/backstage-plugin-elevated-access-common';
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
import { useSearchParam, useStatusParam } from '../common/useStatusParam';

/** What the server takes as a requester: a user name or an entity ref. */
const REQUESTER = /^[A-Za-z0-9:/._-]+$/;

/**
 * An approver's history: the requests they decided and those that ended
 * where they approve today, filtered, with a CSV of exactly what is shown.
 * The filters live in the address, so the way back from a request keeps them.
 */
export const DecidedRequests = () => {
  const api = useApi(elevatedAccessApiRef);
  const [status, setStatus] = useStatusParam();
  const [appliedRequester, setAppliedRequester] = useSearchParam('requester');
  const [requester, setRequester] = useState(appliedRequester);
  const typed = requester.trim();
  const requesterValid = !typed || REQUESTER.test(typed);
  useDebounce(
    () => {
      // a value the server would refuse is flagged here, never sent
      if (requesterValid && typed !== appliedRequester) {
        setAppliedRequester(typed || undefined);
      }
    },
    400,
    [typed, requesterValid],
  );
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
      loadAction="load the requests you decided"
      actions={
        <>
          <StatusFilter value={status} onChange={setStatus} />
          <TextField
            id="decided-requester"
            label="Requester"
            size="small"
            variant="outlined"
            value={requester}
            onChange={e => setRequester(e.target.value)}
            error={!requesterValid}
            helperText={
              requesterValid ? undefined : 'A user name, for example alice'
            }
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
