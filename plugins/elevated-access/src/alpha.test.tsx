import { renderTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { eligibility, me, settings } from './__testUtils__/fixtures';
import { eligibilityCalls, mockApi } from './__testUtils__/render';
import { elevatedAccessApiRef } from './api/ElevatedAccessApi';
import elevatedAccessPlugin from './alpha';

describe('the new frontend system plugin (/alpha)', () => {
  it('mounts the Elevated access page at /elevated-access', async () => {
    const api = mockApi({
      me: jest
        .fn()
        .mockResolvedValue(me({ isApprover: true, pendingApprovals: 2 })),
      getSettings: jest.fn().mockResolvedValue(settings),
      ...eligibilityCalls(eligibility),
    });
    renderTestApp({
      features: [elevatedAccessPlugin],
      initialRouteEntries: ['/elevated-access/request'],
      apis: [[elevatedAccessApiRef, api]],
    });
    expect(
      await screen.findByRole('tab', { name: 'Approvals (2)' }),
    ).toBeInTheDocument();
    expect(await screen.findByLabelText(/AWS account/)).toBeInTheDocument();
    expect(api.searchEligibleAccounts).toHaveBeenCalled();
  });
});
