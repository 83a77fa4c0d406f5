import {
  InfoCard,
  Link,
  Progress,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { configApiRef, useApi, useRouteRef } from '@backstage/core-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  AccessRequest,
  formatMinutes,
  minutesUntil,
  ticketLink,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  Breadcrumbs,
  Button,
  Grid,
  List,
  ListItem,
  ListItemText,
  Typography,
} from '@material-ui/core';
import OpenInNewIcon from '@material-ui/icons/OpenInNew';
import Alert from '@material-ui/lab/Alert';
import { Fragment, ReactNode, useCallback, useState } from 'react';
import { DateTime } from 'luxon';
import { useLocation, useParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { useElevatedAccess } from '../../hooks/useElevatedAccess';
import { useLiveRefresh } from '../../hooks/useLiveRefresh';
import { useNow } from '../../hooks/useNow';
import { rootRouteRef } from '../../routes';
import { ErrorState } from '../common/ErrorState';
import { statusOf } from '../common/errors';
import {
  formatWhen,
  provisioningState,
  relative,
  shortRef,
  withLocalTimes,
} from '../common/format';
import { RequestActions } from '../common/RequestActions';
import { cameFrom, useRequestLink } from '../common/requestLink';
import { StatusChip } from '../common/StatusChip';
import { BreakGlassChip } from '../common/BreakGlassChip';
import { SensitiveChip } from '../common/SensitiveChip';
import { ReviewPanel } from './Review';
import { ActivityLog } from './ActivityLog';
import { ExtensionPanel } from './Extension';

/** Long words, ids and pasted text wrap instead of being cut off. */
const WRAP = {
  overflowWrap: 'anywhere' as const,
  whiteSpace: 'pre-wrap' as const,
};

/** A removal that keeps failing means access is still there: say so. */
function errorRow(r: AccessRequest): Record<string, string> {
  if (!r.errorReason) return {};
  if (r.status === 'revoking') {
    return { 'access still present': provisioningState(r) ?? r.errorReason };
  }
  return { error: r.errorReason };
}

/** "a", "a and b", "a, b and c". */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** Router state a request page is opened with right after it was submitted. */
export function wasSubmitted(state: unknown): boolean {
  return Boolean((state as { submitted?: boolean } | null)?.submitted);
}

const UUID =
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const REF = /\b(user|group):(default\/)?([A-Za-z0-9][A-Za-z0-9._-]*)/g;

/**
 * An event's message as people read it: entity refs as names
 * (user:default/alice → alice), other requests' ids as links to them, and
 * this request's own id left out.
 */
/** `extension-request` → "Extension request". */
function actionLabel(action: string): string {
  const words = action.replace(/[-_]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const EventMessage = (props: { message: string; requestId: string }) => {
  const requestLink = useRequestLink();
  // names instead of refs, moments in the reader's zone
  const text = withLocalTimes(
    props.message.replace(REF, (_m, _kind, _ns, name) => name),
  );
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(UUID)) {
    const id = match[0];
    const at = match.index ?? 0;
    const before = text.slice(last, at);
    parts.push(before);
    parts.push(
      id.toLowerCase() === props.requestId.toLowerCase() ? (
        'this request'
      ) : (
        <Link key={at} {...requestLink(id)}>
          {/request\s*$/i.test(before) ? '' : 'request '}
          {id.slice(0, 8)}
        </Link>
      ),
    );
    last = at + id.length;
  }
  parts.push(text.slice(last));
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={i}>{p}</Fragment>
      ))}
    </>
  );
};

/**
 * Who was told of a new request, in names: users by name, groups by their
 * members (from the catalog) with the group's name, e.g.
 * "bob and erin (platform-leads)". The requester is never told.
 */
function useNotifiedNames(
  request: AccessRequest | undefined,
  enabled: boolean,
): string | undefined {
  const catalogApi = useApi(catalogApiRef);
  const refs = enabled && request ? request.approverRefs : [];
  const requester = request?.requesterRef.toLocaleLowerCase('en-US');
  const names = useAsync(async () => {
    if (!refs.length) return undefined;
    const parts = await Promise.all(
      refs.map(async ref => {
        let entity;
        try {
          entity = parseEntityRef(ref, { defaultKind: 'user' });
        } catch {
          return shortRef(ref);
        }
        if (entity.kind.toLocaleLowerCase('en-US') !== 'group') {
          return ref.toLocaleLowerCase('en-US') === requester
            ? undefined
            : shortRef(ref);
        }
        const group = shortRef(ref);
        try {
          const { items } = await catalogApi.getEntities({
            filter: { kind: 'User', 'relations.memberOf': [ref] },
            fields: ['kind', 'metadata.name', 'metadata.namespace'],
          });
          const members = items
            .map(u => ({
              name: u.metadata.name,
              ref: stringifyEntityRef(u).toLocaleLowerCase('en-US'),
            }))
            .filter(u => u.ref !== requester)
            .map(u => u.name)
            .sort();
          return members.length
            ? `${joinNames(members)} (${group})`
            : `the members of ${group}`;
        } catch {
          return `the members of ${group}`;
        }
      }),
    );
    return joinNames(parts.filter((p): p is string => Boolean(p)));
  }, [catalogApi, refs.join(','), requester]);
  return names.value;
}

