import { InfoCard, Link, ResponseErrorPanel } from '@backstage/core-components';
import { configApiRef, useApi, useRouteRef } from '@backstage/core-plugin-api';
import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Button, Grid, Typography } from '@material-ui/core';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import { useElevatedAccess } from '../../hooks/useElevatedAccess';
import { useNow } from '../../hooks/useNow';
import { requestRouteRef } from '../../routes';
import {
  formatWhen,
  provisioningState,
  relative,
  shortRef,
} from '../common/format';
import { RequestActions } from '../common/RequestActions';
import { RequestsTable } from '../common/RequestsTable';
import { StatusChip } from '../common/StatusChip';
import { usePagedRequests } from '../common/usePagedRequests';

const AccessCard = (props: {
  request: AccessRequest;
  portalUrl?: string;
  onChanged: () => void;
}) => {
  const link = useRouteRef(requestRouteRef);
  const now = useNow();
  const r = props.request;
  return (
    <InfoCard
      title={`${r.permissionSetName} on ${r.accountName}`}
      subheader={`${r.accountId} · until ${formatWhen(r.endTime)}`}
    >
      <div data-testid={`active-${r.id}`}>
        <StatusChip status={r.status} />
        <Typography variant="h6" style={{ margin: '8px 0' }}>
          {r.status === 'active'
            ? `Ends ${relative(r.endTime, now)}`
            : provisioningState(r) ?? `Starts ${relative(r.startTime, now)}`}
        </Typography>
        <Typography variant="body2" paragraph>
          <Link to={link({ id: r.id })}>Details and activity</Link>
        </Typography>
        {r.status === 'active' && props.portalUrl && (
          <Button
            variant="contained"
            color="primary"
            href={props.portalUrl}
            target="_blank"
            rel="noreferrer"
            endIcon={<OpenInNewIcon />}
            style={{ marginRight: 8 }}
          >
            Open AWS access portal
          </Button>
        )}
        <RequestActions request={r} onChanged={props.onChanged} size="medium" />
      </div>
    </InfoCard>
  );
};

/** What is active now for the caller, and for approvers in their scope. */
export const ActiveAccess = () => {
  const { me } = useElevatedAccess();
  const config = useApi(configApiRef);
  const portalUrl = config.getOptionalString('elevatedAccess.accessPortalUrl');
  const mine = usePagedRequests({
    view: 'mine',
    status: ['approved', 'granting', 'active', 'revoking'],
  });
  const scope = usePagedRequests(
    me.isApprover
      ? { view: 'approvals', status: ['granting', 'active', 'revoking'] }
      : undefined,
  );
  if (mine.error) return <ResponseErrorPanel error={mine.error} />;
  return (
    <Grid container spacing={3}>
      {!mine.loading && mine.items.length === 0 && (
        <Grid item xs={12}>
          <Typography>
            You have no active or upcoming access.{' '}
            <Link to="../request">Request access</Link>
          </Typography>
        </Grid>
      )}
      {mine.items.map(r => (
        <Grid item xs={12} md={6} lg={4} key={r.id}>
          <AccessCard
            request={r}
            portalUrl={portalUrl}
            onChanged={mine.refresh}
          />
        </Grid>
      ))}
      {me.isApprover && (
        <Grid item xs={12}>
          <RequestsTable
            title="Active in your scope"
            showRequester
            page={scope}
            emptyContent={
              <Typography>
                Nobody has active access that you approve.
              </Typography>
            }
          />
          <Typography variant="caption" color="textSecondary">
            Signed in as {shortRef(me.userEntityRef)}
          </Typography>
        </Grid>
      )}
    </Grid>
  );
};
