import { waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

/**
 * Sends the open Extend dialog with its preset, 30 min (checked to have the
 * focus first), and this justification.
 */
export async function extendByPreset(
  dialog: HTMLElement,
  justification: string,
) {
  await waitFor(() =>
    expect(within(dialog).getByRole('radio', { name: '30 min' })).toHaveFocus(),
  );
  await userEvent.type(
    within(dialog).getByRole('textbox', { name: 'Justification' }),
    justification,
  );
  await userEvent.click(within(dialog).getByRole('button', { name: 'Extend' }));
}
