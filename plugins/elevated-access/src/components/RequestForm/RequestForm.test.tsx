import { ResponseError } from '@backstage/errors';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { eligibility, PS, request } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { RequestForm } from './RequestForm';

async function choose(label: RegExp, option: RegExp) {
  await userEvent.click(screen.getByLabelText(label));
  await userEvent.click(await screen.findByRole('option', { name: option }));
}

// a busy machine renders these forms slowly
jest.setTimeout(20_000);

describe('RequestForm', () => {
  it('offers only eligible accounts, grouped by OU, and only their permission sets', async () => {
    const api = mockApi({
      getEligibility: jest.fn().mockResolvedValue(eligibility),
    });
    await renderWith(<RequestForm />, { api });
    await userEvent.click(await screen.findByLabelText(/AWS account/));
    expect(screen.getByText('Workloads / Production')).toBeInTheDocument();
    expect(screen.getByText('Workloads / Development')).toBeInTheDocument();
    expect(screen.getAllByRole('option').map(o => o.textContent)).toEqual([
      'payments-dev (333333333333)',
      'payments-prod (111111111111)',
    ]);
    await userEvent.click(screen.getByRole('option', { name: /payments-dev/ }));
    await userEvent.click(screen.getByLabelText(/Permission set/));
    expect(screen.getAllByRole('option').map(o => o.textContent)).toEqual([
      'ReadOnlyAccess',
    ]);
  });

  it('shows the rules of the chosen pair: cap, approvers, ticket', async () => {
    const api = mockApi({
      getEligibility: jest.fn().mockResolvedValue(eligibility),
    });
    await renderWith(<RequestForm />, { api });
    await screen.findByLabelText(/AWS account/);
    await choose(/AWS account/, /payments-prod/);
    await choose(/Permission set/, /PowerUserAccess/);
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
    const api = mockApi({
      getEligibility: jest.fn().mockResolvedValue(eligibility),
    });
    await renderWith(<RequestForm />, { api });
    await screen.findByLabelText(/AWS account/);
    await choose(/AWS account/, /payments-prod/);
    await choose(/Permission set/, /PowerUserAccess/);
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
      getEligibility: jest.fn().mockResolvedValue(eligibility),
      createRequest: jest
        .fn()
        .mockRejectedValueOnce(
          await ResponseError.fromResponse(
            new Response(
              JSON.stringify({
                error: {
                  name: 'InputError',
                  message:
                    'Invalid input: ticketId: Ticket must match ^OPS-[0-9]+$',
                },
                response: { statusCode: 400 },
              }),
              {
                status: 400,
                statusText: 'Bad Request',
                headers: { 'content-type': 'application/json' },
              },
            ) as any,
          ),
        )
        .mockResolvedValueOnce(request()),
    });
    await renderWith(<RequestForm />, { api });
    await screen.findByLabelText(/AWS account/);
    await choose(/AWS account/, /payments-prod/);
    await choose(/Permission set/, /PowerUserAccess/);
    await userEvent.type(
      screen.getByLabelText('Justification'),
      'Fix the payments pipeline',
    );
    await userEvent.type(screen.getByLabelText('Ticket'), 'ABC-7');
    await userEvent.click(
      screen.getByRole('button', { name: 'Submit request' }),
    );
    expect(
      await screen.findByText('Ticket must match ^OPS-[0-9]+$'),
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

  it('tells, as the duration changes, which of two policies applies', async () => {
    const twoOptions = {
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
                  policyIds: ['quick'],
                  policyNames: ['Quick fixes'],
                },
                ...p.options,
              ],
            }
          : p,
      ),
    };
    const api = mockApi({
      getEligibility: jest.fn().mockResolvedValue(twoOptions),
    });
    await renderWith(<RequestForm />, { api });
    await screen.findByLabelText(/AWS account/);
    await choose(/AWS account/, /payments-prod/);
    await choose(/Permission set/, /PowerUserAccess/);
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
    const api = mockApi({
      getEligibility: jest
        .fn()
        .mockResolvedValue({ accounts: [], permissionSets: [], pairs: [] }),
    });
    await renderWith(<RequestForm />, { api });
    expect(
      await screen.findByText('Nothing you can request yet'),
    ).toBeInTheDocument();
  });

  it('shows a failure to load eligibility', async () => {
    const api = mockApi({
      getEligibility: jest
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
});
