import { screen, waitFor } from '@testing-library/react';
import { me } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { ElevatedAccessSidebarItem } from './ElevatedAccessSidebarItem';

describe('ElevatedAccessSidebarItem', () => {
  it('shows how many requests wait for the approver, and leads to the inbox', async () => {
    const api = mockApi({
      me: jest
        .fn()
        .mockResolvedValue(me({ isApprover: true, pendingApprovals: 4 })),
    });
    await renderWith(<ElevatedAccessSidebarItem />, { api });
    expect(await screen.findByText('4')).toBeInTheDocument();
    const link = await screen.findByRole('link', {
      name: 'Elevated access, 4 requests wait for your approval',
    });
    expect(link).toHaveAttribute('href', '/elevated-access/approvals');
    // the name begins with the visible text; the bare count is not read out
    expect(screen.getByTestId('pending-approvals-badge')).toHaveAttribute(
      'aria-hidden',
      'true',
    );
  });

  it('leads a requester to the page, with no count', async () => {
    const api = mockApi({ me: jest.fn().mockResolvedValue(me()) });
    await renderWith(<ElevatedAccessSidebarItem />, { api });
    await waitFor(() => expect(api.me).toHaveBeenCalled());
    expect(
      screen.getByRole('link', { name: 'Elevated access' }),
    ).toHaveAttribute('href', '/elevated-access');
    expect(screen.getByText('0')).toHaveClass('MuiBadge-invisible');
    expect(screen.queryByLabelText(/wait for your approval/)).toBeNull();
  });
});
