import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { settings } from '../../__testUtils__/fixtures';
import { adminApi } from '../../__testUtils__/admin';
import { renderWith } from '../../__testUtils__/render';
import { Admin } from './Admin';

describe('Admin: settings', () => {
  it('validates and saves the settings with their version', async () => {
    const api = adminApi({
      updateSettings: jest.fn(async input => ({
        ...settings,
        ...input,
        version: 1,
        updatedAt: '2026-11-21T10:00:00.000Z',
        updatedBy: 'user:default/frank',
      })),
    });
    await renderWith(<Admin />, { api });
    await userEvent.click(await screen.findByRole('tab', { name: 'Settings' }));
    const max = screen.getByLabelText('Max duration (minutes)');
    await userEvent.clear(max);
    await userEvent.type(max, '0');
    await userEvent.click(
      screen.getByRole('button', { name: 'Save settings' }),
    );
    expect(api.updateSettings).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Max duration (minutes)')).toHaveAttribute(
      'aria-invalid',
      'true',
    );

    await userEvent.clear(max);
    await userEvent.type(max, '600');
    await userEvent.click(screen.getByLabelText(/Ticket required/));
    await userEvent.click(
      screen.getByRole('button', { name: 'Save settings' }),
    );
    await waitFor(() =>
      expect(api.updateSettings).toHaveBeenCalledWith(
        expect.objectContaining({
          maxDurationMinutes: 600,
          ticketRequired: false,
          ticketPattern: settings.ticketPattern,
          version: 0,
        }),
      ),
    );
    expect(
      await screen.findByText(/Last changed .* by frank/),
    ).toBeInTheDocument();
  });

  it('saves a ticket example only when it matches the ticket pattern', async () => {
    const api = adminApi({
      updateSettings: jest.fn(async input => ({
        ...settings,
        ...input,
        version: 1,
      })),
    });
    await renderWith(<Admin />, { api });
    await userEvent.click(await screen.findByRole('tab', { name: 'Settings' }));
    const example = screen.getByLabelText('Ticket example');
    await userEvent.type(example, 'ops-1');
    await userEvent.click(
      screen.getByRole('button', { name: 'Save settings' }),
    );
    expect(
      screen.getByText(
        'The example ops-1 does not match the ticket pattern; change the example or the pattern',
      ),
    ).toBeInTheDocument();
    expect(api.updateSettings).not.toHaveBeenCalled();
    await userEvent.clear(example);
    await userEvent.type(example, 'OPS-123');
    await userEvent.click(
      screen.getByRole('button', { name: 'Save settings' }),
    );
    await waitFor(() =>
      expect(api.updateSettings).toHaveBeenCalledWith(
        expect.objectContaining({ ticketExample: 'OPS-123' }),
      ),
    );
  });
});
