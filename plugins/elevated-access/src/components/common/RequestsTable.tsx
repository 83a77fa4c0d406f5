import {
  Link,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Button, Typography } from '@material-ui/core';
import { ReactNode } from 'react';
import { requestRouteRef } from '../../routes';
import { useNow } from '../../hooks/useNow';
import { formatWhen, provisioningState, relative, shortRef } from './format';
import {
  ActionDialogHost,
  RequestActions,
  useHasActionDialogHost,
} from './RequestActions';
import { StatusChip } from './StatusChip';
import { PagedRequests } from './usePagedRequests';

/**
 * A list of requests, newest first, with each row's actions and a link to its
 * page. Lists are paged by the server: "Load more" fetches the next page.
 * A row's action dialog is held above the table (here, unless a page holds
 * them higher up), so a live refresh that re-renders the rows keeps it open.
 */
export const RequestsTable = (props: {
  title: string;
  page: PagedRequests;
  showRequester?: boolean;
  /** A column with who approved or rejected each request (audit views). */
  showDecidedBy?: boolean;
  emptyContent: ReactNode;
  /** After an action on a row; the list's own refresh unless given. */
  onChanged?: () => void;
  actions?: ReactNode;
  /** Rows can be chosen (e.g. to show one request's details beside the list). */
  onSelect?: (request: AccessRequest) => void;
  selectedId?: string;
}) => {
  const link = useRouteRef(requestRouteRef);
  const hasHost = useHasActionDialogHost();
  const now = useNow();
  const { page } = props;
  const onChanged = props.onChanged ?? page.refresh;
  const columns: TableColumn<AccessRequest>[] = [
    {
      title: 'Requested',
      field: 'createdAt',
      render: r => (
        <Link to={link({ id: r.id })} title={r.createdAt}>
          {formatWhen(r.createdAt)}
        </Link>
      ),
    },
    ...(props.showRequester
      ? [
          {
            title: 'Requester',
            field: 'requesterRef',
            render: (r: AccessRequest) => shortRef(r.requesterRef),
          },
        ]
      : []),
    {
      title: 'Account',
      field: 'accountName',
      render: r => `${r.accountName} (${r.accountId})`,
    },
    { title: 'Permission set', field: 'permissionSetName' },
    {
      title: 'Window',
      render: r => (
        <>
          <Typography variant="body2">{formatWhen(r.startTime)}</Typography>
          <Typography variant="caption" color="textSecondary">
            until {formatWhen(r.endTime)}
          </Typography>
        </>
      ),
    },
    {
      title: 'Status',
      field: 'status',
      render: r => (
        <>
          <StatusChip status={r.status} />
          {r.status === 'active' && (
            <Typography variant="caption" display="block">
              ends {relative(r.endTime, now)}
            </Typography>
          )}
          {r.status === 'pending' && r.expiresAt && (
            <Typography variant="caption" display="block">
              expires {relative(r.expiresAt, now)}
            </Typography>
          )}
          {r.status === 'revoking' && r.errorReason && (
            <Typography variant="caption" color="error" display="block">
              {provisioningState(r)}
            </Typography>
          )}
          {r.status === 'error' && r.errorReason && (
            <Typography variant="caption" color="error" display="block">
              {r.errorReason}
            </Typography>
          )}
        </>
      ),
    },
    ...(props.showDecidedBy
      ? [
          {
            title: 'Decided by',
            render: (r: AccessRequest) =>
              r.decidedBy?.length
                ? r.decidedBy.map(d => (
                    <Typography
                      key={`${d.approverRef}-${d.createdAt}`}
                      variant="body2"
                      title={d.createdAt}
                    >
                      {shortRef(d.approverRef)}{' '}
                      <Typography
                        component="span"
                        variant="caption"
                        color="textSecondary"
                      >
                        ({d.decision === 'approve' ? 'approved' : 'rejected'})
                      </Typography>
                    </Typography>
                  ))
                : '—',
          },
        ]
      : []),
    {
      title: 'Actions',
      render: r => <RequestActions request={r} onChanged={onChanged} />,
    },
  ];
  const content = (
    <>
      {props.actions && (
        <div
          style={{
            display: 'flex',
            justifyContent: 'flex-end',
            gap: 8,
            marginBottom: 8,
          }}
        >
          {props.actions}
        </div>
      )}
      {page.error ? (
        <ResponseErrorPanel error={page.error} />
      ) : (
        <Table<AccessRequest>
          title={props.title}
          isLoading={page.loading}
          columns={columns}
          data={page.items}
          options={{
            paging: false,
            search: false,
            sorting: false,
            padding: 'dense',
            toolbar: true,
            rowStyle: (r: AccessRequest) =>
              r.id === props.selectedId
                ? { backgroundColor: 'rgba(25, 118, 210, 0.08)' }
                : {},
          }}
          onRowClick={
            props.onSelect ? (_e, r) => r && props.onSelect!(r) : undefined
          }
          emptyContent={<div style={{ padding: 16 }}>{props.emptyContent}</div>}
        />
      )}
      {page.loadMore && (
        <Button onClick={page.loadMore} style={{ marginTop: 8 }}>
          Load more
        </Button>
      )}
    </>
  );
  return hasHost ? content : <ActionDialogHost>{content}</ActionDialogHost>;
};
