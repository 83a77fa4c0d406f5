import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
  useMediaQuery,
  useTheme,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useRef, useState } from 'react';
import { useDangerStyles } from './dangerStyles';
import { messageOf } from './errors';

let dialogs = 0;

/**
 * Confirms an action, with a comment that settings may require (reject,
 * revoke). Shows the server's refusal in place instead of closing.
 *
 * The dialog is named by its title (aria-labelledby), takes focus in the
 * comment box (or, without one, in its first field or on the confirm button),
 * and closes with Escape or Back while nothing is being sent.
 */
export const CommentDialog = (props: {
  open: boolean;
  title: string;
  description?: ReactNode;
  /** Further fields, below the comment box (e.g. a shorter duration). */
  children?: ReactNode;
  /** Names the action, e.g. "Approve"; also the confirm button's text. */
  confirmLabel: string;
  commentLabel?: string;
  commentRequired?: boolean;
  withComment?: boolean;
  danger?: boolean;
  onClose: () => void;
  onConfirm: (comment: string | undefined) => Promise<unknown>;
}) => {
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [ids] = useState(() => {
    dialogs += 1;
    return {
      title: `comment-dialog-title-${dialogs}`,
      description: `comment-dialog-description-${dialogs}`,
    };
  });
  const confirmRef = useRef<HTMLButtonElement>(null);
  const theme = useTheme();
  const danger = useDangerStyles();
  const phone = useMediaQuery(theme.breakpoints.down('xs'));
  const withComment = props.withComment ?? true;
  const missing = withComment && props.commentRequired && !comment.trim();
  const commentLabel = props.commentLabel ?? 'Comment';

  const confirm = async () => {
    if (busy || missing) return;
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm(comment.trim() || undefined);
      setComment('');
      props.onClose();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    if (!busy) props.onClose();
  };

  return (
    <Dialog
      open={props.open}
      onClose={close}
      fullWidth
      fullScreen={phone}
      maxWidth="sm"
      aria-labelledby={ids.title}
      aria-describedby={props.description ? ids.description : undefined}
      TransitionProps={{
        onEntered: () => {
          // without a comment box or other field, the confirm button has focus
          if (!withComment && !props.children) confirmRef.current?.focus();
        },
      }}
    >
      <DialogTitle id={ids.title}>{props.title}</DialogTitle>
      <DialogContent>
        {props.description && (
          <DialogContentText component="div" id={ids.description}>
            {props.description}
          </DialogContentText>
        )}
        {withComment && (
          <TextField
            id={`${ids.title}-comment`}
            label={commentLabel}
            // a dialog puts focus in its first field (WAI-ARIA dialog pattern)
            // eslint-disable-next-line jsx-a11y/no-autofocus
            autoFocus
            multiline
            minRows={3}
            fullWidth
            variant="outlined"
            value={comment}
            onChange={e => setComment(e.target.value)}
            inputProps={{
              maxLength: 1000,
              'aria-required': props.commentRequired ? true : undefined,
            }}
            helperText={
              props.commentRequired
                ? `Required: say why (${comment.length}/1000)`
                : `Optional (${comment.length}/1000)`
            }
            style={{ marginBottom: props.children ? 16 : 0 }}
          />
        )}
        {props.children}
        {error && (
          <Alert severity="error" role="alert" style={{ marginTop: 16 }}>
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close} disabled={busy}>
          Back
        </Button>
        <Button
          ref={confirmRef}
          onClick={confirm}
          color={props.danger ? 'default' : 'primary'}
          className={props.danger ? danger.contained : undefined}
          variant="contained"
          disabled={busy || missing}
        >
          {props.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
