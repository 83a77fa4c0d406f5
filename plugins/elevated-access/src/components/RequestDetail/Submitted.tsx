import {
  AccessRequest,
  minutesUntil,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import Alert from '@material-ui/lab/Alert';
import { useNow } from '../../hooks/useNow';
import { formatWhen, relative } from '../common/format';
import { useNotifiedNames } from './useNotifiedNames';

/** Router state a request page is opened with right after it was submitted. */
export function wasSubmitted(state: unknown): boolean {
  return Boolean((state as { submitted?: boolean } | null)?.submitted);
}

/** What the requester reads right after submitting: who was told, or when access starts. */
export const Submitted = (props: {
  request: AccessRequest;
  onClose: () => void;
}) => {
  const r = props.request;
  const now = useNow();
  const notified = useNotifiedNames(r, r.status === 'pending');
  let message: string;
  if (r.status === 'pending') {
    const plural = notified && / and |the members of/.test(notified);
    message = notified
      ? `Request submitted. ${notified} ${
          plural ? 'were' : 'was'
        } notified and can approve it${
          r.minApprovals > 1 ? `; it needs ${r.minApprovals} approvals` : ''
        }.`
      : 'Request submitted. Its approvers were notified.';
  } else if (r.breakGlass) {
    message =
      'Break-glass access granted at once, without approval. Every approver and the auditors were told; an approver reviews it once it has ended.';
  } else if (r.status === 'approved') {
    message =
      minutesUntil(r.startTime, now) <= 1
        ? 'Request submitted. No approval needed: access starts in a moment.'
        : `Request submitted. No approval needed: access starts ${formatWhen(
            r.startTime,
          )} (${relative(r.startTime, now)}).`;
  } else {
    message = 'Request submitted.';
  }
  return (
    <Alert
      severity="success"
      onClose={props.onClose}
      data-testid="request-submitted"
      style={{ marginBottom: 16 }}
    >
      {message}
    </Alert>
  );
};
