import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { AccessRequest } from '@internal/backstage-plugin-elevated-access-common';
import { Button } from '@material-ui/core';
import { useState } from 'react';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { useElevatedAccess } from '../../hooks/useElevatedAccess';
import { CommentDialog } from './CommentDialog';

type Action = 'approve' | 'reject' | 'cancel' | 'revoke' | 'retry';

/**
 * The buttons the caller may use on one request, from the capabilities the
 * server computed for them (the server checks again on every click).
 */
export const RequestActions = (props: {
  request: AccessRequest;
  onChanged: () => void;
  size?: 'small' | 'medium';
}) => {
  const api = useApi(elevatedAccessApiRef);
  const alertApi = useApi(alertApiRef);
  const { settings, me, refreshMe } = useElevatedAccess();
  const [open, setOpen] = useState<Action>();
  const { request: r } = props;
  const { canApprove, canReject, canCancel, canRevoke } = r.capabilities;
  const canRetry = me.canManagePolicies && r.status === 'error';
  const what = `${r.permissionSetName} on ${r.accountName}`;

  const done = (message: string) => {
    alertApi.post({ message, severity: 'success', display: 'transient' });
    refreshMe();
    props.onChanged();
  };

  const dialogs: Record<
    Action,
    {
      title: string;
      confirm: string;
      comment?: boolean;
      required?: boolean;
      danger?: boolean;
      run: (c?: string) => Promise<unknown>;
      message: string;
    }
  > = {
    approve: {
      title: `Approve ${what} for ${r.requesterRef.replace(
        /^user:(default\/)?/,
        '',
      )}?`,
      confirm: 'Approve',
      comment: true,
      run: c => api.approve(r.id, c),
      message: 'Request approved',
    },
    reject: {
      title: `Reject ${what}?`,
      confirm: 'Reject',
      comment: true,
      required: settings.commentRequiredOnReject,
      danger: true,
      run: c => api.reject(r.id, c),
      message: 'Request rejected',
    },
    cancel: {
      title: `Cancel your request for ${what}?`,
      confirm: 'Cancel request',
      comment: false,
      danger: true,
      run: () => api.cancel(r.id),
      message: 'Request cancelled',
    },
    revoke: {
      title: `Revoke ${what}?`,
      confirm: 'Revoke',
      comment: true,
      required: settings.commentRequiredOnRevoke,
      danger: true,
      run: c => api.revoke(r.id, c),
      message: 'Access is being revoked',
    },
    retry: {
      title: `Retry provisioning ${what}?`,
      confirm: 'Retry',
      comment: false,
      run: () => api.retry(r.id),
      message: 'Retrying',
    },
  };

  const button = (
    action: Action,
    label: string,
    show: boolean,
    color: 'primary' | 'secondary' | 'default' = 'default',
  ) =>
    show && (
      <Button
        key={action}
        size={props.size ?? 'small'}
        color={color}
        variant={color === 'primary' ? 'contained' : 'outlined'}
        onClick={e => {
          e.stopPropagation();
          setOpen(action);
        }}
        style={{ marginRight: 8 }}
      >
        {label}
      </Button>
    );

  const current = open ? dialogs[open] : undefined;
  return (
    // The dialogs are portals, but their clicks still bubble through the React
    // tree; stop them here so they do not also open the row they sit in.
    // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-static-element-interactions
    <span onClick={e => e.stopPropagation()}>
      {button('approve', 'Approve', canApprove, 'primary')}
      {button('reject', 'Reject', canReject, 'secondary')}
      {button('cancel', 'Cancel', canCancel)}
      {button('revoke', 'Revoke', canRevoke && !canCancel, 'secondary')}
      {button('retry', 'Retry', canRetry)}
      {current && (
        <CommentDialog
          open
          title={current.title}
          confirmLabel={current.confirm}
          withComment={current.comment}
          commentRequired={current.required}
          danger={current.danger}
          description={
            open === 'revoke' && r.status === 'active'
              ? 'AWS sessions already open stay valid until they expire (the permission set session duration).'
              : undefined
          }
          onClose={() => setOpen(undefined)}
          onConfirm={async c => {
            await current.run(c);
            done(current.message);
          }}
        />
      )}
    </span>
  );
};
