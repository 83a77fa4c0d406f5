import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  AccessRequest,
  formatMinutes,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  Grid,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import { useCallback } from 'react';
import { useParams } from 'react-router-dom';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { useLiveRefresh } from '../../hooks/useLiveRefresh';
import { formatWhen, provisioningState, shortRef } from '../common/format';
import { RequestActions } from '../common/RequestActions';
import { StatusChip } from '../common/StatusChip';
import { ActivityLog } from './ActivityLog';

/** One request: its terms, decisions, full event history and activity. */
/** A removal that keeps failing means access is still there: say so. */
function errorRow(r: AccessRequest): Record<string, string> {
  if (!r.errorReason) return {};
  if (r.status === 'revoking') {
    return { 'access still present': provisioningState(r) ?? r.errorReason };
  }
  return { error: r.errorReason };
}

export const RequestDetail = () => {
  const { id } = useParams();
  const api = useApi(elevatedAccessApiRef);
  const state = useAsyncRetry(() => api.getRequest(id!), [api, id]);
  useLiveRefresh(useCallback(() => state.retry(), [state]));

  if (state.loading && !state.value) return <Progress />;
  if (state.error && !state.value)
    return <ResponseErrorPanel error={state.error} />;
  const r = state.value!;
  const granted = Boolean(r.grantedAt);

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={7}>
        <InfoCard
          title={`${r.permissionSetName} on ${r.accountName}`}
          subheader={`Requested by ${shortRef(r.requesterRef)} on ${formatWhen(
            r.createdAt,
          )}`}
          action={
            <div style={{ marginTop: 16, marginRight: 16 }}>
              <StatusChip status={r.status} />
            </div>
          }
        >
          <StructuredMetadataTable
            metadata={{
              account: `${r.accountName} (${r.accountId})`,
              'permission set': r.permissionSetName,
              window: `${formatWhen(r.startTime)} → ${formatWhen(
                r.endTime,
              )} (${formatMinutes(r.durationMinutes)})`,
              justification: r.justification,
              ticket: r.ticketUrl ? (
                <a href={r.ticketUrl} target="_blank" rel="noreferrer">
                  {r.ticketId}
                </a>
              ) : (
                r.ticketId ?? '—'
              ),
              approval: r.approvalRequired
                ? `${r.approvals} of ${r.minApprovals} by ${r.approverRefs
                    .map(shortRef)
                    .join(', ')}`
                : 'not needed',
              ...(r.expiresAt
                ? { 'expires if undecided': formatWhen(r.expiresAt) }
                : {}),
              ...(r.grantedAt ? { granted: formatWhen(r.grantedAt) } : {}),
              ...(r.endedAt ? { ended: formatWhen(r.endedAt) } : {}),
              ...(r.revokedBy
                ? {
                    'revoked by': `${shortRef(r.revokedBy)}${
                      r.revokeComment ? `: ${r.revokeComment}` : ''
                    }`,
                  }
                : {}),
              ...errorRow(r),
            }}
          />
          <div style={{ marginTop: 16 }}>
            <RequestActions request={r} onChanged={state.retry} size="medium" />
          </div>
        </InfoCard>
        {r.decisions.length > 0 && (
          <div style={{ marginTop: 24 }}>
            <InfoCard title="Decisions">
              <List dense>
                {r.decisions.map(d => (
                  <ListItem key={d.approverRef}>
                    <ListItemText
                      primary={`${shortRef(d.approverRef)} ${
                        d.decision === 'approve' ? 'approved' : 'rejected'
                      }`}
                      secondary={`${formatWhen(d.createdAt)}${
                        d.comment ? ` · ${d.comment}` : ''
                      }`}
                    />
                  </ListItem>
                ))}
              </List>
            </InfoCard>
          </div>
        )}
      </Grid>
      <Grid item xs={12} md={5}>
        <InfoCard title="History">
          <List dense data-testid="request-history">
            {r.events.map(e => (
              <ListItem key={e.id} alignItems="flex-start">
                <ListItemText
                  primary={
                    <>
                      {e.toStatus ? (
                        <StatusChip status={e.toStatus} />
                      ) : (
                        <Typography component="span" variant="body2">
                          {e.action}
                        </Typography>
                      )}{' '}
                      <Typography
                        component="span"
                        variant="caption"
                        color="textSecondary"
                      >
                        {formatWhen(e.createdAt)} · {shortRef(e.actorRef)}
                      </Typography>
                    </>
                  }
                  secondary={e.message}
                />
              </ListItem>
            ))}
          </List>
        </InfoCard>
      </Grid>
      {granted && (
        <Grid item xs={12}>
          <ActivityLog requestId={r.id} />
        </Grid>
      )}
    </Grid>
  );
};
