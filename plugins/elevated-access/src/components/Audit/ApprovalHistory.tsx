import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  DecisionRecord,
  formatMinutes,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Typography } from '@material-ui/core';
import {
  DecisionListQuery,
  elevatedAccessApiRef,
} from '../../api/ElevatedAccessApi';
import { DownloadButton } from '../common/download';
import { formatWhen, shortRef } from '../common/format';
import { useRequestLink } from '../common/requestLink';
import { AuditFilterBar, NothingMatches } from './AuditFilterBar';
import { AuditColumn, AuditList } from './AuditList';
import { AuditFilterKey, useAuditFilters } from './filters';
import { usePagedList } from './usePagedList';

const KEYS: AuditFilterKey[] = [
  'approver',
  'requester',
  'account',
  'decision',
  'from',
  'to',
];

/** "30 min of 1 h" when an approver shortened the request. */
function durationText(d: DecisionRecord): string | undefined {
  if (d.decision !== 'approve' || d.durationMinutes === undefined) {
    return undefined;
  }
  return `${formatMinutes(d.durationMinutes)} of ${formatMinutes(
    d.requestedDurationMinutes,
  )} asked`;
}

/**
 * The approval history (auditors, admins): every approver decision, newest
 * first, filtered on the server, with a CSV export of the same filters.
 */
export const ApprovalHistory = () => {
  const api = useApi(elevatedAccessApiRef);
  const requestLink = useRequestLink();
  const state = useAuditFilters(KEYS);
  const { filters, range } = state;
  const query: Omit<DecisionListQuery, 'cursor' | 'limit'> = {
    approver: filters.approver,
    requester: filters.requester,
    accountId: filters.account,
    decision: filters.decision,
    ...range,
  };
  const list = usePagedList(query, q => api.listDecisions(q));

  const columns: AuditColumn<DecisionRecord>[] = [
    {
      title: 'Decided',
      render: d => <span title={d.createdAt}>{formatWhen(d.createdAt)}</span>,
    },
    {
      title: 'Request',
      render: d => (
        <>
          <Link {...requestLink(d.requestId)}>
            {d.accountName} ({d.accountId})
          </Link>
          <Typography variant="caption" display="block">
            {d.permissionSetName}
          </Typography>
        </>
      ),
    },
    { title: 'Requester', render: d => shortRef(d.requesterRef) },
    {
      title: 'Decision',
      render: d => (d.decision === 'approve' ? 'Approved' : 'Rejected'),
    },
    { title: 'By', render: d => shortRef(d.approverRef) },
    { title: 'Comment', render: d => d.comment ?? '' },
    { title: 'Shortened to', render: d => durationText(d) ?? '' },
  ];

  return (
    <>
      <AuditFilterBar
        keys={KEYS}
        state={state}
        actions={
          <DownloadButton
            label="Decisions CSV"
            filename="elevated-access-decisions.csv"
            fetch={options => api.downloadDecisionsCsv(query, options)}
          />
        }
      />
      <AuditList<DecisionRecord>
        title="Approval history"
        columns={columns}
        list={list}
        rowKey={d => d.id}
        action="load the approval history"
        emptyContent={
          <NothingMatches what="decision" filtered={state.filtered} />
        }
      />
    </>
  );
};
