import { AuditorServiceCreateEventOptions } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import {
  AccessAssignment,
  AccessOperationResult,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import { InMemoryAccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node/testUtils';
import { Knex } from 'knex';
import { describeEachDatabase } from '../__testUtils__/databases';
import { catalogEntities, demoTargets } from '../__testUtils__/fixtures';
import { createTestElevatedAccess } from '../__testUtils__/instance';
import { approvedReadOnly } from '../__testUtils__/storeTests';
import { DatabaseRequestStore } from '../database/RequestStore';

/*
 * No access outlives its request, whatever fails. Deterministic: the test
 * holds the reconciler inside its AWS read with a barrier (no sleeps) and
 * moves a fake clock.
 */

const MINUTE = 60_000;

/** The in-memory provider, with reads that can be held at a barrier and removals that can fail. */
class ControlledProvider extends InMemoryAccessProvider {
  private heldRead?: {
    reached: () => void;
    release: Promise<boolean | undefined>;
  };
  failRevokes = 0;

  /**
   * The next read stops until `release` resolves, then answers what it
   * resolves to (a stale view) or, for undefined, the real state.
   */
  holdNextRead(): {
    reached: Promise<void>;
    release: (answer?: boolean) => void;
  } {
    let reached!: () => void;
    let release!: (answer?: boolean) => void;
    const reachedPromise = new Promise<void>(r => {
      reached = r;
    });
    this.heldRead = {
      reached,
      release: new Promise(r => {
        release = r;
      }),
    };
    return { reached: reachedPromise, release };
  }

  async hasAssignment(assignment: AccessAssignment): Promise<boolean> {
    const held = this.heldRead;
    if (held) {
      this.heldRead = undefined;
      held.reached();
      const answer = await held.release;
      if (answer !== undefined) return answer;
    }
    return super.hasAssignment(assignment);
  }

  async revoke(assignment: AccessAssignment): Promise<AccessOperationResult> {
    if (this.failRevokes > 0) {
      this.failRevokes--;
      this.calls.push({ op: 'revoke', assignment });
      return { status: 'failed', reason: 'ConflictException: try later' };
    }
    return super.revoke(assignment);
  }
}

async function setUp(knex: Knex) {
  let now = new Date('2026-11-28T10:00:00Z').getTime();
  const clock = { now: () => new Date(now) };
  const provider = new ControlledProvider(demoTargets());
  const audited: AuditorServiceCreateEventOptions[] = [];
  const sent: NotificationSendOptions[] = [];
  const notifications: NotificationService = {
    async send(options) {
      sent.push(options);
    },
  };
  const app = await createTestElevatedAccess({
    knex,
    elevatedAccess: { roles: { admins: ['group:default/access-admins'] } },
    entities: catalogEntities(),
    logger: mockServices.logger.mock(),
    auditor: {
      async createEvent(options) {
        audited.push(options);
        return { success: async () => {}, fail: async () => {} };
      },
    },
    notifications,
    accessProvider: provider,
    clock,
    instanceId: 'replica-a',
    lockWaitMs: 0,
  });
  const store = DatabaseRequestStore.create({ knex });
  const approved = (start: number, minutes: number) =>
    approvedReadOnly('payments-dev', start, minutes, {
      justification: 'Reliability test',
    });
  const request = await store.create(approved(now, 30));
  await app.lifecycle.run();
  expect(await store.get(request.id)).toMatchObject({ status: 'active' });
  expect(provider.assignments.size).toBe(1);
  return {
    app,
    store,
    provider,
    request,
    approved,
    audited,
    sent,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describeEachDatabase('reliable provisioning', init => {
  let knex: Knex;
  beforeEach(async () => {
    knex = await init();
  });

  it('a reconciler read that overlaps the end never re-creates the assignment', async () => {
    const { app, store, provider, request, advance } = await setUp(knex);

    // shortly before the end, the reconciler reaches its AWS read and stays
    // there (a throttled read, retried for a while)
    advance(30 * MINUTE - 10_000);
    const read = provider.holdNextRead();
    const reconciling = app.reconcile.run();
    await read.reached;

    // meanwhile the window ends on the same replica: the revocation may not
    // act while the reconciler holds the assignment's lock
    advance(15_000);
    await app.lifecycle.run();
    expect(await store.get(request.id)).toMatchObject({ status: 'revoking' });
    expect(provider.assignments.size).toBe(1);

    // the reconciler's (stale) read says the assignment is missing: it must
    // see that the request is no longer active and leave it alone
    read.release(false);
    await reconciling;
    expect(provider.calls.map(c => c.op)).toEqual(['grant']);

    // the revocation, retried, removes it; nothing brings it back
    advance(2_000);
    await app.lifecycle.run();
    await app.reconcile.run();
    expect(await store.get(request.id)).toMatchObject({ status: 'ended' });
    expect(provider.calls.map(c => c.op)).toEqual(['grant', 'revoke']);
    expect(provider.assignments.size).toBe(0);
    const events = await store.events(request.id);
    expect(events.map(e => e.message)).not.toContainEqual(
      expect.stringMatching(/Drift repaired/),
    );
  });

  it('the orphan sweep finds an assignment the plugin made after its request ended', async () => {
    const { app, store, provider, request, approved, advance, audited } =
      await setUp(knex);
    advance(31 * MINUTE);
    await app.lifecycle.run();
    expect(await store.get(request.id)).toMatchObject({ status: 'ended' });
    // a create that landed after the removal (e.g. a call that outlived its
    // lock): the ledger still knows the plugin made this assignment
    const assignment = provider.calls[0].assignment;
    await provider.grant(assignment);
    await knex('assignments').update({ present: true });

    await app.reconcile.run();
    expect(provider.assignments.size).toBe(0);
    expect(audited.map(e => e.eventId)).toContain('orphan-removed');

    // and a later request of the same user is not told it "already existed"
    const again = await store.create(
      approved(Date.parse(request.endTime) + MINUTE, 39),
    );
    await provider.grant(assignment); // standing in AWS when the grant starts
    advance(5 * MINUTE);
    await app.lifecycle.run();
    const events = await store.events(again.id);
    expect(events.at(-1)).toMatchObject({ toStatus: 'active' });
    expect(events.at(-1)?.message).not.toMatch(/already existed/);
  });

  it('a removal the target refuses is retried until it succeeds, and admins are alerted once', async () => {
    const { app, store, provider, request, advance, audited, sent } =
      await setUp(knex);
    provider.failRevokes = 4;
    advance(31 * MINUTE);

    await app.lifecycle.run();
    let current = await store.get(request.id);
    // not a quiet `error`: still being removed, and saying so
    expect(current).toMatchObject({
      status: 'revoking',
      errorReason: expect.stringMatching(/ConflictException/),
    });
    expect(provider.assignments.size).toBe(1);

    for (let attempt = 2; attempt <= 5; attempt++) {
      advance(6 * MINUTE); // past any backoff
      await app.lifecycle.run();
    }
    current = await store.get(request.id);
    expect(current).toMatchObject({ status: 'ended', errorReason: undefined });
    expect(provider.assignments.size).toBe(0);
    expect(provider.calls.filter(c => c.op === 'revoke')).toHaveLength(5);

    const events = await store.events(request.id);
    expect(
      events.filter(e => e.action === ('revoke-retry' as string)),
    ).toHaveLength(4);
    expect(events.some(e => e.toStatus === 'error')).toBe(false);

    // alerted once, after the third failure: a notification to the admins
    // and an auditor event
    const alerts = sent.filter(n =>
      n.payload.title.startsWith('Access still present'),
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0].recipients).toEqual({
      type: 'entity',
      entityRef: ['group:default/access-admins'],
    });
    expect(audited.filter(e => e.eventId === 'revoke-stuck')).toEqual([
      expect.objectContaining({
        severityLevel: 'high',
        meta: expect.objectContaining({ requestId: request.id, attempts: 3 }),
      }),
    ]);
  });

  it('a drift repair is logged, noted and audited', async () => {
    const { app, store, provider, request, audited } = await setUp(knex);
    provider.assignments.clear(); // deleted by hand in the console
    await app.reconcile.run();
    expect(provider.assignments.size).toBe(1);
    const events = await store.events(request.id);
    expect(events.at(-1)?.message).toMatch(/Drift repaired/);
    expect(audited).toContainEqual(
      expect.objectContaining({
        eventId: 'drift-repair',
        meta: expect.objectContaining({ requestId: request.id }),
      }),
    );
  });

  it('a replica that shuts down stops before its next AWS write and gives its claims back', async () => {
    const { app, provider, request } = await setUp(knex);
    provider.assignments.clear(); // drift the reconciler would repair
    const read = provider.holdNextRead();
    const running = app.reconcile.run();
    await read.reached;
    const stopping = app.shutdown(5_000);
    read.release();
    await stopping;
    await running;
    // no repair was started after the stop
    expect(provider.calls.map(c => c.op)).toEqual(['grant']);
    const row = await knex('requests').where({ id: request.id }).first();
    expect(row).toMatchObject({ status: 'active', claimed_by: null });
    const locked = await knex('assignments')
      .whereNotNull('locked_by')
      .select('locked_by');
    expect(locked).toEqual([]);
  });
});
