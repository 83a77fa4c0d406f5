import { stringifyEntityRef } from '@backstage/catalog-model';
import { InfoCard, LinkButton, Progress } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  EligiblePair,
  EntityAccessGrant,
  EntityAccessResponse,
  formatMinutes,
  minutesUntil,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import { makeStyles } from '@material-ui/core/styles';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { useNow } from '../../hooks/useNow';
import { rootRouteRef } from '../../routes';
import { BreakGlassChip } from '../common/BreakGlassChip';
import { ContrastSafeTheme } from '../common/ContrastSafeTheme';
import { ErrorState } from '../common/ErrorState';
import { formatWhen, relative, shortRef } from '../common/format';
import { SensitiveChip } from '../common/SensitiveChip';
import { ouPathLabel } from '../RequestForm/AccountPicker';

const useStyles = makeStyles(theme => ({
  section: { marginTop: theme.spacing(2) },
  item: { paddingLeft: 0, paddingRight: 0, flexWrap: 'wrap' },
  chip: { marginLeft: theme.spacing(1) },
  action: { marginLeft: 'auto' },
}));

/**
 * The request form's address with the account and permission set chosen and
 * the entity named in the justification.
 */
export function prefilledRequestPath(
  root: string,
  pair: Pick<EligiblePair, 'accountId' | 'permissionSetArn'>,
  entityRef: string,
): string {
  const query = new URLSearchParams({
    accountId: pair.accountId,
    permissionSetArn: pair.permissionSetArn,
    entity: entityRef,
  });
  return `${root.replace(/\/+$/, '')}/request?${query}`;
}

/** When a grant holds access, in words: until when, or from when to when. */
export function grantWhen(grant: EntityAccessGrant, nowIso: string): string {
  const started =
    grant.status === 'active' || minutesUntil(grant.startTime, nowIso) < 1;
  return started
    ? `until ${formatWhen(grant.endTime)} (ends ${relative(
        grant.endTime,
        nowIso,
      )})`
    : `from ${formatWhen(grant.startTime)} to ${formatWhen(
        grant.endTime,
      )} (starts ${relative(grant.startTime, nowIso)})`;
}

const Grants = ({
  data,
  nowIso,
}: {
  data: EntityAccessResponse;
  nowIso: string;
}) => {
  const classes = useStyles();
  if (!data.grants.length) {
    return (
      <Typography variant="body2" data-testid="no-grants">
        Nobody holds elevated access to these accounts now.
      </Typography>
    );
  }
  return (
    <List dense disablePadding aria-labelledby="elevated-access-card-holders">
      {data.grants.map(g => (
        <ListItem
          key={`${g.requesterRef} ${g.accountId} ${g.permissionSetName} ${g.startTime}`}
          className={classes.item}
          data-testid="entity-grant"
        >
          <ListItemText
            disableTypography
            primary={
              <Typography variant="body2">
                <EntityRefLink
                  entityRef={g.requesterRef}
                  defaultKind="user"
                  disableTooltip
                  hideIcon
                  // a link inside a line of text (axe: link-in-text-block)
                  underline="always"
                >
                  {shortRef(g.requesterRef)}
                </EntityRefLink>{' '}
                · {g.permissionSetName} on {g.accountName}
                {g.breakGlass && <BreakGlassChip style={{ marginLeft: 8 }} />}
              </Typography>
            }
            secondary={
              <Typography variant="body2" color="textSecondary">
                {grantWhen(g, nowIso)}
              </Typography>
            }
          />
        </ListItem>
      ))}
    </List>
  );
};

