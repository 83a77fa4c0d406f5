import { useApi } from '@backstage/core-plugin-api';
import { AccessRequest } from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  Button,
  DialogContentText,
  FormControl,
  FormControlLabel,
  FormLabel,
  Radio,
  RadioGroup,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import { useRef, useState } from 'react';
import {
  elevatedAccessApiRef,
  ReviewOutcome,
} from '../../api/ElevatedAccessApi';
import { DialogTextArea } from '../common/CommentDialog';
import { DialogFrame, useDialogSending } from '../common/DialogFrame';
import { formatWhen, shortRef } from '../common/format';
import { useNotify } from '../common/notice';
import { useOpenFromLink } from './useOpenFromLink';

const COMMENT_MAX = 1000;

/** "Review alice's break-glass access to PowerUserAccess on payments-prod". */
export function reviewTitle(r: AccessRequest): string {
  return `Review ${shortRef(r.requesterRef)}'s break-glass access to ${
    r.permissionSetName
  } on ${r.accountName}`;
}

/** "Reviewed by bob: appropriate — fixed the outage (21 Nov 2026, 12:00)". */
export function reviewSummary(review: NonNullable<AccessRequest['review']>) {
  return `Reviewed by ${shortRef(review.reviewerRef)}: ${review.outcome}${
    review.comment ? ` — ${review.comment}` : ''
  } (${formatWhen(review.createdAt)})`;
}

/**
 * An approver's verdict on a break-glass request: appropriate or not, with a
 * comment (required for inappropriate). Named by its title, focus on the
 * first choice; the server's refusal shows in place.
 */
export const ReviewDialog = (props: {
  request: AccessRequest;
  onClose: () => void;
  onReviewed: (updated: AccessRequest) => void;
}) => {
  const api = useApi(elevatedAccessApiRef);
  const r = props.request;
  const [outcome, setOutcome] = useState<ReviewOutcome>();
  const [comment, setComment] = useState('');
  const { busy, error, run, close } = useDialogSending(props.onClose);
  const first = useRef<HTMLInputElement>(null);
  const ids = { title: `review-title-${r.id}`, help: `review-help-${r.id}` };
  const commentRequired = outcome === 'inappropriate';
  const ready = Boolean(outcome) && !(commentRequired && !comment.trim());

  const submit = async () => {
    if (!outcome || !ready || busy) return;
    await run(async () => {
      const updated = await api.review(
        r.id,
        outcome,
        comment.trim() || undefined,
      );
      props.onReviewed(updated);
      props.onClose();
    });
  };

  return (
    <DialogFrame
      titleId={ids.title}
      title={reviewTitle(r)}
      describedBy={ids.help}
      onEntered={() => first.current?.focus()}
      busy={busy}
      error={error}
      onClose={close}
      confirm={{ label: 'Submit review', onClick: submit, disabled: !ready }}
    >
      <DialogContentText id={ids.help}>
        Check the session&apos;s activity on this page, then say whether the
        break-glass access was appropriate.
      </DialogContentText>
      <FormControl component="fieldset" style={{ marginBottom: 16 }}>
        <FormLabel component="legend">Outcome</FormLabel>
        <RadioGroup
          aria-label="Outcome"
          value={outcome ?? ''}
          onChange={e => setOutcome(e.target.value as ReviewOutcome)}
        >
          <FormControlLabel
            value="appropriate"
            control={<Radio inputRef={first} />}
            label="Appropriate"
          />
          <FormControlLabel
            value="inappropriate"
            control={<Radio />}
            label="Inappropriate"
          />
        </RadioGroup>
      </FormControl>
      <DialogTextArea
        id={`review-comment-${r.id}`}
        label="Comment"
        value={comment}
        onText={setComment}
        required={commentRequired}
        inputProps={{ maxLength: COMMENT_MAX }}
        helperText={
          commentRequired
            ? `Required for Inappropriate: say what was inappropriate (${comment.length}/${COMMENT_MAX})`
            : `Optional; required for Inappropriate (${comment.length}/${COMMENT_MAX})`
        }
      />
    </DialogFrame>
  );
};

/**
 * The break-glass review on the request page: the verdict once given; the
 * Review button for an approver who may review now (`?review=1` opens the
 * dialog once, from the Approvals tab); else what happens next.
 */
export const ReviewPanel = (props: {
  request: AccessRequest;
  onChanged: () => void;
  openNow?: boolean;
}) => {
  const r = props.request;
  const notify = useNotify();
  const [open, setOpen] = useState(false);
  const canReview = r.capabilities.canReview && !r.review;
  useOpenFromLink('review', props.openNow, canReview, () => setOpen(true));

  if (!r.breakGlass) return null;
  const over = r.status === 'ended' || r.status === 'revoked';
  let text: string;
  if (r.review) text = reviewSummary(r.review);
  else if (canReview) {
    text =
      'This break-glass access has ended and its activity is collected: review it.';
  } else if (r.awaitingReview && over && r.activityComplete) {
    text = 'Awaiting review by an approver.';
  } else {
    text =
      'An approver reviews this break-glass access once it has ended and its activity is collected.';
  }
  let severity: 'info' | 'success' | 'error' = 'info';
  if (r.review) {
    severity = r.review.outcome === 'inappropriate' ? 'error' : 'success';
  }
  return (
    <div style={{ marginTop: 16 }} data-testid="break-glass-review">
      <Alert
        severity={severity}
        action={
          canReview ? (
            <Button
              color="primary"
              variant="contained"
              size="small"
              onClick={() => setOpen(true)}
            >
              Review
            </Button>
          ) : undefined
        }
      >
        <Typography
          variant="body2"
          component="span"
          style={{ overflowWrap: 'anywhere' }}
        >
          {text}
        </Typography>
      </Alert>
      {open && (
        <ReviewDialog
          request={r}
          onClose={() => setOpen(false)}
          onReviewed={updated => {
            notify({
              message: `Review recorded: ${shortRef(
                updated.requesterRef,
              )}'s break-glass access marked ${
                updated.review?.outcome ?? 'reviewed'
              }`,
              severity: 'success',
            });
            props.onChanged();
          }}
        />
      )}
    </div>
  );
};
