import { useApi } from '@backstage/core-plugin-api';
import { useNotify } from './notice';
import {
  AccessRequest,
  formatMinutes,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { Button, TextField } from '@material-ui/core';
import {
  createContext,
  ReactNode,
  useCallback,
  useContext,
  useMemo,
  useRef,
  useState,
} from 'react';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { useElevatedAccess } from '../../hooks/useElevatedAccess';
import { CommentDialog } from './CommentDialog';
import { useDangerStyles } from './dangerStyles';
import { shortRef } from './format';

type Action = 'approve' | 'reject' | 'cancel' | 'revoke' | 'retry';

/** Why an approval duration cannot be sent, if it cannot. */
function approvalDurationError(minutes: number, asked: number) {
  if (!Number.isInteger(minutes) || minutes < 1) {
    return 'Enter a whole number of minutes';
  }
  if (minutes > asked) return `At most the ${formatMinutes(asked)} asked`;
  return undefined;
}

/**
 * One open action dialog: the action and the request exactly as they were
 * when the dialog was opened. Lists refresh live underneath an open dialog;
 * the dialog keeps its target (and the call uses this id) until it closes.
 */
interface OpenAction {
  action: Action;
  request: AccessRequest;
  onChanged: () => void;
}

/**
 * The confirmation dialog for one action on one request. `request` is the
 * snapshot taken when the dialog opened; nothing here reads the live list.
 */
const RequestActionDialog = (props: OpenAction & { onClose: () => void }) => {
  const api = useApi(elevatedAccessApiRef);
  const notify = useNotify();
  const { settings, refreshMe, me } = useElevatedAccess();
  const { request: r, action } = props;
  const id = r.id;
  const what = `${r.permissionSetName} on ${r.accountName}`;
  const who = shortRef(r.requesterRef);
  // an approver may approve for less time than asked
  const [approvedMinutes, setApprovedMinutes] = useState(
    String(r.durationMinutes),
  );
  const shortenTo = Number(approvedMinutes);
  const shortenError = approvalDurationError(shortenTo, r.durationMinutes);

  const whose = r.requesterRef === me.userEntityRef ? 'your' : `${who}'s`;
  const dialogs: Record<
    Action,
    {
      title: string;
      confirm: string;
      comment?: boolean;
      required?: boolean;
      danger?: boolean;
      run: (c?: string) => Promise<AccessRequest | unknown>;
      /** The toast after it worked, from the request the server returned. */
      done: (after: AccessRequest | undefined) => string;
    }
  > = {
    approve: {
      title: `Approve ${what} for ${who}?`,
      confirm: 'Approve',
      comment: true,
      run: c => {
        if (shortenError) return Promise.reject(new Error(shortenError));
        return api.approve(
          id,
          c,
          shortenTo < r.durationMinutes ? shortenTo : undefined,
        );
      },
      done: after => {
        const shortened =
          shortenTo < r.durationMinutes
            ? ` for ${formatMinutes(shortenTo)}`
            : '';
        const more =
          after?.status === 'pending' && after.minApprovals > after.approvals
            ? `: ${after.approvals} of ${after.minApprovals} approvals so far`
            : '';
        return `Approved ${whose} ${what}${shortened}${more}`;
      },
    },
    reject: {
      title: `Reject ${what}?`,
      confirm: 'Reject',
      comment: true,
      required: settings.commentRequiredOnReject,
      danger: true,
      run: c => api.reject(id, c),
      done: () => `Rejected ${whose} ${what}`,
    },
    cancel: {
      title: `Cancel your request for ${what}?`,
      confirm: 'Cancel request',
      comment: false,
      danger: true,
      run: () => api.cancel(id),
      done: () => `Cancelled ${whose} request for ${what}`,
    },
    revoke: {
      title: `Revoke ${what}?`,
      confirm: 'Revoke',
      comment: true,
      required: settings.commentRequiredOnRevoke,
      danger: true,
      run: c => api.revoke(id, c),
      done: () =>
        r.status === 'active'
          ? `Removing ${whose} ${what}: access ends in a moment`
          : `Revoked ${whose} ${what} before it started`,
    },
    retry: {
      title: `Retry provisioning ${what}?`,
      confirm: 'Retry',
      comment: false,
      run: () => api.retry(id),
      done: () => `Retrying provisioning of ${whose} ${what}`,
    },
  };
  const current = dialogs[action];

  let description: ReactNode;
  let fields: ReactNode;
  if (action === 'approve') {
    fields = (
      <TextField
        id={`approve-minutes-${id}`}
        label="Approve for (minutes)"
        type="number"
        variant="outlined"
        size="small"
        value={approvedMinutes}
        onChange={e => setApprovedMinutes(e.target.value)}
        error={!!shortenError}
        helperText={
          shortenError ??
          `${formatMinutes(
            r.durationMinutes,
          )} asked; shorten it if less will do (${formatMinutes(
            Math.max(1, shortenTo || 1),
          )})`
        }
        inputProps={{ min: 1, max: r.durationMinutes }}
      />
    );
  } else if (action === 'revoke' && r.status === 'active') {
    description =
      'AWS sessions already open stay valid until they expire (the permission set session duration).';
  }

  return (
    <CommentDialog
      open
      title={current.title}
      confirmLabel={current.confirm}
      withComment={current.comment}
      commentRequired={current.required}
      danger={current.danger}
      description={description}
      onClose={props.onClose}
      onConfirm={async c => {
        const after = await current.run(c);
        // one transient toast per action, naming what was done to what
        notify({
          message: current.done(
            after && typeof after === 'object' && 'status' in after
              ? (after as AccessRequest)
              : undefined,
          ),
          severity: 'success',
        });
        refreshMe();
        props.onChanged();
      }}
    >
      {fields}
    </CommentDialog>
  );
};

const ActionDialogContext = createContext<
  ((open: OpenAction) => void) | undefined
>(undefined);

/**
 * Holds the action dialogs opened by the RequestActions below it, so that a
 * dialog outlives the table row or panel that opened it: a live refresh may
 * move, replace or remove that row while the dialog (and its typed comment)
 * stays on the request it was opened for.
 */
export const ActionDialogHost = (props: { children: ReactNode }) => {
  const [open, setOpen] = useState<OpenAction & { key: number }>();
  const opened = useRef(0);
  const show = useCallback((next: OpenAction) => {
    opened.current += 1;
    setOpen({ ...next, key: opened.current });
  }, []);
  const close = useCallback(() => setOpen(undefined), []);
  return (
    <ActionDialogContext.Provider value={show}>
      {props.children}
      {open && (
        <RequestActionDialog
          key={open.key}
          action={open.action}
          request={open.request}
          onChanged={open.onChanged}
          onClose={close}
        />
      )}
    </ActionDialogContext.Provider>
  );
};

/** Whether an ActionDialogHost above already holds the dialogs. */
export function useHasActionDialogHost(): boolean {
  return useContext(ActionDialogContext) !== undefined;
}

/**
 * The buttons the caller may use on one request, from the capabilities the
 * server computed for them (the server checks again on every click). The
 * dialog a button opens is bound to the request as it was at the click.
 */
export const RequestActions = (props: {
  request: AccessRequest;
  onChanged: () => void;
  size?: 'small' | 'medium';
}) => {
  const { me } = useElevatedAccess();
  const danger = useDangerStyles();
  const host = useContext(ActionDialogContext);
  const [local, setLocal] = useState<OpenAction>();
  const { request: r } = props;
  const { canApprove, canReject, canCancel, canRevoke } = r.capabilities;
  const canRetry = me.canManagePolicies && r.status === 'error';
  const onChanged = useRef(props.onChanged);
  onChanged.current = props.onChanged;
  const latestOnChanged = useMemo(() => () => onChanged.current(), []);

  const openDialog = (action: Action) => {
    if (host) {
      host({ action, request: r, onChanged: props.onChanged });
    } else {
      setLocal({ action, request: r, onChanged: latestOnChanged });
    }
  };

  const button = (
    action: Action,
    label: string,
    show: boolean,
    color: 'primary' | 'danger' | 'default' = 'default',
  ) =>
    show && (
      <Button
        key={action}
        size={props.size ?? 'small'}
        color={color === 'primary' ? 'primary' : 'default'}
        variant={color === 'primary' ? 'contained' : 'outlined'}
        className={color === 'danger' ? danger.outlined : undefined}
        onClick={e => {
          e.stopPropagation();
          openDialog(action);
        }}
        style={{ marginRight: 8 }}
      >
        {label}
      </Button>
    );

  return (
    // Dialogs rendered here are portals, but their clicks still bubble through
    // the React tree; stop them here so they do not also open the row they sit
    // in.
    // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-static-element-interactions
    <span onClick={e => e.stopPropagation()}>
      {button('approve', 'Approve', canApprove, 'primary')}
      {button('reject', 'Reject', canReject, 'danger')}
      {button('cancel', 'Cancel', canCancel)}
      {button('revoke', 'Revoke', canRevoke && !canCancel, 'danger')}
      {button('retry', 'Retry', canRetry)}
      {local && (
        <RequestActionDialog {...local} onClose={() => setLocal(undefined)} />
      )}
    </span>
  );
};
