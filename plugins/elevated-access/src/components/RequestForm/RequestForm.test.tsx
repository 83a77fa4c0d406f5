import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { DateTime } from 'luxon';
import userEvent from '@testing-library/user-event';
import { EligibilityResponse } from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  eligibility,
  PS,
  request,
  settings,
} from '../../__testUtils__/fixtures';
import {
  eligibilityCalls,
  mockApi,
  renderWith,
} from '../../__testUtils__/render';
import { fieldInputError } from '../../__testUtils__/errors';
import { RequestForm } from './RequestForm';

async function choose(label: RegExp, option: RegExp) {
  // the permission sets load once an account is chosen
  await waitFor(() => expect(screen.getByLabelText(label)).toBeEnabled());
  await userEvent.click(screen.getByLabelText(label));
  await userEvent.click(await screen.findByRole('option', { name: option }));
}

/** Renders the form on `api` and chooses the account, then the permission set. */
async function renderChoosing(
  api: ReturnType<typeof mockApi>,
  account: RegExp,
  permissionSet: RegExp,
) {
  await renderWith(<RequestForm />, { api });
  await screen.findByLabelText(/AWS account/);
  await choose(/AWS account/, account);
  await choose(/Permission set/, permissionSet);
}

// a busy machine renders these forms slowly
jest.setTimeout(20_000);

