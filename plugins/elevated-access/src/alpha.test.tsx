import { Entity } from '@backstage/catalog-model';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { screen } from '@testing-library/react';
import { eligibility, me, settings } from './__testUtils__/fixtures';
import { eligibilityCalls, mockApi } from './__testUtils__/render';
import { elevatedAccessApiRef } from './api/ElevatedAccessApi';
import elevatedAccessPlugin, { elevatedAccessEntityCard } from './alpha';

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

  it('has the Elevated access entity card for components, systems and resources about accounts', () => {
    const card = elevatedAccessPlugin.getExtension(
      'entity-card:elevated-access',
    );
    expect(card).toBeDefined();
    const filter = createExtensionTester(elevatedAccessEntityCard).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    )!;
    const entity = (kind: string, e: Partial<Entity> = {}): Entity => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: {
        name: 'x',
        annotations: { 'aws.amazon.com/account-id': '111111111111' },
      },
      ...e,
    });
    expect(filter(entity('Component'))).toBe(true);
    expect(filter(entity('System'))).toBe(true);
    expect(filter(entity('Resource'))).toBe(true);
    // other kinds, and entities not about an account, have no card
    expect(filter(entity('Group'))).toBe(false);
    expect(filter(entity('API'))).toBe(false);
    expect(filter(entity('Component', { metadata: { name: 'web' } }))).toBe(
      false,
    );
  });
});
