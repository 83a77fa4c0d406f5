import { Button } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { describeError } from './errors';

/**
 * A failed load or action in words a person understands: what happened, what
 * to do, and a Retry where trying again can help. Replaces Backstage's raw
 * "Request failed with 500" panel.
 */
export const ErrorState = (props: {
  error: unknown;
  /** What the page tried, e.g. "load your requests". */
  action?: string;
  /** Offered as a Retry button when retrying may succeed. */
  onRetry?: () => void;
  /** Overrides the advice, e.g. who to ask for a request one cannot see. */
  advice?: string;
}) => {
  const described = describeError(props.error, props.action);
  return (
    <Alert
      severity="error"
      role="alert"
      data-testid="error-state"
      action={
        props.onRetry && described.retryable ? (
          <Button color="inherit" size="small" onClick={props.onRetry}>
            Retry
          </Button>
        ) : undefined
      }
    >
      <AlertTitle>{described.title}</AlertTitle>
      {props.advice ?? described.advice}
    </Alert>
  );
};
