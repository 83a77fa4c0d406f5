import { useApi } from '@backstage/core-plugin-api';
import { csvExportFilename } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Typography } from '@material-ui/core';
import {
  elevatedAccessApiRef,
  RequestExportFilters,
} from '../../api/ElevatedAccessApi';
import { PersonPicker } from '../Audit/pickers';
import { DownloadButton } from '../common/download';
import { RequestsTable } from '../common/RequestsTable';
import { StatusFilter } from '../common/StatusFilter';
import { usePagedRequests } from '../common/usePagedRequests';
import { useSearchParam, useStatusParam } from '../common/useStatusParam';

/**
 * An approver's history: the requests they decided and those that ended
 * where they approve today, filtered, with a CSV of exactly what is shown.
 * The filters live in the address, so the way back from a request keeps them.
 */
export const DecidedRequests = () => {
  const api = useApi(elevatedAccessApiRef);
  const [status, setStatus] = useStatusParam();
  const [appliedRequester, setAppliedRequester] = useSearchParam('requester');
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
          <PersonPicker
            id="decided-requester"
            label="Requester"
            value={appliedRequester || undefined}
            onChange={ref => setAppliedRequester(ref)}
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
