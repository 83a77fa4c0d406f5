import { InfoCard, Link, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  AccessRequest,
  formatMinutes,
  REQUEST_STATUSES,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  Button,
  Grid,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useCallback, useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { formatWhen, shortRef } from '../common/format';
import { ActionDialogHost, RequestActions } from '../common/RequestActions';
import { RequestsTable } from '../common/RequestsTable';
import { StatusChip } from '../common/StatusChip';
import { usePagedRequests } from '../common/usePagedRequests';
import { requestRouteRef } from '../../routes';
import { useHeldArrivals } from './useHeldArrivals';

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

/**
 * What happened to the chosen request once it left the inbox (someone
 * decided it, the requester withdrew it, or it expired); when it is in fact
 * still pending (it only fell off the first page) its actions come back.
 */
const LeftTheInbox = (props: {
  request: AccessRequest;
  onChanged: () => void;
}) => {
  const api = useApi(elevatedAccessApiRef);
  const link = useRouteRef(requestRouteRef);
  const { id } = props.request;
  const now = useAsync(() => api.getRequest(id), [api, id]);
  if (now.value?.status === 'pending') {
    return (
      <RequestActions
        request={now.value}
        size="medium"
        onChanged={props.onChanged}
      />
    );
  }
  return (
    <Alert severity="info" data-testid="selected-request-left">
      <Typography variant="body2" component="div">
        This request no longer waits for your decision: it was decided,
        withdrawn or expired while you had it open.
        {now.value && (
          <>
            {' '}
            It is now <StatusChip status={now.value.status} />
          </>
        )}
      </Typography>
      <Typography variant="body2">
        <Link to={link({ id })}>Open the request</Link> or choose another one in
        the list.
      </Typography>
    </Alert>
  );
};

/**
 * Requests the caller may decide, newest first, and access they may revoke.
 * The inbox stays on the request the approver chose: requests that arrive
 * while they look wait behind a "new requests" notice, and action dialogs
 * stay bound to the request they were opened for whatever the list does.
 */
export const ApprovalsInbox = () => {
  const live = usePagedRequests({ view: 'approvals', status: ['pending'] });
  const active = usePagedRequests({
    view: 'approvals',
    status: ['approved', 'granting', 'active'],
  });
  const { page: pending, arrivals, showArrivals } = useHeldArrivals(live);
  // The request the approver looks at, as last seen in the list; the first
  // one until they choose another.
  const [chosen, setChosen] = useState<AccessRequest>();
  const first = pending.items[0];
  useEffect(() => {
    if (!chosen && first) setChosen(first);
  }, [chosen, first]);
  const target = chosen ?? first;
  const current = target && live.items.find(r => r.id === target.id);
  useEffect(() => {
    if (current && current !== chosen) setChosen(current);
  }, [current, chosen]);
  const selected = current ?? target;
  const { refresh: refreshPending } = live;
  const { refresh: refreshActive } = active;
  const refreshAll = useCallback(() => {
    refreshPending();
    refreshActive();
  }, [refreshPending, refreshActive]);

  return (
    <ActionDialogHost>
      <Grid container spacing={3}>
        <Grid item xs={12} md={selected ? 7 : 12}>
          <RequestsTable
            title="Waiting for your decision"
            showRequester
            page={pending}
            onChanged={refreshAll}
            onSelect={setChosen}
            selectedId={selected?.id}
            actions={
              arrivals.length > 0 && (
                <Button
                  variant="outlined"
                  color="primary"
                  onClick={showArrivals}
                  data-testid="new-requests-notice"
                >
                  {arrivals.length} new request
                  {arrivals.length === 1 ? '' : 's'}
                </Button>
              )
            }
            emptyContent={
              <Typography>Nothing waits for your decision.</Typography>
            }
          />
        </Grid>
        {selected && (
          <Grid item xs={12} md={5} data-testid="selected-request">
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
                    <a
                      href={selected.ticketUrl}
                      target="_blank"
                      rel="noreferrer"
                    >
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
              {current ? (
                <RequestActions
                  request={current}
                  size="medium"
                  onChanged={refreshAll}
                />
              ) : (
                <LeftTheInbox
                  key={selected.id}
                  request={selected}
                  onChanged={refreshAll}
                />
              )}
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
    </ActionDialogHost>
  );
};
