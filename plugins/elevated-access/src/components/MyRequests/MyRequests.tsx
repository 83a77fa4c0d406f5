import { Link } from '@backstage/core-components';
import { RequestStatus } from '@elevated-access/backstage-plugin-elevated-access-common';
import { Typography } from '@material-ui/core';
import { useState } from 'react';
import { RequestsTable } from '../common/RequestsTable';
import { StatusFilter } from '../common/StatusFilter';
import { usePagedRequests } from '../common/usePagedRequests';

/** The caller's own requests, with a status filter, cancel and revoke. */
export const MyRequests = () => {
  const [status, setStatus] = useState<RequestStatus[]>([]);
  const list = usePagedRequests({
    view: 'mine',
    status: status.length ? status : undefined,
  });
  return (
    <RequestsTable
      title="My requests"
      page={list}
      actions={<StatusFilter value={status} onChange={setStatus} />}
      emptyContent={
        <Typography>
          {status.length ? (
            'None of your requests has these statuses.'
          ) : (
            <>
              You have not requested access yet.{' '}
              <Link to="../request">Request access</Link>
            </>
          )}
        </Typography>
      }
    />
  );
};