describe('RequestForm', () => {
  it("offers only eligible accounts with their id, OU path and count, and only the chosen account's permission sets", async () => {
    const api = mockApi(eligibilityCalls(eligibility));
    await renderWith(<RequestForm />, { api });
    await userEvent.click(await screen.findByLabelText(/AWS account/));
    expect(screen.getAllByRole('option').map(o => o.textContent)).toEqual([
      'payments-dev (333333333333)Workloads / Development · 1 permission set',
      'payments-prod (111111111111)Workloads / Production · 2 permission sets',
    ]);
    await userEvent.click(screen.getByRole('option', { name: /payments-dev/ }));
    expect(api.getEligibility).toHaveBeenCalledWith({
      accountId: '333333333333',
    });
    await waitFor(() =>
      expect(screen.getByLabelText(/Permission set/)).toBeEnabled(),
    );
    await userEvent.click(screen.getByLabelText(/Permission set/));
    expect(screen.getAllByRole('option').map(o => o.textContent)).toEqual([
      'ReadOnlyAccess',
    ]);
  });

  it('shows the rules of the chosen pair: cap, approvers, ticket', async () => {
    const api = mockApi(eligibilityCalls(eligibility));
    await renderChoosing(api, /payments-prod/, /PowerUserAccess/);
    const terms = screen.getByTestId('pair-terms');
    expect(terms).toHaveTextContent(
      'up to 4 h, approval needed, ticket required (by platform-leads)',
    );
    expect(terms).toHaveTextContent('Needs approval by platform-leads.');
    expect(terms).toHaveTextContent('A ticket is required.');
    // presets over the cap are not offered
    expect(
      screen.queryByRole('button', { name: '8 h' }),
    ).not.toBeInTheDocument();
  });

  it('shows validation errors from the shared schema and sends nothing', async () => {
    const api = mockApi(eligibilityCalls(eligibility));
    await renderChoosing(api, /payments-prod/, /PowerUserAccess/);
    await userEvent.clear(screen.getByLabelText('Duration (minutes)'));
    await userEvent.type(screen.getByLabelText('Duration (minutes)'), '300');
    await userEvent.type(screen.getByLabelText('Justification'), 'short');
    await userEvent.type(screen.getByLabelText('Ticket'), 'ops 1');
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    expect(
      screen.getAllByText(
        'PowerUserAccess on payments-prod can be requested for at most 4 h',
      ).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByText('Justification must be at least 10 characters'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Ticket may contain letters, digits/),
    ).toBeInTheDocument();
    expect(api.createRequest).not.toHaveBeenCalled();
  });

  it('sends the request and shows server errors by field', async () => {
    const api = mockApi({
      ...eligibilityCalls(eligibility),
      createRequest: jest
        .fn()
        .mockRejectedValueOnce(
          await fieldInputError({
            ticketId:
              '"ABC-7" is not a valid ticket id. Ticket ids look like OPS-123',
          }),
        )
        .mockResolvedValueOnce(request()),
    });
    await renderChoosing(api, /payments-prod/, /PowerUserAccess/);
    await userEvent.type(
      screen.getByLabelText('Justification'),
      'Fix the payments pipeline',
    );
    await userEvent.type(screen.getByLabelText('Ticket'), 'ABC-7');
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    expect(
      await screen.findByText(
        '"ABC-7" is not a valid ticket id. Ticket ids look like OPS-123',
      ),
    ).toBeInTheDocument();
    expect(api.createRequest).toHaveBeenCalledWith({
      accountId: '111111111111',
      permissionSetArn: PS.PowerUserAccess,
      durationMinutes: 60,
      justification: 'Fix the payments pipeline',
      ticketId: 'ABC-7',
    });
    await userEvent.clear(screen.getByLabelText('Ticket'));
    await userEvent.type(screen.getByLabelText('Ticket'), 'OPS-7');
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    await waitFor(() => expect(api.createRequest).toHaveBeenCalledTimes(2));
  });

  it('shows a server message with "; " inside whole on its field', async () => {
    const api = mockApi({
      ...eligibilityCalls(eligibility),
      // the server's clock is ahead of the browser's: the start has passed
      createRequest: jest.fn().mockRejectedValueOnce(
        await fieldInputError({
          startTime: 'Start time is in the past; leave it empty to start now',
        }),
      ),
    });
    await renderChoosing(api, /payments-dev/, /ReadOnlyAccess/);
    await userEvent.click(screen.getByRole('radio', { name: 'Start later' }));
    fireEvent.change(screen.getByLabelText('Start time'), {
      target: {
        value: DateTime.local()
          .plus({ days: 1 })
          .toFormat("yyyy-MM-dd'T'HH:mm"),
      },
    });
    await userEvent.type(
      screen.getByLabelText('Justification'),
      'Read the payments logs',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    await waitFor(() =>
      expect(screen.getByLabelText('Start time')).toHaveAccessibleDescription(
        'Start time is in the past; leave it empty to start now',
      ),
    );
    expect(screen.queryByText('leave it empty to start now')).toBeNull();
  });

  it('tells, as the duration changes, which of two policies applies', async () => {
    const twoOptions: EligibilityResponse = {
      ...eligibility,
      pairs: eligibility.pairs.map(p =>
        p.permissionSetArn === PS.PowerUserAccess
          ? {
              ...p,
              approvalRequired: false,
              ticketRequired: false,
              options: [
                {
                  maxDurationMinutes: 30,
                  approvalRequired: false,
                  ticketRequired: false,
                  breakGlass: false,
                  policyIds: ['quick'],
                  policyNames: ['Quick fixes'],
                },
                ...p.options,
              ],
            }
          : p,
      ),
    };
    const api = mockApi(eligibilityCalls(twoOptions));
    await renderChoosing(api, /payments-prod/, /PowerUserAccess/);
    const terms = screen.getByTestId('pair-terms');
    const duration = screen.getByLabelText('Duration (minutes)');
    await userEvent.clear(duration);
    await userEvent.type(duration, '20');
    expect(terms).toHaveTextContent(
      'up to 30 min, no approval, no ticket — applies to this request',
    );
    expect(terms).toHaveTextContent('No approval needed');
    await userEvent.clear(duration);
    await userEvent.type(duration, '120');
    expect(terms).toHaveTextContent(
      'up to 4 h, approval needed, ticket required (by platform-leads) — applies to this request',
    );
    expect(terms).toHaveTextContent('Needs approval by platform-leads.');
    expect(terms).toHaveTextContent('A ticket is required.');
    // and the check before sending is the server's: no ticket, over 30 min
    await userEvent.type(
      screen.getByLabelText('Justification'),
      'Fix the payments pipeline',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    expect(
      screen.getByText(
        'A ticket is required for PowerUserAccess on payments-prod for more than 30 min',
      ),
    ).toBeInTheDocument();
    expect(api.createRequest).not.toHaveBeenCalled();
  });

  it('explains when nothing can be requested', async () => {
    const api = mockApi(
      eligibilityCalls({ accounts: [], permissionSets: [], pairs: [] }),
    );
    await renderWith(<RequestForm />, { api });
    expect(
      await screen.findByText('Nothing you can request yet'),
    ).toBeInTheDocument();
  });

  it('shows a failure to load eligibility', async () => {
    const api = mockApi({
      searchEligibleAccounts: jest
        .fn()
        .mockRejectedValue(new Error('organisation unavailable')),
    });
    await renderWith(<RequestForm />, { api });
    expect(
      (await screen.findAllByText(/organisation unavailable/)).length,
    ).toBeGreaterThan(0);
    expect(
      within(document.body).queryByLabelText(/AWS account/),
    ).not.toBeInTheDocument();
  });

  it('warns right after choosing a pair that nobody could approve, and keeps Submit off', async () => {
    const nobody = {
      ...eligibility,
      pairs: eligibility.pairs.map(p =>
        p.permissionSetArn === PS.PowerUserAccess
          ? { ...p, approvers: [], minApprovals: 1 }
          : p,
      ),
    };
    const api = mockApi(eligibilityCalls(nobody));
    await renderChoosing(api, /payments-prod/, /PowerUserAccess/);
    expect(screen.getByTestId('no-approver')).toHaveTextContent(
      'Nobody can approve PowerUserAccess on payments-prod: no approver policy covers it',
    );
    const submit = screen.getByRole('button', { name: 'Submit request' });
    expect(submit).toBeDisabled();
    expect(submit).toHaveAccessibleDescription(
      'Submit is off: nobody could approve this request.',
    );
    // a pair without approval has no such problem
    await choose(/Permission set/, /ReadOnlyAccess/);
    expect(screen.queryByTestId('no-approver')).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Submit request' }),
    ).toBeEnabled();
  });

  it('warns when the only approver is the requester', async () => {
    const onlyMe = {
      ...eligibility,
      pairs: eligibility.pairs.map(p =>
        p.permissionSetArn === PS.PowerUserAccess
          ? { ...p, otherApprovers: 0 }
          : p,
      ),
    };
    const api = mockApi(eligibilityCalls(onlyMe));
    await renderChoosing(api, /payments-prod/, /PowerUserAccess/);
    expect(screen.getByTestId('no-approver')).toHaveTextContent(
      'Nobody but you could approve PowerUserAccess on payments-prod',
    );
  });

  it('flags a justification over the limit with its length, and never cuts it', async () => {
    const api = mockApi(eligibilityCalls(eligibility));
    await renderChoosing(api, /payments-dev/, /ReadOnlyAccess/);
    const field = screen.getByLabelText('Justification');
    await userEvent.click(field);
    await userEvent.paste('x'.repeat(1900));
    expect(screen.getByText('1,900 of 2,000 characters')).toBeInTheDocument();
    await userEvent.paste('y'.repeat(1040));
    expect(field).toHaveValue(`${'x'.repeat(1900)}${'y'.repeat(1040)}`);
    expect(
      screen.getByText('Justification is 2,940 characters; the limit is 2,000'),
    ).toBeInTheDocument();
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(
      screen.getByRole('button', { name: 'Submit request' }),
    ).toBeDisabled();
    expect(api.createRequest).not.toHaveBeenCalled();
  });

  it('helps with the ticket by the example, and links only a valid ticket', async () => {
    const api = mockApi(eligibilityCalls(eligibility));
    await renderWith(<RequestForm />, {
      api,
      settings: { ...settings, ticketExample: 'OPS-123' },
    });
    await screen.findByLabelText(/AWS account/);
    expect(screen.getByText('For example OPS-123')).toBeInTheDocument();
    expect(screen.queryByText(/\^\[A-Z\]/)).not.toBeInTheDocument();
    const ticket = screen.getByLabelText('Ticket');
    await userEvent.type(ticket, 'ops 12');
    expect(screen.queryByTestId('open-ticket')).not.toBeInTheDocument();
    await userEvent.clear(ticket);
    await userEvent.type(ticket, 'OPS-12');
    expect(screen.getByTestId('open-ticket')).toHaveTextContent(
      'Open ticket OPS-12',
    );
    expect(screen.getByTestId('open-ticket')).toHaveAttribute(
      'href',
      'https://tickets.example.com/browse/OPS-12',
    );
  });

  it('without an example, asks for a ticket in words, never by the pattern', async () => {
    const api = mockApi(eligibilityCalls(eligibility));
    await renderWith(<RequestForm />, { api });
    await screen.findByLabelText(/AWS account/);
    expect(
      screen.getByText(
        'The id of your change or incident ticket, as your ticket system shows it',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Format:/)).not.toBeInTheDocument();
  });

  it('opens the request page saying it was just submitted, with the way back', async () => {
    const api = mockApi({
      ...eligibilityCalls(eligibility),
      createRequest: jest.fn().mockResolvedValue(request()),
    });
    const { Route, Routes, useLocation } =
      jest.requireActual('react-router-dom');
    const Landed = () => {
      const location = useLocation();
      return <pre data-testid="landed">{JSON.stringify(location.state)}</pre>;
    };
    await renderWith(
      <Routes>
        <Route path="/elevated-access/request" element={<RequestForm />} />
        <Route path="/elevated-access/requests/:id" element={<Landed />} />
      </Routes>,
      { api, routeEntries: ['/elevated-access/request'] },
    );
    await screen.findByLabelText(/AWS account/);
    await choose(/AWS account/, /payments-dev/);
    await choose(/Permission set/, /ReadOnlyAccess/);
    await userEvent.type(
      screen.getByLabelText('Justification'),
      'Look at the payments logs',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    const state = JSON.parse(
      (await screen.findByTestId('landed')).textContent!,
    );
    expect(state).toEqual({
      submitted: true,
      from: { path: '/elevated-access/request', label: 'Request access' },
    });
  });
});
