import { InfoCard, Link } from '@backstage/core-components';
import { AccessRequestDetail } from '@elevated-access/backstage-plugin-elevated-access-common';
import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import { Fragment, ReactNode } from 'react';
import { formatWhen, shortRef, withLocalTimes } from '../common/format';
import { useRequestLink } from '../common/requestLink';
import { StatusChip } from '../common/StatusChip';
import { WRAP } from './wrapStyle';

const UUID =
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const REF = /\b(user|group):(default\/)?([A-Za-z0-9][A-Za-z0-9._-]*)/g;

/** `extension-request` → "Extension request". */
function actionLabel(action: string): string {
  const words = action.replace(/[-_]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * An event's message as people read it: entity refs as names
 * (user:default/alice → alice), other requests' ids as links to them, and
 * this request's own id left out.
 */
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

/** The request's full event history, each event with who and when. */
export const RequestHistory = (props: { request: AccessRequestDetail }) => {
  const r = props.request;
  return (
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
  );
};
