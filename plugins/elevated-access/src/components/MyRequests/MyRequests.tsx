import { Link } from '@backstage/core-components';
import { Typography } from '@material-ui/core';
import { useElevatedAccess } from '../../hooks/useElevatedAccess';
import { RequestsTable } from '../common/RequestsTable';
import { StatusFilter } from '../common/StatusFilter';
import { usePagedRequests } from '../common/usePagedRequests';
import { useStatusParam } from '../common/useStatusParam';

/**
 * The caller's own requests, with a status filter (kept in the address, so
 * coming back from a request restores it), cancel and revoke.
 */
export const MyRequests = () => {
  const { me } = useElevatedAccess();
  const [status, setStatus] = useStatusParam();
  const list = usePagedRequests({
    view: 'mine',
    status: status.length ? status : undefined,
  });
  return (
    <RequestsTable
      title="My requests"
      page={list}
      loadAction="load your requests"
      actions={<StatusFilter value={status} onChange={setStatus} />}
      emptyContent={
        <Typography>
          {status.length ? (
            'None of your requests has these statuses.'
          ) : (
            <>
              You have not requested access yet.
              {/* offered only to people eligible for something */}
              {me.canRequest && (
                <>
                  {' '}
                  <Link to="../request" underline="always">
                    Request access
                  </Link>
                </>
              )}
            </>
          )}
        </Typography>
      }
    />
  );
};
