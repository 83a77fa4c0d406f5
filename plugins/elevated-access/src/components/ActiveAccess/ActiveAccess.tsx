import { InfoCard, Link, Progress } from '@backstage/core-components';
import { configApiRef, useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  AccessRequest,
  formatMinutes,
  PROVISIONED_STATUSES,
  RequestStatus,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Grid, Typography } from '@material-ui/core';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { useElevatedAccess } from '../../hooks/useElevatedAccess';
import { useNow } from '../../hooks/useNow';
import { rootRouteRef } from '../../routes';
import { ErrorState } from '../common/ErrorState';
import { accessState, formatWhen } from '../common/format';
import { ActionDialogHost, RequestActions } from '../common/RequestActions';
import { ExtendButton } from '../RequestDetail/Extension';
import { useRequestLink } from '../common/requestLink';
import { RequestsTable } from '../common/RequestsTable';
import { PortalButton } from '../common/PortalButton';
import { StatusChip } from '../common/StatusChip';
import { BreakGlassChip } from '../common/BreakGlassChip';
import { usePagedRequests } from '../common/usePagedRequests';

/** Text that reads well (at least 4.5:1) on cards in light and dark themes. */
const subtle = (theme: Theme) =>
  theme.palette.type === 'dark' ? theme.palette.grey[300] : '#424242';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(1), marginBottom: theme.spacing(3) },
  headline: { margin: theme.spacing(1, 0, 0.5) },
  detail: { color: subtle(theme), marginBottom: theme.spacing(1) },
  warning: {
    color:
      theme.palette.type === 'dark'
        ? theme.palette.error.light
        : theme.palette.error.dark,
    marginBottom: theme.spacing(1),
    overflowWrap: 'anywhere',
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  },
}));

/** The statuses of one's own requests this page shows, by section. */
const SECTIONS: Array<{
  id: string;
  title: string;
  statuses: RequestStatus[];
  empty: string;
}> = [
  {
    id: 'now',
    title: 'Active now',
    // `error`: provisioning failed, access may be half made or still present
    statuses: [...PROVISIONED_STATUSES, 'error'],
    empty: 'Nothing is active right now.',
  },
  {
    id: 'upcoming',
    title: 'Upcoming',
    statuses: ['approved'],
    empty: 'Nothing approved is waiting to start.',
  },
  {
    id: 'pending',
    title: 'Waiting for approval',
    statuses: ['pending'],
    empty: 'No request is waiting for a decision.',
  },
];

const MY_STATUSES = SECTIONS.flatMap(s => s.statuses);

const AccessCard = (props: {
  request: AccessRequest;
  portalUrl?: string;
  onChanged: () => void;
}) => {
  const classes = useStyles();
  const requestLink = useRequestLink();
  const now = useNow();
  const r = props.request;
  const state = accessState(r, now);
  const troubled =
    r.status === 'error' || (r.status === 'revoking' && !!r.errorReason);
  const duration = formatMinutes(
    r.approvedDurationMinutes ?? r.durationMinutes,
  );
  return (
    <InfoCard
      title={`${r.permissionSetName} on ${r.accountName}`}
      subheader={
        r.status === 'pending'
          ? `${r.accountId} · ${duration} from ${formatWhen(r.startTime)}`
          : `${r.accountId} · until ${formatWhen(r.endTime)}`
      }
    >
      <div data-testid={`active-${r.id}`}>
        <StatusChip status={r.status} />
        {r.breakGlass && <BreakGlassChip style={{ marginLeft: 8 }} />}
        <Typography variant="h6" component="p" className={classes.headline}>
          {state.headline}
        </Typography>
        {state.detail && (
          <Typography
            variant="body2"
            className={troubled ? classes.warning : classes.detail}
          >
            {state.detail}
          </Typography>
        )}
        <Typography variant="body2" paragraph>
          <Link {...requestLink(r.id)}>Details and activity</Link>
        </Typography>
        <div className={classes.actions}>
          {r.status === 'active' && props.portalUrl && (
            <PortalButton href={props.portalUrl} />
          )}
          <ExtendButton request={r} onChanged={props.onChanged} size="medium" />
          <RequestActions
            request={r}
            onChanged={props.onChanged}
            size="medium"
          />
        </div>
      </div>
    </InfoCard>
  );
};

/**
 * The caller's access: what is active now, what is approved and starts
 * later, and what waits for approval (with who can approve it and when it
 * closes); for approvers also what is active in their scope.
 */
export const ActiveAccess = () => {
  const classes = useStyles();
  const { me } = useElevatedAccess();
  const root = useRouteRef(rootRouteRef)();
  const config = useApi(configApiRef);
  const portalUrl = config.getOptionalString('elevatedAccess.accessPortalUrl');
  const mine = usePagedRequests({ view: 'mine', status: MY_STATUSES });
  const scope = usePagedRequests(
    me.isApprover
      ? { view: 'approvals', status: [...PROVISIONED_STATUSES] }
      : undefined,
  );

  const requestMore = me.canRequest && (
    <Link to={`${root}/request`}>Request access</Link>
  );
  let own;
  if (mine.error && !mine.items.length) {
    own = (
      <ErrorState
        error={mine.error}
        action="load your access"
        onRetry={mine.refresh}
      />
    );
  } else if (mine.loading && !mine.items.length) {
    own = <Progress />;
  } else if (!mine.items.length) {
    own = (
      <Typography>
        You have no active, upcoming or pending access.{' '}
        {requestMore ||
          'No policy lets you request access yet; an admin can add you to one.'}
      </Typography>
    );
  } else {
    own = (
      <>
        {SECTIONS.map(section => {
          const items = mine.items.filter(r =>
            section.statuses.includes(r.status),
          );
          const headingId = `active-access-section-${section.id}`;
          return (
            <section
              key={section.id}
              aria-labelledby={headingId}
              className={classes.section}
              data-testid={`section-${section.id}`}
            >
              <Typography
                variant="h5"
                component="h2"
                id={headingId}
                gutterBottom
              >
                {section.title}
                {items.length > 0 && ` (${items.length})`}
              </Typography>
              {items.length === 0 ? (
                <Typography variant="body2" className={classes.detail}>
                  {section.empty}
                </Typography>
              ) : (
                <Grid container spacing={3}>
                  {items.map(r => (
                    <Grid item xs={12} md={6} lg={4} key={r.id}>
                      <AccessCard
                        request={r}
                        portalUrl={portalUrl}
                        onChanged={mine.refresh}
                      />
                    </Grid>
                  ))}
                </Grid>
              )}
            </section>
          );
        })}
        {requestMore && (
          <Typography variant="body2" className={classes.section}>
            Need more? {requestMore}
          </Typography>
        )}
      </>
    );
  }

  return (
    <ActionDialogHost>
      {own}
      {mine.error && mine.items.length > 0 && (
        <ErrorState
          error={mine.error}
          action="refresh your access"
          onRetry={mine.refresh}
        />
      )}
      {me.isApprover && (
        <div className={classes.section}>
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
        </div>
      )}
    </ActionDialogHost>
  );
};
