import { InfoCard, Link, Progress } from '@backstage/core-components';
import { configApiRef, useApi, useRouteRef } from '@backstage/core-plugin-api';
import { ticketLink } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Breadcrumbs, Grid, Typography } from '@material-ui/core';
import { useCallback, useState } from 'react';
import { DateTime } from 'luxon';
import { useLocation, useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { useElevatedAccess } from '../../hooks/useElevatedAccess';
import { useLiveRefresh } from '../../hooks/useLiveRefresh';
import { rootRouteRef } from '../../routes';
import { ErrorState } from '../common/ErrorState';
import { statusOf } from '../common/errors';
import { formatWhen, shortRef } from '../common/format';
import { RequestActions } from '../common/RequestActions';
import { cameFrom } from '../common/requestLink';
import { StatusChip } from '../common/StatusChip';
import { BreakGlassChip } from '../common/BreakGlassChip';
import { SensitiveChip } from '../common/SensitiveChip';
import { ReviewPanel } from './Review';
import { ActivityLog } from './ActivityLog';
import { ExtensionPanel } from './Extension';
import { RequestDecisions, RequestFacts } from './RequestFacts';
import { RequestHistory } from './RequestHistory';
import { Submitted, wasSubmitted } from './Submitted';
import { TimeLeft } from './TimeLeft';

/** One request: its terms, decisions, full event history and activity. */
export const RequestDetail = () => {
  const { id } = useParams();
  const location = useLocation();
  const api = useApi(elevatedAccessApiRef);
  const config = useApi(configApiRef);
  const { settings } = useElevatedAccess();
  const root = useRouteRef(rootRouteRef);
  const portalUrl = config.getOptionalString('elevatedAccess.accessPortalUrl');
  const state = useAsyncRetry(() => api.getRequest(id!), [api, id]);
  useLiveRefresh(useCallback(() => state.retry(), [state]));
  const [showSubmitted, setShowSubmitted] = useState(() =>
    wasSubmitted(location.state),
  );
  const back = cameFrom(location.state) ?? {
    path: `${root()}/requests`,
    label: 'My requests',
  };

  const breadcrumb = (
    <Breadcrumbs aria-label="Breadcrumb" style={{ marginBottom: 16 }}>
      <Link to={back.path} data-testid="request-back">
        {back.label}
      </Link>
      <Typography color="textPrimary">Request</Typography>
    </Breadcrumbs>
  );

  if (state.loading && !state.value) return <Progress />;
  if (state.error && !state.value) {
    const status = statusOf(state.error);
    let advice: string | undefined;
    if (status === 403) {
      advice =
        'A request is shown to the person who asked for it, its approvers, auditors and Elevated Access admins.';
    } else if (status === 404) {
      advice =
        'The link may be incomplete or mistyped; your own requests are under My requests.';
    }
    return (
      <>
        {breadcrumb}
        <ErrorState
          error={state.error}
          action="load this request"
          advice={advice}
          onRetry={status === 403 || status === 404 ? undefined : state.retry}
        />
      </>
    );
  }
  const r = state.value!;
  const granted = Boolean(r.grantedAt);
  const ticketUrl = ticketLink(settings, r.ticketId);
  // sessions opened before the end were denied (issue 14 §5)
  const sessionsEnded = [...r.events]
    .reverse()
    .find(e => e.action === 'sessions-ended');

  return (
    <>
      {breadcrumb}
      {showSubmitted && (
        <Submitted request={r} onClose={() => setShowSubmitted(false)} />
      )}
      <Grid container spacing={3}>
        <Grid item xs={12} md={7}>
          <InfoCard
            title={`${r.permissionSetName} on ${r.accountName}`}
            subheader={`Requested by ${shortRef(
              r.requesterRef,
            )} on ${formatWhen(r.createdAt)}`}
            action={
              <div style={{ marginTop: 16, marginRight: 16 }}>
                {r.breakGlass && <BreakGlassChip style={{ marginRight: 8 }} />}
                {r.sensitive && (
                  <SensitiveChip
                    label="Sensitive account"
                    style={{ marginRight: 8 }}
                  />
                )}
                <StatusChip status={r.status} />
              </div>
            }
          >
            <TimeLeft request={r} portalUrl={portalUrl} />
            {r.breakGlass && (
              <Typography variant="body2" paragraph>
                Break-glass: access was given at once, without approval. Every
                approver and the auditors were told, and an approver reviews it
                afterwards.
              </Typography>
            )}
            <RequestFacts request={r} ticketUrl={ticketUrl} />
            {sessionsEnded && (
              <Typography variant="body2" data-testid="sessions-ended">
                Open sessions were ended at{' '}
                {DateTime.fromISO(sessionsEnded.createdAt)
                  .toLocal()
                  .toLocaleString(DateTime.TIME_SIMPLE)}
              </Typography>
            )}
            <div style={{ marginTop: 16 }}>
              <RequestActions
                request={r}
                onChanged={state.retry}
                size="medium"
              />
            </div>
            {/* a break-glass request's review; `?review=1` opens the dialog */}
            <ReviewPanel
              request={r}
              onChanged={state.retry}
              openNow={
                new URLSearchParams(location.search).get('review') === '1'
              }
            />
            {/* extend in place; `?extend=1` (the "ends soon" link) opens the dialog */}
            <ExtensionPanel
              request={r}
              onChanged={state.retry}
              openNow={
                new URLSearchParams(location.search).get('extend') === '1'
              }
            />
          </InfoCard>
          {r.decisions.length > 0 && (
            <div style={{ marginTop: 24 }}>
              <RequestDecisions request={r} />
            </div>
          )}
        </Grid>
        <Grid item xs={12} md={5}>
          <RequestHistory request={r} />
        </Grid>
        {granted && (
          <Grid item xs={12}>
            <ActivityLog requestId={r.id} />
          </Grid>
        )}
      </Grid>
    </>
  );
};
