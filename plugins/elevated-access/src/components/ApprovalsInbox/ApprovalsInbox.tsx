import { InfoCard, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AccessRequest,
  formatMinutes,
  REQUEST_STATUSES,
} from '@internal/backstage-plugin-elevated-access-common';
import {
  Grid,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { formatWhen, shortRef } from '../common/format';
import { RequestActions } from '../common/RequestActions';
import { RequestsTable } from '../common/RequestsTable';
import { StatusChip } from '../common/StatusChip';
import { usePagedRequests } from '../common/usePagedRequests';

/** The requester's recent requests that the approver can see, for context. */
const RequesterHistory = ({ request }: { request: AccessRequest }) => {
  const api = useApi(elevatedAccessApiRef);
  const history = useAsync(
    () =>
      api.listRequests({
        view: 'approvals',
        requester: request.requesterRef,
        status: [...REQUEST_STATUSES],
        limit: 10,
      }),
    [api, request.requesterRef],
  );
  if (history.error) return <ResponseErrorPanel error={history.error} />;
  const others = (history.value?.items ?? []).filter(r => r.id !== request.id);
  return (
    <InfoCard title={`Recent requests by ${shortRef(request.requesterRef)}`}>
      {history.loading && <Typography>Loading…</Typography>}
      {!history.loading && others.length === 0 && (
        <Typography color="textSecondary">
          No earlier requests that you approve.
        </Typography>
      )}
      <List dense>
        {others.map(r => (
          <ListItem key={r.id}>
            <ListItemText
              primary={`${r.permissionSetName} on ${r.accountName}`}
              secondary={`${formatWhen(r.createdAt)} · ${formatMinutes(
                r.durationMinutes,
              )} · ${r.justification}`}
            />
            <StatusChip status={r.status} />
          </ListItem>
        ))}
      </List>
    </InfoCard>
  );
};

/** Requests the caller may decide, newest first, and access they may revoke. */
export const ApprovalsInbox = () => {
  const pending = usePagedRequests({ view: 'approvals', status: ['pending'] });
  const active = usePagedRequests({
    view: 'approvals',
    status: ['approved', 'granting', 'active'],
  });
  const [selectedId, setSelectedId] = useState<string>();
  const selected =
    pending.items.find(r => r.id === selectedId) ?? pending.items[0];

  if (pending.error) return <ResponseErrorPanel error={pending.error} />;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={selected ? 7 : 12}>
        <RequestsTable
          title="Waiting for your decision"
          showRequester
          page={pending}
          onChanged={() => {
            pending.refresh();
            active.refresh();
          }}
          onSelect={r => setSelectedId(r.id)}
          selectedId={selected?.id}
          emptyContent={
            <Typography>Nothing waits for your decision.</Typography>
          }
        />
      </Grid>
      {selected && (
        <Grid item xs={12} md={5}>
          <InfoCard
            title={`${selected.permissionSetName} on ${selected.accountName}`}
          >
            <Typography paragraph>
              <strong>{shortRef(selected.requesterRef)}</strong> asks for{' '}
              {formatMinutes(selected.durationMinutes)} from{' '}
              {formatWhen(selected.startTime)}.
            </Typography>
            <Typography paragraph style={{ whiteSpace: 'pre-wrap' }}>
              {selected.justification}
            </Typography>
            {selected.ticketId && (
              <Typography paragraph>
                Ticket:{' '}
                {selected.ticketUrl ? (
                  <a href={selected.ticketUrl} target="_blank" rel="noreferrer">
                    {selected.ticketId}
                  </a>
                ) : (
                  selected.ticketId
                )}
              </Typography>
            )}
            <Typography paragraph variant="body2" color="textSecondary">
              {selected.approvals} of {selected.minApprovals} approval
              {selected.minApprovals > 1 ? 's' : ''} so far · expires{' '}
              {formatWhen(selected.expiresAt)}
            </Typography>
            <RequestActions
              request={selected}
              size="medium"
              onChanged={() => {
                pending.refresh();
                active.refresh();
              }}
            />
          </InfoCard>
          <div style={{ marginTop: 16 }}>
            <RequesterHistory request={selected} />
          </div>
        </Grid>
      )}
      <Grid item xs={12}>
        <RequestsTable
          title="Approved and active access you approve"
          showRequester
          page={active}
          emptyContent={
            <Typography>
              No access in your scope is approved or active now.
            </Typography>
          }
        />
      </Grid>
    </Grid>
  );
};
