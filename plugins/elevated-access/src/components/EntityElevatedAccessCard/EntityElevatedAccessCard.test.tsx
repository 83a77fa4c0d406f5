import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { EntityAccessResponse } from '@elevated-access/backstage-plugin-elevated-access-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { eligibility, PS } from '../../__testUtils__/fixtures';
import { mockApi, renderWith } from '../../__testUtils__/render';
import { EntityElevatedAccessCard } from './EntityElevatedAccessCard';
import { isElevatedAccessAvailable } from './isElevatedAccessAvailable';

// the card counts down from the clock: it stands still in these tests
const NOW = '2026-11-20T10:00:00.000Z';
const at = (minutes: number) =>
  new Date(Date.parse(NOW) + minutes * 60_000).toISOString();

const service: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-service',
    namespace: 'default',
    annotations: { 'aws.amazon.com/account-id': '111111111111' },
  },
  spec: { type: 'service', owner: 'group:default/payments-team' },
};

const [paymentsProd] = eligibility.accounts;

const answer = (
  overrides: Partial<EntityAccessResponse> = {},
): EntityAccessResponse => ({
  entityRef: 'component:default/payments-service',
  accounts: [{ ...paymentsProd, sensitive: true }],
  unknownAccountIds: [],
  grants: [
    {
      accountId: paymentsProd.id,
      accountName: 'payments-prod',
      permissionSetName: 'PowerUserAccess',
      requesterRef: 'user:default/bob',
      status: 'active',
      startTime: at(-30),
      endTime: at(90),
      breakGlass: false,
    },
    {
      accountId: paymentsProd.id,
      accountName: 'payments-prod',
      permissionSetName: 'ReadOnlyAccess',
      requesterRef: 'user:default/carol',
      status: 'approved',
      startTime: at(120),
      endTime: at(180),
      breakGlass: true,
    },
  ],
  pairs: eligibility.pairs.filter(p => p.accountId === paymentsProd.id),
  permissionSets: eligibility.permissionSets,
  ...overrides,
});

