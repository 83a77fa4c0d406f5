import { InfoCard, Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AccessRequest,
  formatMinutes,
  HOLDING_STATUSES,
  REQUEST_STATUSES,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Button, Grid, List, ListItem, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useCallback, useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { ErrorState } from '../common/ErrorState';
import { formatWhen, shortRef } from '../common/format';
import { ActionDialogHost, RequestActions } from '../common/RequestActions';
import { RequestsTable } from '../common/RequestsTable';
import { StatusChip } from '../common/StatusChip';
import { useRequestLink } from '../common/requestLink';
import { usePagedRequests } from '../common/usePagedRequests';
import { useHeldArrivals } from './useHeldArrivals';
import { BreakGlassReviews } from './BreakGlassReviews';

/** The requester's recent requests that the approver can see, for context. */
const RequesterHistory = ({ request }: { request: AccessRequest }) => {
  const api = useApi(elevatedAccessApiRef);
  const requestLink = useRequestLink();
  const [attempt, setAttempt] = useState(0);
  const history = useAsync(
    () =>
      api.listRequests({
        view: 'approvals',
        requester: request.requesterRef,
        status: [...REQUEST_STATUSES],
        limit: 10,
      }),
    [api, request.requesterRef, attempt],
  );
  const others = (history.value?.items ?? []).filter(r => r.id !== request.id);
  return (
    <InfoCard title={`Recent requests by ${shortRef(request.requesterRef)}`}>
      {history.error && (
        <ErrorState
          error={history.error}
          action={`load ${shortRef(request.requesterRef)}'s recent requests`}
          onRetry={() => setAttempt(a => a + 1)}
        />
      )}
      {history.loading && <Typography>Loading…</Typography>}
      {!history.loading && !history.error && others.length === 0 && (
        <Typography>No earlier requests that you approve.</Typography>
      )}
      <List
        dense
        aria-label={`Recent requests by ${shortRef(request.requesterRef)}`}
      >
        {others.map(r => (
          <ListItem
            key={r.id}
            disableGutters
            style={{ display: 'block', paddingBottom: 12 }}
          >
            <div
              style={{
                display: 'flex',
                justifyContent: 'space-between',
                alignItems: 'flex-start',
                gap: 8,
              }}
            >
              <Typography variant="body2" component="span">
                <Link {...requestLink(r.id)}>
                  {r.permissionSetName} on {r.accountName}
                </Link>
              </Typography>
              <StatusChip status={r.status} />
            </div>
            <Typography variant="body2">
              {formatWhen(r.createdAt)} · {formatMinutes(r.durationMinutes)}
            </Typography>
            <Typography
              variant="body2"
              style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
            >
              {r.justification}
            </Typography>
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
  const requestLink = useRequestLink();
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
        <Link {...requestLink(id)} underline="always">
          Open the request
        </Link>{' '}
        or choose another one in the list.
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
    status: ['approved', ...HOLDING_STATUSES],
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
  const requestLink = useRequestLink();
  const { refresh: refreshPending } = live;
  const { refresh: refreshActive } = active;
  const refreshAll = useCallback(() => {
    refreshPending();
    refreshActive();
  }, [refreshPending, refreshActive]);

  return (
    <ActionDialogHost>
      <Grid container spacing={3}>
        <Grid item xs={12} md={selected ? 7 : 12} lg={selected ? 8 : 12}>
          <RequestsTable
            title="Waiting for your decision"
            showRequester
            inbox
            page={pending}
            loadAction="load the requests waiting for your decision"
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
              <Typography>
                {arrivals.length > 0
                  ? 'Nothing you have seen waits any longer; show the new requests with the button above.'
                  : 'Nothing waits for your decision.'}
              </Typography>
            }
          />
        </Grid>
        {selected && (
          <Grid
            item
            xs={12}
            md={5}
            lg={4}
            data-testid="selected-request"
            component="section"
            aria-label={`Chosen request: ${selected.permissionSetName} on ${
              selected.accountName
            } for ${shortRef(selected.requesterRef)}`}
          >
            <InfoCard
              title={`${selected.permissionSetName} on ${selected.accountName}`}
            >
              <Typography paragraph>
                <strong>{shortRef(selected.requesterRef)}</strong> asks for{' '}
                {formatMinutes(selected.durationMinutes)} from{' '}
                {formatWhen(selected.startTime)} on {selected.accountName} (
                {selected.accountId}).
              </Typography>
              <Typography
                paragraph
                style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}
              >
                {selected.justification}
              </Typography>
              {selected.ticketId && (
                <Typography paragraph>
                  Ticket:{' '}
                  {selected.ticketUrl ? (
                    <Link to={selected.ticketUrl} target="_blank">
                      {selected.ticketId}
                    </Link>
                  ) : (
                    selected.ticketId
                  )}
                </Typography>
              )}
              <Typography paragraph variant="body2">
                {selected.approvals} of {selected.minApprovals} approval
                {selected.minApprovals === 1 ? '' : 's'} so far · expires{' '}
                {formatWhen(selected.expiresAt)} ·{' '}
                <Link {...requestLink(selected.id)} underline="always">
                  Open the request
                </Link>
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
        <BreakGlassReviews />
        <Grid item xs={12}>
          <RequestsTable
            title="Approved and active access you approve"
            showRequester
            page={active}
            loadAction="load the access you approve"
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
