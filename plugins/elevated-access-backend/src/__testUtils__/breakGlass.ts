import { Knex } from 'knex';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { ActivitySource } from '@elevated-access/backstage-plugin-elevated-access-node';
import { fakeDateOnly } from './fakeDate';
import { ACCOUNT, eligibilityPolicy, groupRef, PS } from './fixtures';
import { seedDemoPolicies } from './scenarios';
import { ElevatedAccessTestBackend, startElevatedAccess } from './testBackend';

/*
 * Set-up shared by the break-glass tests (issue 14 §4): the clock at T0, the
 * demo policies and a policy that allows break-glass on the Workloads OU.
 */

const MINUTE = 60_000;
export const T0 = new Date('2026-11-21T09:00:00.000Z');
export const at = (minutes: number) =>
  new Date(T0.getTime() + minutes * MINUTE);

export const BREAK_GLASS_POLICY = eligibilityPolicy({
  name: 'Developers break-glass power-use workloads',
  principals: [groupRef('developers'), groupRef('platform-leads')],
  breakGlass: true,
});

/** alice's break-glass request for PowerUserAccess on payments-prod. */
export const breakGlass = {
  accountId: ACCOUNT['payments-prod'],
  permissionSetArn: PS.PowerUserAccess,
  durationMinutes: 60,
  justification: 'Payments are failing in production',
  ticketId: 'INC-7',
  breakGlass: true,
};

/** Collects nothing: activity completes once padding and settle have passed. */
const quietActivity: ActivitySource = {
  id: 'quiet',
  // eslint-disable-next-line require-yield
  async *collect() {
    return;
  },
};

export const recipientsOf = (o: NotificationSendOptions) =>
  [(o.recipients as { entityRef: string | string[] }).entityRef].flat();

/** Filled in by setUpBreakGlassBackend's beforeEach. */
export interface BreakGlassBackend {
  api: ElevatedAccessTestBackend;
  /** The notifications sent so far. */
  sent(): NotificationSendOptions[];
  /** A break-glass request by alice whose access ended and activity is complete. */
  reviewable(body?: object): Promise<any>;
}

/** Starts a backend for each test of the enclosing describe (call inside it). */
export function setUpBreakGlassBackend(
  init: () => Promise<Knex>,
): BreakGlassBackend {
  const backend: BreakGlassBackend = {
    api: undefined as unknown as ElevatedAccessTestBackend,
    sent: () => backend.api.notifications.send.mock.calls.map(([o]) => o),
    reviewable: async (body: object = breakGlass) => {
      const { api } = backend;
      const created = await api.post('alice', '/requests', body);
      expect(created.status).toBe(201);
      await api.runLifecycle();
      jest.setSystemTime(at(61));
      await api.runLifecycle();
      jest.setSystemTime(at(72));
      await api.runTask('activity');
      const detail = (await api.get('alice', `/requests/${created.body.id}`))
        .body;
      expect(detail).toMatchObject({ status: 'ended', activityComplete: true });
      return detail;
    },
  };

  beforeEach(async () => {
    fakeDateOnly(T0);
    backend.api = await startElevatedAccess({
      knex: await init(),
      activitySource: quietActivity,
      config: { aws: { activity: { paddingMinutes: 5, settleMinutes: 5 } } },
    });
    await seedDemoPolicies(backend.api);
    const policy = await backend.api.post(
      'dave',
      '/policies/eligibility',
      BREAK_GLASS_POLICY,
    );
    if (policy.status !== 201) {
      throw new Error(`No break-glass policy: ${JSON.stringify(policy.body)}`);
    }
  });
  afterEach(async () => {
    jest.useRealTimers();
    await backend.api.stop();
  });
  return backend;
}
