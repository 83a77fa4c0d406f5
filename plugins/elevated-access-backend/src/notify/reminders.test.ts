import { fakeDateOnly } from '../__testUtils__/fakeDate';
import { powerUserRequest, setUpDemoBackend } from '../__testUtils__/scenarios';

jest.setTimeout(60_000);

describe('reminders and decision notices', () => {
  // declared first, so real timers are back before the backend stops
  afterEach(() => jest.useRealTimers());
  const backend = setUpDemoBackend();

  const titles = () =>
    backend.api.notifications.send.mock.calls.map(([o]) => o.payload.title);

  it('sends no "Expires soon" for a short request made inside the reminder window', async () => {
    fakeDateOnly(new Date('2026-11-21T09:00:00Z'));
    const created = await backend.api.post('alice', '/requests', {
      ...powerUserRequest,
      durationMinutes: 15,
    });
    expect(created.status).toBe(201);
    expect(created.body.expiresAt).toBe('2026-11-21T09:15:00.000Z');
    for (const minute of [1, 5, 14]) {
      jest.setSystemTime(
        new Date(`2026-11-21T09:${`0${minute}`.slice(-2)}:00Z`),
      );
      await backend.api.runLifecycle();
    }
    expect(titles().filter(t => t.startsWith('Expires soon'))).toEqual([]);
  });

  it("replaces the decider's own approval request with the decision, in words", async () => {
    fakeDateOnly(new Date('2026-11-21T09:00:00Z'));
    const created = await backend.api.post(
      'alice',
      '/requests',
      powerUserRequest,
    );
    backend.api.notifications.send.mockClear();
    const approved = await backend.api.post(
      'bob',
      `/requests/${created.body.id}/approve`,
      {},
    );
    expect([approved.status, approved.body.error?.message]).toEqual([
      200,
      undefined,
    ]);
    const toApprovers = backend.api.notifications.send.mock.calls
      .map(([o]) => o)
      .find(o => o.payload.scope === `request:${created.body.id}:approval`);
    expect(toApprovers?.recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/platform-leads'],
      excludeEntityRef: ['user:default/alice'],
    });
    expect(toApprovers?.payload.description).toMatch(
      /^Decided: bob approved 1 h of PowerUserAccess/,
    );
    for (const [o] of backend.api.notifications.send.mock.calls) {
      expect(o.payload.description).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    }
  });
});
