import { ResponseError } from '@backstage/errors';
import { fireEvent, render, screen } from '@testing-library/react';
import { ErrorState } from './ErrorState';
import { describeError, messageOf } from './errors';

async function failed(status: number, body: string, type: string) {
  return ResponseError.fromResponse(
    new Response(body, {
      status,
      statusText: 'X',
      headers: { 'content-type': type },
    }),
  );
}

const json = (status: number, message: string) =>
  JSON.stringify({
    error: { name: 'Error', message },
    response: { statusCode: status },
  });

describe('describeError', () => {
  it('never shows an HTML error page: a 503 from a proxy reads as unavailable', async () => {
    const error = await failed(
      503,
      '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>',
      'text/html',
    );
    const d = describeError(error, 'submit your request');
    expect(d.title).toBe(
      "Couldn't submit your request: the Elevated Access service is unavailable at the moment (503).",
    );
    expect(d.retryable).toBe(true);
    expect(messageOf(error)).not.toContain('<');
  });

  it("keeps the server's own sentence for refusals", async () => {
    const error = await failed(
      403,
      json(403, "You can't see this request: it belongs to alice"),
      'application/json',
    );
    const d = describeError(error, 'open this request');
    expect(d.title).toBe("You can't see this request: it belongs to alice");
    expect(d.retryable).toBe(false);
  });

  it('turns a bare 500 into a sentence and offers to retry', async () => {
    const error = await failed(500, '', 'text/plain');
    const d = describeError(error, 'load your requests');
    expect(d.title).toBe(
      "Couldn't load your requests: the Elevated Access service had a problem (500).",
    );
    expect(d.retryable).toBe(true);
  });

  it('names an unreachable service', () => {
    const d = describeError(new TypeError('Failed to fetch'), 'load');
    expect(d.title).toContain('could not be reached');
  });
});

describe('ErrorState', () => {
  it('offers Retry only where retrying can help', async () => {
    const onRetry = jest.fn();
    const { rerender } = render(
      <ErrorState
        error={await failed(503, '', 'text/plain')}
        action="load"
        onRetry={onRetry}
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
    rerender(
      <ErrorState
        error={await failed(
          404,
          json(404, 'No request 123'),
          'application/json',
        )}
        onRetry={onRetry}
      />,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('No request 123');
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });
});
