import { fieldInputError } from '../../__testUtils__/errors';
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

/* Break-glass on the request form (issue 14 §4). */

jest.setTimeout(20_000);

// PowerUserAccess on payments-prod: approval as usual, or break-glass for 30 min
const withBreakGlass: EligibilityResponse = {
  ...eligibility,
  pairs: eligibility.pairs.map((p, i) =>
    i === 0
      ? {
          ...p,
          options: [
            ...p.options,
            {
              maxDurationMinutes: 30,
              approvalRequired: true,
              ticketRequired: true,
              breakGlass: true,
              policyIds: ['incident'],
              policyNames: ['Incident responders'],
            },
          ],
          otherApprovers: 2,
          breakGlass: {
            maxDurationMinutes: 30,
            policyNames: ['Incident responders'],
          },
        }
      : p,
  ),
};

const BREAK_GLASS = 'Break-glass: I need access now, without approval';

async function choose(label: RegExp, option: RegExp) {
  // the permission sets load once an account is chosen
  await waitFor(() => expect(screen.getByLabelText(label)).toBeEnabled());
  await userEvent.click(screen.getByLabelText(label));
  await userEvent.click(await screen.findByRole('option', { name: option }));
}

async function openForm(api: ReturnType<typeof mockApi>) {
  await renderWith(<RequestForm />, { api });
  await screen.findByLabelText(/AWS account/);
  await choose(/AWS account/, /payments-prod/);
}

describe('break-glass on the request form', () => {
  it('is offered only for a pair a policy allows it for, unchecked', async () => {
    const api = mockApi(eligibilityCalls(withBreakGlass));
    await openForm(api);
    await choose(/Permission set/, /ReadOnlyAccess/);
    expect(
      screen.queryByRole('checkbox', { name: BREAK_GLASS }),
    ).not.toBeInTheDocument();
    await choose(/Permission set/, /PowerUserAccess/);
    const box = screen.getByRole('checkbox', { name: BREAK_GLASS });
    expect(box).not.toBeChecked();
    expect(screen.queryByTestId('break-glass-warning')).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Submit request' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('radiogroup', { name: 'When access starts' }),
    ).toBeInTheDocument();
  });

  it('warns, starts now, needs a ticket, caps the duration and sends breakGlass: true', async () => {
    const api = mockApi({
      ...eligibilityCalls(withBreakGlass),
      createRequest: jest
        .fn()
        .mockResolvedValue(request({ breakGlass: true, status: 'approved' })),
    });
    await openForm(api);
    await choose(/Permission set/, /PowerUserAccess/);
    // a later start chosen first is dropped: break-glass starts now
    await userEvent.click(screen.getByRole('radio', { name: 'Start later' }));
    await userEvent.click(screen.getByRole('checkbox', { name: BREAK_GLASS }));

    const warning = screen.getByTestId('break-glass-warning');
    expect(warning).toHaveTextContent('Break-glass is for emergencies');
    expect(warning).toHaveTextContent('Access starts now, without approval');
    expect(warning).toHaveTextContent(
      'Every approver and the auditors are told at once',
    );
    expect(warning).toHaveTextContent('an approver reviews');
    expect(warning).toHaveTextContent('A ticket is required');
    expect(
      screen.queryByRole('radiogroup', { name: 'When access starts' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Start time')).not.toBeInTheDocument();
    expect(screen.getByTestId('break-glass-terms')).toHaveTextContent(
      'access starts now, without approval, for at most 30 min',
    );
    expect(screen.getByLabelText('Duration (minutes)')).toHaveValue(30);
    expect(screen.getByLabelText('Ticket')).toBeRequired();

    await userEvent.type(
      screen.getByLabelText('Justification'),
      'Payments are down',
    );
    const submit = screen.getByRole('button', {
      name: 'Get break-glass access now',
    });
    await userEvent.click(submit);
    expect(
      screen.getByText('A ticket is required for break-glass access'),
    ).toBeInTheDocument();
    expect(api.createRequest).not.toHaveBeenCalled();

    await userEvent.clear(screen.getByLabelText('Duration (minutes)'));
    await userEvent.type(screen.getByLabelText('Duration (minutes)'), '60');
    await userEvent.type(screen.getByLabelText('Ticket'), 'INC-9');
    await userEvent.click(submit);
    expect(
      screen.getAllByText(
        'Break-glass for PowerUserAccess on payments-prod can be requested for at most 30 min',
      ).length,
    ).toBeGreaterThan(0);
    expect(api.createRequest).not.toHaveBeenCalled();

    await userEvent.clear(screen.getByLabelText('Duration (minutes)'));
    await userEvent.type(screen.getByLabelText('Duration (minutes)'), '30');
    await userEvent.click(submit);
    await waitFor(() =>
      expect(api.createRequest).toHaveBeenCalledWith({
        accountId: '111111111111',
        permissionSetArn: PS.PowerUserAccess,
        durationMinutes: 30,
        justification: 'Payments are down',
        ticketId: 'INC-9',
        breakGlass: true,
      }),
    );
  });

  it('shows the server’s break-glass and start-time errors on their fields', async () => {
    const api = mockApi({
      ...eligibilityCalls(withBreakGlass),
      createRequest: jest
        .fn()
        .mockRejectedValueOnce(
          await fieldInputError({
            breakGlass:
              'No policy allows break-glass for PowerUserAccess on payments-prod, request it with approval instead',
          }),
        )
        .mockRejectedValueOnce(
          await fieldInputError({
            startTime:
              'Break-glass access starts now, leave the start time empty',
          }),
        ),
    });
    await openForm(api);
    await choose(/Permission set/, /PowerUserAccess/);
    await userEvent.click(screen.getByRole('checkbox', { name: BREAK_GLASS }));
    await userEvent.type(
      screen.getByLabelText('Justification'),
      'Payments are down',
    );
    await userEvent.type(screen.getByLabelText('Ticket'), 'INC-9');
    const submit = screen.getByRole('button', {
      name: 'Get break-glass access now',
    });
    await userEvent.click(submit);
    const box = screen.getByRole('checkbox', { name: BREAK_GLASS });
    await waitFor(() =>
      expect(box).toHaveAccessibleDescription(
        'No policy allows break-glass for PowerUserAccess on payments-prod, request it with approval instead',
      ),
    );
    await userEvent.click(submit);
    expect(
      await screen.findByText(
        'Break-glass access starts now, leave the start time empty',
      ),
    ).toBeInTheDocument();
  });
});
