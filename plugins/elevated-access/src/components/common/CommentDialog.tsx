import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { ReactNode, useState } from 'react';
import { messageOf } from './errors';

/**
 * Confirms an action, with a comment that settings may require (reject,
 * revoke). Shows the server's refusal in place instead of closing.
 */
export const CommentDialog = (props: {
  open: boolean;
  title: string;
  description?: ReactNode;
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
  const withComment = props.withComment ?? true;
  const missing = withComment && props.commentRequired && !comment.trim();

  const confirm = async () => {
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

  return (
    <Dialog open={props.open} onClose={props.onClose} fullWidth maxWidth="sm">
      <DialogTitle>{props.title}</DialogTitle>
      <DialogContent>
        {props.description && (
          <DialogContentText component="div">
            {props.description}
          </DialogContentText>
        )}
        {withComment && (
          <TextField
            label={props.commentLabel ?? 'Comment'}
            required={props.commentRequired}
            multiline
            minRows={3}
            fullWidth
            variant="outlined"
            value={comment}
            onChange={e => setComment(e.target.value)}
            inputProps={{
              maxLength: 1000,
              'aria-label': props.commentLabel ?? 'Comment',
            }}
            helperText={props.commentRequired ? 'Required' : 'Optional'}
          />
        )}
        {error && (
          <Alert severity="error" style={{ marginTop: 16 }}>
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} disabled={busy}>
          Back
        </Button>
        <Button
          onClick={confirm}
          color={props.danger ? 'secondary' : 'primary'}
          variant="contained"
          disabled={busy || missing}
        >
          {props.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
