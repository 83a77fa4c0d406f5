import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  useMediaQuery,
  useTheme,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, Ref, useState } from 'react';
import { useDangerStyles } from './dangerStyles';
import { messageOf } from './errors';

/**
 * The sending state of a dialog that confirms an action: `run` sends, shows
 * the server's refusal in place instead of closing, and `close` does nothing
 * while something is being sent.
 */
export function useDialogSending(onClose: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    if (!busy) onClose();
  };
  return { busy, error, run, close };
}

/**
 * The frame of a dialog that confirms an action: named by its title, full
 * screen on a phone, the refusal below the fields, and Back beside the
 * confirm button.
 */
export const DialogFrame = (props: {
  open?: boolean;
  titleId: string;
  title: ReactNode;
  /** The id of the text that describes the dialog, if any. */
  describedBy?: string;
  /** Puts focus in the first field once the dialog has opened. */
  onEntered?: () => void;
  busy: boolean;
  error?: string;
  /** Back, Escape and a click outside; the caller ignores it while busy. */
  onClose: () => void;
  confirm: {
    label: string;
    onClick: () => void;
    disabled: boolean;
    danger?: boolean;
    buttonRef?: Ref<HTMLButtonElement>;
  };
  /** Replaces Back and the confirm button (e.g. a Close once done). */
  actions?: ReactNode;
  children: ReactNode;
}) => {
  const theme = useTheme();
  const phone = useMediaQuery(theme.breakpoints.down('xs'));
  const danger = useDangerStyles();
  const { confirm } = props;
  return (
    <Dialog
      open={props.open ?? true}
      onClose={props.onClose}
      fullWidth
      fullScreen={phone}
      maxWidth="sm"
      aria-labelledby={props.titleId}
      aria-describedby={props.describedBy}
      TransitionProps={{ onEntered: props.onEntered }}
    >
      <DialogTitle id={props.titleId}>{props.title}</DialogTitle>
      <DialogContent>
        {props.children}
        {props.error && (
          <Alert severity="error" role="alert" style={{ marginTop: 16 }}>
            {props.error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        {props.actions ?? (
          <>
            <Button onClick={props.onClose} disabled={props.busy}>
              Back
            </Button>
            <Button
              ref={confirm.buttonRef}
              onClick={confirm.onClick}
              color={confirm.danger ? 'default' : 'primary'}
              className={confirm.danger ? danger.contained : undefined}
              variant="contained"
              disabled={props.busy || confirm.disabled}
            >
              {confirm.label}
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
};
