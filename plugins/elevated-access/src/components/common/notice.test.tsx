import { alertApiRef } from '@backstage/core-plugin-api';
import { TestApiProvider } from '@backstage/test-utils';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { NoticeProvider, useNotify } from './notice';

const Buttons = () => {
  const notify = useNotify();
  return (
    <>
      <button
        onClick={() =>
          notify({ message: 'Rejected erin’s request', severity: 'success' })
        }
      >
        reject
      </button>
      <button
        onClick={() =>
          notify({ message: 'Approved alice’s request', severity: 'success' })
        }
      >
        approve
      </button>
    </>
  );
};

const alerts = { post: jest.fn(), alert$: jest.fn() };

describe('NoticeProvider', () => {
  it('shows only the newest message, never a queue of older ones, with a named close button', async () => {
    render(
      <TestApiProvider apis={[[alertApiRef, alerts]]}>
        <NoticeProvider>
          <Buttons />
        </NoticeProvider>
      </TestApiProvider>,
    );
    fireEvent.click(screen.getByText('reject'));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Rejected erin’s request',
    );
    fireEvent.click(screen.getByText('approve'));
    expect(await screen.findByText('Approved alice’s request')).toBeVisible();
    expect(screen.queryByText('Rejected erin’s request')).toBeNull();
    expect(screen.queryByText(/newer message/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss message' }));
    await waitFor(() =>
      expect(screen.queryByText('Approved alice’s request')).toBeNull(),
    );
    expect(alerts.post).not.toHaveBeenCalled();
  });

  it("uses the app's alerts outside the page", () => {
    render(
      <TestApiProvider apis={[[alertApiRef, alerts]]}>
        <Buttons />
      </TestApiProvider>,
    );
    fireEvent.click(screen.getByText('approve'));
    expect(alerts.post).toHaveBeenCalledWith({
      message: 'Approved alice’s request',
      severity: 'success',
      display: 'transient',
    });
  });
});
