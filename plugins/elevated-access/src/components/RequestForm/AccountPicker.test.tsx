import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EligibilityResponse } from '@elevated-access/backstage-plugin-elevated-access-common';
import { eligibility } from '../../__testUtils__/fixtures';
import {
  eligibilityCalls,
  mockApi,
  renderWith,
} from '../../__testUtils__/render';
import { RequestForm } from './RequestForm';

jest.setTimeout(20_000);

/** The fixture's eligibility plus `n` accounts in Data / Lake with ReadOnly. */
function withLakeAccounts(n: number): EligibilityResponse {
  const lake = Array.from({ length: n }, (_, i) => ({
    id: String(700000000000 + i),
    name: `lake-${String(i).padStart(3, '0')}`,
    ouPath: [
      { id: 'ou-data', name: 'Data' },
      { id: 'ou-lake', name: 'Lake' },
    ],
  }));
  const readOnly = eligibility.pairs.find(p => p.accountId === '333333333333')!;
  return {
    ...eligibility,
    accounts: [...eligibility.accounts, ...lake],
    pairs: [
      ...eligibility.pairs,
      ...lake.map(a => ({ ...readOnly, accountId: a.id })),
    ],
  };
}

const field = () => screen.getByLabelText(/AWS account/, { selector: 'input' });
const optionTexts = () =>
  screen.getAllByRole('option').map(o => o.textContent ?? '');

describe('the account picker', () => {
  it('searches the server as one types and shows what it found, in its order', async () => {
    const api = mockApi(eligibilityCalls(withLakeAccounts(3)));
    await renderWith(<RequestForm />, { api });
    await userEvent.type(await screen.findByLabelText(/AWS account/), 'Lake');
    await waitFor(() =>
      expect(optionTexts().map(t => t.replace(/\).*/, ')'))).toEqual([
        'lake-000 (700000000000)',
        'lake-001 (700000000001)',
        'lake-002 (700000000002)',
      ]),
    );
    // the last text typed is what was searched
    expect(api.searchEligibleAccounts).toHaveBeenLastCalledWith({
      q: 'Lake',
      limit: 50,
    });
    expect(optionTexts()[0]).toContain('Data / Lake · 1 permission set');
  });

  it('says when more accounts match than are shown', async () => {
    const api = mockApi(eligibilityCalls(withLakeAccounts(60)));
    await renderWith(<RequestForm />, { api });
    expect(
      await screen.findByText(
        'Showing the first 50 of 62 accounts: type to narrow',
      ),
    ).toBeInTheDocument();
    await userEvent.type(field(), 'lake-05');
    expect(
      await screen.findByText('Search by name, id or OU'),
    ).toBeInTheDocument();
  });

  it('says when nothing matches, and shows a failed search', async () => {
    const calls = eligibilityCalls(eligibility);
    const api = mockApi({
      ...calls,
      searchEligibleAccounts: jest.fn(async (query: { q?: string }) => {
        if (query.q === 'boom')
          throw new Error('The organisation is unavailable');
        return calls.searchEligibleAccounts(query);
      }),
    });
    await renderWith(<RequestForm />, { api });
    await userEvent.type(await screen.findByLabelText(/AWS account/), 'zzz');
    expect(
      await screen.findByText('No account you may request matches'),
    ).toBeInTheDocument();
    await userEvent.clear(field());
    await userEvent.type(field(), 'boom');
    expect(
      await screen.findByText(
        'Could not search the accounts: The organisation is unavailable',
      ),
    ).toBeInTheDocument();
  });

  it('shows that a search is under way', async () => {
    const calls = eligibilityCalls(eligibility);
    const api = mockApi({
      ...calls,
      searchEligibleAccounts: jest.fn((query: { q?: string }) =>
        query.q ? new Promise(() => {}) : calls.searchEligibleAccounts(query),
      ) as typeof calls.searchEligibleAccounts,
    });
    await renderWith(<RequestForm />, { api });
    await userEvent.type(await screen.findByLabelText(/AWS account/), 'pay');
    expect(await screen.findByText('Searching…')).toBeInTheDocument();
  });

  it('is used with the keyboard alone', async () => {
    const api = mockApi(eligibilityCalls(eligibility));
    await renderWith(<RequestForm />, { api });
    await screen.findByLabelText(/AWS account/);
    await userEvent.tab();
    expect(field()).toHaveFocus();
    await userEvent.keyboard('prod');
    await waitFor(() => expect(optionTexts()).toHaveLength(1));
    await userEvent.keyboard('{ArrowDown}{Enter}');
    expect(field()).toHaveValue('payments-prod (111111111111)');
    await waitFor(() =>
      expect(api.getEligibility).toHaveBeenCalledWith({
        accountId: '111111111111',
      }),
    );
  });
});