/** What the requester reads right after submitting: who was told, or when access starts. */
const Submitted = (props: { request: AccessRequest; onClose: () => void }) => {
  const r = props.request;
  const now = useNow();
  const notified = useNotifiedNames(r, r.status === 'pending');
  let message: string;
  if (r.status === 'pending') {
    const plural = notified && / and |the members of/.test(notified);
    message = notified
      ? `Request submitted. ${notified} ${
          plural ? 'were' : 'was'
        } notified and can approve it${
          r.minApprovals > 1 ? `; it needs ${r.minApprovals} approvals` : ''
        }.`
      : 'Request submitted. Its approvers were notified.';
  } else if (r.breakGlass) {
    message =
      'Break-glass access granted at once, without approval. Every approver and the auditors were told; an approver reviews it once it has ended.';
  } else if (r.status === 'approved') {
    message =
      minutesUntil(r.startTime, now) <= 1
        ? 'Request submitted. No approval needed: access starts in a moment.'
        : `Request submitted. No approval needed: access starts ${formatWhen(
            r.startTime,
          )} (${relative(r.startTime, now)}).`;
  } else {
    message = 'Request submitted.';
  }
  return (
    <Alert
      severity="success"
      onClose={props.onClose}
      data-testid="request-submitted"
      style={{ marginBottom: 16 }}
    >
      {message}
    </Alert>
  );
};

/** Time left of active access, or when scheduled access starts, live. */
const TimeLeft = (props: { request: AccessRequest; portalUrl?: string }) => {
  const r = props.request;
  const now = useNow(15_000);
  let text: string | undefined;
  if (r.status === 'active') text = `Ends ${relative(r.endTime, now)}`;
  else if (r.status === 'approved') {
    text = `Starts ${relative(r.startTime, now)}`;
  } else text = provisioningState(r);
  if (!text) return null;
  return (
    <div style={{ marginBottom: 16 }}>
      <Typography variant="h6" component="p" data-testid="time-left">
        {text}
      </Typography>
      {r.status === 'active' && props.portalUrl && (
        <Button
          variant="contained"
          color="primary"
          href={props.portalUrl}
          target="_blank"
          rel="noreferrer"
          endIcon={<OpenInNewIcon />}
          style={{ marginTop: 8 }}
        >
          Open AWS access portal
        </Button>
      )}
    </div>
  );
};

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
            <div style={WRAP}>
              <StructuredMetadataTable
                metadata={{
                  account: `${r.accountName} (${r.accountId})`,
                  'permission set': r.permissionSetName,
                  // once granted, the real window: from the grant to the
                  // (possibly extended) end
                  window: `${formatWhen(
                    r.grantedAt ?? r.startTime,
                  )} → ${formatWhen(r.endTime)} (${formatMinutes(
                    r.grantedAt
                      ? Math.round(
                          (Date.parse(r.endTime) - Date.parse(r.grantedAt)) /
                            60_000,
                        )
                      : r.approvedDurationMinutes ?? r.durationMinutes,
                  )})`,
                  justification: r.justification,
                  ticket: ticketUrl ? (
                    <a href={ticketUrl} target="_blank" rel="noreferrer">
                      Open ticket {r.ticketId}
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
            </div>
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
              <InfoCard title="Decisions">
                <List dense>
                  {r.decisions.map(d => (
                    <ListItem key={d.approverRef}>
                      <ListItemText
                        style={WRAP}
                        primary={`${shortRef(d.approverRef)} ${
                          d.decision === 'approve' ? 'approved' : 'rejected'
                        }${
                          d.durationMinutes
                            ? ` for ${formatMinutes(d.durationMinutes)}`
                            : ''
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
                    style={WRAP}
                    primary={
                      <>
                        {e.toStatus ? (
                          <StatusChip status={e.toStatus} />
                        ) : (
                          <Typography component="span" variant="body2">
                            {actionLabel(e.action)}
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
                    secondary={
                      e.message ? (
                        <EventMessage message={e.message} requestId={r.id} />
                      ) : undefined
                    }
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
    </>
  );
};
