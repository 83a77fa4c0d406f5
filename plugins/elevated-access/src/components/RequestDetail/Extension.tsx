import { useApi } from '@backstage/core-plugin-api';
import {
  AccessRequest,
  formatMinutes,
  JUSTIFICATION_LIMITS,
  RequestExtension,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  Button,
  DialogContentText,
  FormControlLabel,
  FormLabel,
  Radio,
  RadioGroup,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useRef, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { elevatedAccessApiRef } from '../../api/ElevatedAccessApi';
import { useElevatedAccess } from '../../hooks/useElevatedAccess';
import { DialogFrame, useDialogSending } from '../common/DialogFrame';
import { CommentDialog, DialogTextArea } from '../common/CommentDialog';
import { formatWhen, shortRef } from '../common/format';
import { useNotify } from '../common/notice';
import { useOpenFromLink } from './useOpenFromLink';

/** How much longer, offered as presets (minutes). */
export const EXTEND_PRESETS = [15, 30, 60, 120];

/** What the server said about an extension, in words. */
export function extensionOutcome(x: RequestExtension): string {
  if (x.status === 'approved') {
    return `Extended by ${formatMinutes(
      x.addedMinutes,
    )}: access now ends ${formatWhen(x.newEndTime)}.`;
  }
  if (x.status === 'pending') {
    return `Sent to the approvers: ${formatMinutes(
      x.addedMinutes,
    )} more needs approval. Your access continues unchanged until ${formatWhen(
      x.previousEndTime,
    )} meanwhile.`;
  }
  return `The extension is ${x.status}.`;
}

/**
 * Asks for more time on active access: a preset duration and a
 * justification. Named by its title, focus in its first field; shows the
 * outcome (extended at once, or sent to the approvers) before it closes.
 */
export const ExtendDialog = (props: {
  request: AccessRequest;
  onClose: () => void;
  onExtended: () => void;
}) => {
  const api = useApi(elevatedAccessApiRef);
  const r = props.request;
  const [minutes, setMinutes] = useState(String(EXTEND_PRESETS[1]));
  const [justification, setJustification] = useState('');
  const { busy, error, run, close } = useDialogSending(props.onClose);
  const [outcome, setOutcome] = useState<RequestExtension>();
  const firstField = useRef<HTMLInputElement>(null);
  const tooShort = justification.trim().length < JUSTIFICATION_LIMITS.min;
  // flagged, never cut: a pasted text keeps every character
  const length = Array.from(justification.trim()).length;
  const tooLong = length > JUSTIFICATION_LIMITS.max;
  const titleId = `extend-dialog-title-${r.id}`;

  const submit = async () => {
    if (busy || tooShort || tooLong) return;
    await run(async () => {
      const result = await api.extend(
        r.id,
        Number(minutes),
        justification.trim(),
      );
      setOutcome(result);
      props.onExtended();
    });
  };

  return (
    <DialogFrame
      titleId={titleId}
      title={`Extend ${r.permissionSetName} on ${r.accountName}`}
      onEntered={() => firstField.current?.focus()}
      busy={busy}
      error={error}
      onClose={close}
      confirm={{
        label: 'Extend',
        onClick: submit,
        disabled: tooShort || tooLong,
      }}
      actions={
        outcome && (
          <Button onClick={props.onClose} color="primary" variant="contained">
            Close
          </Button>
        )
      }
    >
      {outcome ? (
        <Alert severity="success" role="status">
          {extensionOutcome(outcome)}
        </Alert>
      ) : (
        <>
          <DialogContentText>
            Your access ends {formatWhen(r.endTime)}. An extension is judged as
            if you had asked for the whole time from the grant; it may need
            approval.
          </DialogContentText>
          <FormLabel component="legend" id={`${titleId}-by`}>
            Extend by
          </FormLabel>
          <RadioGroup
            row
            aria-labelledby={`${titleId}-by`}
            value={minutes}
            onChange={e => setMinutes(e.target.value)}
          >
            {EXTEND_PRESETS.map((m, i) => (
              <FormControlLabel
                key={m}
                value={String(m)}
                label={formatMinutes(m)}
                control={<Radio inputRef={i === 1 ? firstField : undefined} />}
              />
            ))}
          </RadioGroup>
          <DialogTextArea
            id={`${titleId}-justification`}
            label="Justification"
            value={justification}
            onText={setJustification}
            inputProps={{
              'aria-required': true,
            }}
            error={tooLong}
            helperText={
              tooLong
                ? `Justification is ${length.toLocaleString(
                    'en-US',
                  )} characters; the limit is ${JUSTIFICATION_LIMITS.max.toLocaleString(
                    'en-US',
                  )}`
                : `Required: why you need more time (at least ${JUSTIFICATION_LIMITS.min} characters)`
            }
            style={{ marginTop: 16 }}
          />
        </>
      )}
    </DialogFrame>
  );
};

/** The Extend button for the requester of active access; opens the dialog. */
export const ExtendButton = (props: {
  request: AccessRequest;
  onChanged: () => void;
  /** Open the dialog at once (the "ends soon" link: `?extend=1`). */
  openNow?: boolean;
  size?: 'small' | 'medium';
  /**
   * False hides the button (an extension is pending, say) but keeps an open
   * dialog open, so its outcome stays readable when the page reloads.
   */
  available?: boolean;
}) => {
  const { me } = useElevatedAccess();
  const r = props.request;
  const [open, setOpen] = useState(false);
  const mayExtend =
    r.status === 'active' &&
    r.requesterRef === me.userEntityRef &&
    props.available !== false;
  useOpenFromLink('extend', props.openNow, mayExtend, () => setOpen(true));
  return (
    <>
      {mayExtend && (
        <Button
          variant="outlined"
          size={props.size ?? 'small'}
          onClick={e => {
            e.stopPropagation();
            setOpen(true);
          }}
          style={{ marginRight: 8 }}
        >
          Extend
        </Button>
      )}
      {open && (
        <ExtendDialog
          request={r}
          onClose={() => setOpen(false)}
          onExtended={props.onChanged}
        />
      )}
    </>
  );
};

/**
 * The request page's extensions: the Extend button (requester, active), the
 * pending extension with Approve and Reject for approvers who may decide it,
 * and what earlier extensions came to.
 */
export const ExtensionPanel = (props: {
  request: AccessRequest;
  onChanged: () => void;
  openNow?: boolean;
}) => {
  const api = useApi(elevatedAccessApiRef);
  const notify = useNotify();
  const { settings } = useElevatedAccess();
  const r = props.request;
  const state = useAsyncRetry(
    () => api.getExtensions(r.id),
    // reload when the request changes (a decision, the end moving)
    [api, r.id, r.endTime, r.status, r.updatedAt],
  );
  const [deciding, setDeciding] = useState<'approve' | 'reject'>();
  const changed = () => {
    state.retry();
    props.onChanged();
  };
  const data = state.value;
  const pending = data?.pending;
  const past = (data?.extensions ?? []).filter(x => x.status !== 'pending');
  const what = `${r.permissionSetName} on ${r.accountName}`;

  return (
    <div data-testid="extensions">
      {pending && (
        <Alert
          severity="info"
          style={{ marginTop: 16 }}
          data-testid="pending-extension"
          action={
            pending.canDecide ? (
              <>
                <Button
                  color="primary"
                  variant="contained"
                  size="small"
                  onClick={() => setDeciding('approve')}
                  style={{ marginRight: 8 }}
                >
                  Approve extension
                </Button>
                <Button
                  variant="outlined"
                  size="small"
                  onClick={() => setDeciding('reject')}
                >
                  Reject extension
                </Button>
              </>
            ) : undefined
          }
        >
          {shortRef(pending.requesterRef)} asks for{' '}
          {formatMinutes(pending.addedMinutes)} more (
          {formatMinutes(pending.totalMinutes)} from the grant): “
          {pending.justification}”. Awaiting approval
          {pending.minApprovals > 1
            ? ` (${pending.approvals} of ${pending.minApprovals})`
            : ''}
          ; the access continues unchanged meanwhile.
        </Alert>
      )}
      {past.length > 0 && (
        <Typography variant="body2" style={{ marginTop: 16 }}>
          Extensions:{' '}
          {past
            .map(
              x =>
                `${formatMinutes(x.addedMinutes)} ${x.status}${
                  x.decidedBy ? ` by ${shortRef(x.decidedBy)}` : ''
                }`,
            )
            .join('; ')}
        </Typography>
      )}
      {/* mounted while hidden: the dialog outlives the reload it causes */}
      <div style={data?.canExtend ? { marginTop: 16 } : undefined}>
        <ExtendButton
          request={r}
          onChanged={changed}
          openNow={props.openNow}
          available={Boolean(data?.canExtend)}
          size="medium"
        />
      </div>
      {deciding && pending && (
        <CommentDialog
          open
          title={`${
            deciding === 'approve' ? 'Approve' : 'Reject'
          } ${formatMinutes(
            pending.addedMinutes,
          )} more of ${what} for ${shortRef(pending.requesterRef)}?`}
          confirmLabel={
            deciding === 'approve' ? 'Approve extension' : 'Reject extension'
          }
          commentRequired={
            deciding === 'reject' && settings.commentRequiredOnReject
          }
          danger={deciding === 'reject'}
          onClose={() => setDeciding(undefined)}
          onConfirm={async comment => {
            const decided = await api.decideExtension(r.id, deciding, comment);
            notify({
              message:
                decided.status === 'approved'
                  ? `Extension approved: access now ends ${formatWhen(
                      decided.newEndTime,
                    )}`
                  : `Extension ${
                      decided.status === 'pending'
                        ? `approval recorded (${decided.approvals} of ${decided.minApprovals})`
                        : decided.status
                    }`,
              severity: 'success',
            });
            changed();
          }}
        />
      )}
    </div>
  );
};
