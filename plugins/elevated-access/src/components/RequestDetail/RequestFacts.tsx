import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import {
  AccessRequest,
  AccessRequestDetail,
  formatMinutes,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { List, ListItem, ListItemText } from '@material-ui/core';
import { formatWhen, provisioningState, shortRef } from '../common/format';
import { WRAP } from './wrapStyle';

/** A removal that keeps failing means access is still there: say so. */
function errorRow(r: AccessRequest): Record<string, string> {
  if (!r.errorReason) return {};
  if (r.status === 'revoking') {
    return { 'access still present': provisioningState(r) ?? r.errorReason };
  }
  return { error: r.errorReason };
}

/**
 * The request's terms and what became of them: account, window, justification,
 * ticket, approval, and when it was granted, ended or revoked.
 */
export const RequestFacts = (props: {
  request: AccessRequest;
  /** The ticket's page in the ticket system, where there is one. */
  ticketUrl: string | undefined;
}) => {
  const { request: r, ticketUrl } = props;
  return (
    <div style={WRAP}>
      <StructuredMetadataTable
        metadata={{
          account: `${r.accountName} (${r.accountId})`,
          'permission set': r.permissionSetName,
          // once granted, the real window: from the grant to the
          // (possibly extended) end
          window: `${formatWhen(r.grantedAt ?? r.startTime)} → ${formatWhen(
            r.endTime,
          )} (${formatMinutes(
            r.grantedAt
              ? Math.round(
                  (Date.parse(r.endTime) - Date.parse(r.grantedAt)) / 60_000,
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
  );
};

/** Each approver's decision, with the duration they approved and their comment. */
export const RequestDecisions = (props: { request: AccessRequestDetail }) => (
  <InfoCard title="Decisions">
    <List dense>
      {props.request.decisions.map(d => (
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
);
