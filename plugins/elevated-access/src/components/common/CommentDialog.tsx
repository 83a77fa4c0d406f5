import {
  DialogContentText,
  OutlinedTextFieldProps,
  TextField,
} from '@material-ui/core';
import { ReactNode, useRef, useState } from 'react';
import { DialogFrame, useDialogSending } from './DialogFrame';

let dialogs = 0;

/**
 * A dialog's multi-line text box (a comment, a justification): outlined, the
 * full width, three rows to start with; `onText` gets what was typed.
 */
export const DialogTextArea = (
  props: Omit<OutlinedTextFieldProps, 'variant' | 'onChange'> & {
    id: string;
    value: string;
    onText: (text: string) => void;
  },
) => {
  const { onText, ...field } = props;
  return (
    <TextField
      multiline
      minRows={3}
      fullWidth
      variant="outlined"
      {...field}
      onChange={e => onText(e.target.value)}
    />
  );
};

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
  const { busy, error, run, close } = useDialogSending(props.onClose);
  const [ids] = useState(() => {
    dialogs += 1;
    return {
      title: `comment-dialog-title-${dialogs}`,
      description: `comment-dialog-description-${dialogs}`,
    };
  });
  const confirmRef = useRef<HTMLButtonElement>(null);
  const withComment = props.withComment ?? true;
  const missing = withComment && props.commentRequired && !comment.trim();
  const commentLabel = props.commentLabel ?? 'Comment';

  const confirm = async () => {
    if (busy || missing) return;
    await run(async () => {
      await props.onConfirm(comment.trim() || undefined);
      setComment('');
      props.onClose();
    });
  };

  return (
    <DialogFrame
      open={props.open}
      titleId={ids.title}
      title={props.title}
      describedBy={props.description ? ids.description : undefined}
      onEntered={() => {
        // without a comment box or other field, the confirm button has focus
        if (!withComment && !props.children) confirmRef.current?.focus();
      }}
      busy={busy}
      error={error}
      onClose={close}
      confirm={{
        label: props.confirmLabel,
        onClick: confirm,
        disabled: Boolean(missing),
        danger: props.danger,
        buttonRef: confirmRef,
      }}
    >
      {props.description && (
        <DialogContentText component="div" id={ids.description}>
          {props.description}
        </DialogContentText>
      )}
      {withComment && (
        <DialogTextArea
          id={`${ids.title}-comment`}
          label={commentLabel}
          // a dialog puts focus in its first field (WAI-ARIA dialog pattern)
          // eslint-disable-next-line jsx-a11y/no-autofocus
          autoFocus
          value={comment}
          onText={setComment}
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
    </DialogFrame>
  );
};
