import {
  mockApis,
  registerMswTestHooks,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { discoveryApiRef } from '@backstage/core-plugin-api';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { DemoSignInPage } from './DemoSignInPage';
import { PERSONA_STORAGE_KEY } from './personas';

const server = setupServer();
registerMswTestHooks(server);

const payload = btoa(JSON.stringify({ exp: Date.now() / 1000 + 3600 }));

const render = (onSignInSuccess: jest.Mock) =>
  renderInTestApp(
    <TestApiProvider apis={[[discoveryApiRef, mockApis.discovery()]]}>
      <DemoSignInPage onSignInSuccess={onSignInSuccess} />
    </TestApiProvider>,
  );

describe('DemoSignInPage', () => {
  beforeEach(() => window.localStorage.clear());

  it('offers every persona and signs in as the chosen one', async () => {
    const personasAsked: string[] = [];
    server.use(
      http.get('*/api/auth/demo/refresh', ({ request }) => {
        personasAsked.push(request.headers.get('x-demo-persona') ?? '');
        return HttpResponse.json({
          profile: { displayName: 'bob' },
          backstageIdentity: {
            token: `h.${payload}.s`,
            identity: {
              type: 'user',
              userEntityRef: 'user:default/bob',
              ownershipEntityRefs: [
                'user:default/bob',
                'group:default/platform-leads',
              ],
            },
          },
        });
      }),
    );
    const onSignInSuccess = jest.fn();
    await render(onSignInSuccess);
    for (const name of ['alice', 'erin', 'bob', 'carol', 'dave']) {
      expect(
        screen.getByRole('button', { name: `Sign in as ${name}` }),
      ).toBeInTheDocument();
    }
    fireEvent.click(screen.getByRole('button', { name: 'Sign in as bob' }));

    await waitFor(() => expect(onSignInSuccess).toHaveBeenCalled());
    expect(personasAsked).toEqual(['bob']);
    expect(window.localStorage.getItem(PERSONA_STORAGE_KEY)).toBe('bob');
    const identity = onSignInSuccess.mock.calls[0][0];
    expect(await identity.getBackstageIdentity()).toMatchObject({
      userEntityRef: 'user:default/bob',
      ownershipEntityRefs: ['user:default/bob', 'group:default/platform-leads'],
    });
  });

  it('shows why sign-in failed and lets the user choose again', async () => {
    window.localStorage.setItem(PERSONA_STORAGE_KEY, 'mallory');
    server.use(
      http.get('*/api/auth/demo/refresh', () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: "'mallory' is not a demo persona",
            },
          },
          { status: 403 },
        ),
      ),
    );
    await render(jest.fn());
    expect(
      await screen.findByText(/'mallory' is not a demo persona/),
    ).toBeInTheDocument();
    fireEvent.click(
      screen.getByRole('button', { name: 'Choose another persona' }),
    );
    expect(
      await screen.findByRole('button', { name: 'Sign in as alice' }),
    ).toBeInTheDocument();
    expect(window.localStorage.getItem(PERSONA_STORAGE_KEY)).toBeNull();
  });
});