const Eligible = ({
  data,
  requestPath,
}: {
  data: EntityAccessResponse;
  requestPath: (pair: EligiblePair) => string;
}) => {
  const classes = useStyles();
  if (!data.pairs.length) {
    return (
      <Typography variant="body2" data-testid="no-pairs">
        You are not eligible to request access to these accounts.
      </Typography>
    );
  }
  const accountName = (id: string) =>
    data.accounts.find(a => a.id === id)?.name ?? id;
  const setName = (arn: string) =>
    data.permissionSets.find(p => p.arn === arn)?.name ?? arn;
  return (
    <List dense disablePadding aria-labelledby="elevated-access-card-eligible">
      {data.pairs.map(pair => {
        const what = `${setName(pair.permissionSetArn)} on ${accountName(
          pair.accountId,
        )}`;
        return (
          <ListItem
            key={`${pair.accountId} ${pair.permissionSetArn}`}
            className={classes.item}
            data-testid="entity-pair"
          >
            <ListItemText
              primary={what}
              primaryTypographyProps={{ variant: 'body2' }}
              secondary={`Up to ${formatMinutes(pair.maxDurationMinutes)} · ${
                pair.approvalRequired ? 'needs approval' : 'no approval needed'
              }`}
              secondaryTypographyProps={{
                variant: 'body2',
                color: 'textSecondary',
              }}
            />
            <LinkButton
              to={requestPath(pair)}
              variant="outlined"
              color="primary"
              size="small"
              className={classes.action}
              // the visible label, then what it is for: many sit in one list
              aria-label={`Request access: ${what}`}
            >
              Request access
            </LinkButton>
          </ListItem>
        );
      })}
    </List>
  );
};

const CardContent = () => {
  const classes = useStyles();
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(elevatedAccessApiRef);
  const root = useRouteRef(rootRouteRef);
  const nowIso = useNow();
  const state = useAsyncRetry(
    () => api.getEntityAccess(entityRef),
    [api, entityRef],
  );
  const kind = entity.kind.toLocaleLowerCase('en-US');

  if (state.loading && !state.value) return <Progress />;
  if (state.error) {
    return (
      <ErrorState
        error={state.error}
        action={`load the elevated access of this ${kind}`}
        onRetry={state.retry}
      />
    );
  }
  const data = state.value!;
  const unknown = data.unknownAccountIds.length ? (
    <Typography variant="body2" color="textSecondary" paragraph>
      Not in the AWS organisation: {data.unknownAccountIds.join(', ')}.
    </Typography>
  ) : null;
  if (!data.accounts.length) {
    return (
      <>
        <Typography variant="body2" paragraph data-testid="no-accounts">
          This {kind} names no AWS account that Elevated Access knows.
        </Typography>
        {unknown}
      </>
    );
  }

  return (
    <>
      <Typography
        variant="h6"
        component="h3"
        id="elevated-access-card-accounts"
      >
        AWS accounts
      </Typography>
      <List
        dense
        disablePadding
        aria-labelledby="elevated-access-card-accounts"
      >
        {data.accounts.map(a => (
          <ListItem
            key={a.id}
            className={classes.item}
            data-testid="entity-account"
          >
            <ListItemText
              disableTypography
              primary={
                <Typography variant="body2">
                  <strong>{a.name}</strong> ({a.id})
                  {a.sensitive && <SensitiveChip style={{ marginLeft: 8 }} />}
                </Typography>
              }
              secondary={
                <Typography variant="body2" color="textSecondary">
                  {ouPathLabel(a)}
                </Typography>
              }
            />
          </ListItem>
        ))}
      </List>
      {unknown}
      <Typography
        variant="h6"
        component="h3"
        id="elevated-access-card-holders"
        className={classes.section}
      >
        Who has access now
      </Typography>
      <Grants data={data} nowIso={nowIso} />
      <Typography
        variant="h6"
        component="h3"
        id="elevated-access-card-eligible"
        className={classes.section}
      >
        You can request
      </Typography>
      <Eligible
        data={data}
        requestPath={pair => prefilledRequestPath(root(), pair, entityRef)}
      />
    </>
  );
};

/**
 * The Elevated access card of an entity page: the AWS accounts the entity is
 * about, who holds elevated access to them now or soon, and what the signed-in
 * person may request there, each with a link to the request form filled in.
 */
export const EntityElevatedAccessCard = () => (
  <ContrastSafeTheme>
    <InfoCard
      title="Elevated access"
      titleTypographyProps={{ component: 'h2' }}
    >
      <CardContent />
    </InfoCard>
  </ContrastSafeTheme>
);