const renderCard = (api: ReturnType<typeof mockApi>, entity = service) =>
  renderWith(
    <EntityProvider entity={entity}>
      <EntityElevatedAccessCard />
    </EntityProvider>,
    {
      api,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );

describe('EntityElevatedAccessCard', () => {
  beforeEach(() => {
    // only Date is frozen: the page's timers and promises run as usual
    jest.useFakeTimers({
      now: Date.parse(NOW),
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
  });
  afterEach(() => jest.useRealTimers());

  it("shows the entity's accounts, who holds access and what the caller can request", async () => {
    const api = mockApi({
      getEntityAccess: jest.fn().mockResolvedValue(answer()),
    });
    await renderCard(api);

    expect(
      await screen.findByRole('heading', { name: 'Elevated access' }),
    ).toBeInTheDocument();
    const account = await screen.findByTestId('entity-account');
    expect(
      within(account).getByText('payments-prod', { exact: false }),
    ).toBeInTheDocument();
    expect(within(account).getByText(/111111111111/)).toBeInTheDocument();
    expect(
      within(account).getByText('Workloads / Production'),
    ).toBeInTheDocument();
    expect(within(account).getByTestId('sensitive-chip')).toHaveTextContent(
      'Sensitive',
    );

    const [bob, carol] = screen.getAllByTestId('entity-grant');
    expect(within(bob).getByRole('link', { name: 'bob' })).toHaveAttribute(
      'href',
      '/catalog/default/user/bob',
    );
    expect(bob).toHaveTextContent('PowerUserAccess on payments-prod');
    expect(bob).toHaveTextContent(/until .+ \(ends in 1 h 30 min\)/);
    expect(within(bob).queryByTestId('break-glass-chip')).toBeNull();
    expect(carol).toHaveTextContent('ReadOnlyAccess on payments-prod');
    expect(carol).toHaveTextContent(/from .+ to .+ \(starts in 2 h\)/);
    expect(within(carol).getByTestId('break-glass-chip')).toBeInTheDocument();

    const pairs = screen.getAllByTestId('entity-pair');
    expect(pairs).toHaveLength(2);
    expect(pairs[0]).toHaveTextContent('PowerUserAccess on payments-prod');
    expect(pairs[0]).toHaveTextContent('Up to 4 h · needs approval');
    expect(pairs[1]).toHaveTextContent('ReadOnlyAccess on payments-prod');
    expect(pairs[1]).toHaveTextContent('Up to 8 h · no approval needed');
    expect(api.getEntityAccess).toHaveBeenCalledWith(
      'component:default/payments-service',
    );
  });

  it('links Request access to the form with the account, permission set and entity', async () => {
    const api = mockApi({
      getEntityAccess: jest.fn().mockResolvedValue(answer()),
    });
    await renderCard(api);
    // Backstage's LinkButton: a link that looks and reads as a button
    const link = await screen.findByRole('button', {
      name: 'Request access: PowerUserAccess on payments-prod',
    });
    const href = new URL(link.getAttribute('href')!, 'http://localhost');
    expect(href.pathname).toBe('/elevated-access/request');
    expect(Object.fromEntries(href.searchParams)).toEqual({
      accountId: '111111111111',
      permissionSetArn: PS.PowerUserAccess,
      entity: 'component:default/payments-service',
    });
  });

  it('says plainly when nobody holds access and the caller may request nothing', async () => {
    const api = mockApi({
      getEntityAccess: jest
        .fn()
        .mockResolvedValue(answer({ grants: [], pairs: [] })),
    });
    await renderCard(api);
    expect(await screen.findByTestId('no-grants')).toHaveTextContent(
      'Nobody holds elevated access to these accounts now',
    );
    expect(screen.getByTestId('no-pairs')).toHaveTextContent(
      'You are not eligible to request access to these accounts',
    );
    expect(screen.queryByRole('button', { name: /Request access/ })).toBeNull();
  });

  it('says so when the entity names no account the organisation has', async () => {
    const api = mockApi({
      getEntityAccess: jest.fn().mockResolvedValue(
        answer({
          accounts: [],
          unknownAccountIds: ['999999999999'],
          grants: [],
          pairs: [],
        }),
      ),
    });
    await renderCard(api);
    expect(await screen.findByTestId('no-accounts')).toHaveTextContent(
      'This component names no AWS account that Elevated Access knows.',
    );
    expect(
      screen.getByText('Not in the AWS organisation: 999999999999.'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Who has access now')).toBeNull();
  });

  it('shows a failed load with Retry, and loads again on Retry', async () => {
    const getEntityAccess = jest
      .fn()
      .mockRejectedValueOnce(
        Object.assign(new Error('The service is unavailable'), {
          statusCode: 503,
        }),
      )
      .mockResolvedValueOnce(answer());
    await renderCard(mockApi({ getEntityAccess }));
    const error = await screen.findByTestId('error-state');
    await userEvent.click(within(error).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(getEntityAccess).toHaveBeenCalledTimes(2));
    expect(await screen.findAllByTestId('entity-grant')).toHaveLength(2);
    expect(screen.queryByTestId('error-state')).toBeNull();
  });
});

describe('isElevatedAccessAvailable', () => {
  const entity = (e: Partial<Entity> & { kind: string }): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    metadata: { name: 'x' },
    ...e,
  });

  it('holds for an entity with either account id annotation', () => {
    expect(isElevatedAccessAvailable(service)).toBe(true);
    expect(
      isElevatedAccessAvailable(
        entity({
          kind: 'System',
          metadata: {
            name: 'payments',
            annotations: { 'amazonaws.com/account-id': '222222222222' },
          },
        }),
      ),
    ).toBe(true);
  });

  it("holds for an account's own Resource and for relations to resources", () => {
    expect(
      isElevatedAccessAvailable(
        entity({ kind: 'Resource', spec: { type: 'aws-account' } }),
      ),
    ).toBe(true);
    expect(
      isElevatedAccessAvailable(
        entity({
          kind: 'Component',
          relations: [
            { type: 'dependsOn', targetRef: 'resource:default/payments-prod' },
          ],
        }),
      ),
    ).toBe(true);
    expect(
      isElevatedAccessAvailable(
        entity({
          kind: 'System',
          relations: [
            { type: 'hasPart', targetRef: 'resource:default/payments-prod' },
          ],
        }),
      ),
    ).toBe(true);
  });

  it('does not hold without an account id, account type or resource relation', () => {
    expect(
      isElevatedAccessAvailable(
        entity({
          kind: 'Component',
          metadata: {
            name: 'web',
            annotations: { 'aws.amazon.com/account-id': 'not-an-id' },
          },
          relations: [
            { type: 'ownedBy', targetRef: 'group:default/payments-team' },
            { type: 'dependsOn', targetRef: 'component:default/api' },
            { type: 'partOf', targetRef: 'resource:default/payments-prod' },
          ],
        }),
      ),
    ).toBe(false);
    expect(
      isElevatedAccessAvailable(
        entity({ kind: 'Resource', spec: { type: 'database' } }),
      ),
    ).toBe(false);
  });
});
