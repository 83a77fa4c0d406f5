import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EligibilityResponse } from '@elevated-access/backstage-plugin-elevated-access-common';
import { eligibility, PS, request } from '../../__testUtils__/fixtures';
import {
  eligibilityCalls,
  mockApi,
  renderWith,
} from '../../__testUtils__/render';
import { RequestForm } from './RequestForm';

// a busy machine renders these forms slowly
jest.setTimeout(20_000);

/** The form opened from a link such as the entity card's. */
const formAt = (api: ReturnType<typeof mockApi>, query: object) =>
  renderWith(<RequestForm />, {
    api,
    routeEntries: [
      `/elevated-access/request?${new URLSearchParams(
        query as Record<string, string>,
      )}`,
    ],
  });

describe('RequestForm opened from a link', () => {
  it('chooses the linked account and permission set and names the entity in the justification', async () => {
    const api = mockApi({
      ...eligibilityCalls(eligibility),
      createRequest: jest.fn().mockResolvedValue(request()),
    });
    await formAt(api, {
      accountId: '111111111111',
      permissionSetArn: PS.ReadOnlyAccess,
      entity: 'component:default/payments-service',
    });
    expect(await screen.findByLabelText(/AWS account/)).toHaveValue(
      'payments-prod (111111111111)',
    );
    expect(screen.getByLabelText(/Permission set/)).toHaveValue(
      'ReadOnlyAccess',
    );
    expect(screen.getByTestId('pair-terms')).toHaveTextContent(
      'No approval needed',
    );
    const justification = screen.getByLabelText('Justification');
    expect(justification).toHaveValue(
      'For component:default/payments-service: ',
    );
    // the account's pairs are loaded once, as picking it would load them
    expect(api.getEligibility).toHaveBeenCalledTimes(1);
    expect(api.getEligibility).toHaveBeenCalledWith({
      accountId: '111111111111',
    });
    expect(screen.queryByTestId('link-problem')).toBeNull();

    await userEvent.type(justification, 'read the failed payouts');
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    await waitFor(() =>
      expect(api.createRequest).toHaveBeenCalledWith({
        accountId: '111111111111',
        permissionSetArn: PS.ReadOnlyAccess,
        durationMinutes: 60,
        justification:
          'For component:default/payments-service: read the failed payouts',
      }),
    );
  });

  it('says so when the linked account is not one the caller may request, and chooses nothing', async () => {
    const api = mockApi(eligibilityCalls(eligibility));
    await formAt(api, {
      accountId: '999999999999',
      permissionSetArn: PS.ReadOnlyAccess,
      entity: 'component:default/payments-service',
    });
    expect(await screen.findByTestId('link-problem')).toHaveTextContent(
      'You cannot request access to account 999999999999: no eligibility policy gives it to you.',
    );
    expect(screen.getByLabelText(/AWS account/)).toHaveValue('');
    expect(screen.getByLabelText(/Permission set/)).toBeDisabled();
    expect(screen.getByLabelText(/Permission set/)).toHaveValue('');
  });

  it('chooses the account but not a permission set the caller may not request on it', async () => {
    const api = mockApi(eligibilityCalls(eligibility));
    await formAt(api, {
      accountId: '333333333333',
      permissionSetArn: PS.PowerUserAccess,
    });
    expect(await screen.findByLabelText(/AWS account/)).toHaveValue(
      'payments-dev (333333333333)',
    );
    expect(screen.getByLabelText(/Permission set/)).toHaveValue('');
    expect(screen.getByTestId('link-problem')).toHaveTextContent(
      'The permission set in the link is not one you may request on payments-dev.',
    );
    expect(screen.getByLabelText('Justification')).toHaveValue('');
  });

  it('leaves the justification empty when the entity in the link is no entity ref', async () => {
    const api = mockApi(eligibilityCalls(eligibility));
    await formAt(api, { entity: 'payments service' });
    expect(await screen.findByLabelText('Justification')).toHaveValue('');
    expect(api.getEligibility).not.toHaveBeenCalled();
  });
});

describe('RequestForm for a sensitive account', () => {
  const withSensitiveProd: EligibilityResponse = {
    ...eligibility,
    accounts: eligibility.accounts.map(a =>
      a.name === 'payments-prod' ? { ...a, sensitive: true } : a,
    ),
  };

  async function choose(label: RegExp, option: RegExp) {
    await waitFor(() => expect(screen.getByLabelText(label)).toBeEnabled());
    await userEvent.click(screen.getByLabelText(label));
    await userEvent.click(await screen.findByRole('option', { name: option }));
  }

  it('warns above Submit only while the chosen account is sensitive', async () => {
    const api = mockApi(eligibilityCalls(withSensitiveProd));
    await renderWith(<RequestForm />, { api });
    await screen.findByLabelText(/AWS account/);
    expect(screen.queryByTestId('sensitive-warning')).toBeNull();

    await choose(/AWS account/, /payments-prod/);
    expect(await screen.findByTestId('sensitive-warning')).toHaveTextContent(
      'payments-prod is marked sensitive: requests for it may need more approvals than usual.',
    );

    await userEvent.clear(screen.getByLabelText(/AWS account/));
    await choose(/AWS account/, /payments-dev/);
    await waitFor(() =>
      expect(screen.getByLabelText(/AWS account/)).toHaveValue(
        'payments-dev (333333333333)',
      ),
    );
    expect(screen.queryByTestId('sensitive-warning')).toBeNull();
  });

  it('warns for a sensitive account chosen from a link', async () => {
    const api = mockApi(eligibilityCalls(withSensitiveProd));
    await formAt(api, { accountId: '111111111111' });
    expect(await screen.findByTestId('sensitive-warning')).toHaveTextContent(
      'payments-prod is marked sensitive',
    );
  });
});
