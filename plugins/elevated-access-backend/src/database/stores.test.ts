import { ConflictError, InputError } from '@backstage/errors';
import {
  AuthorizeResult,
  ConditionalPolicyDecision,
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  createConditionTransformer,
} from '@backstage/plugin-permission-node';
import {
  ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE,
  REQUEST_STATUSES,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  elevatedAccessRequestRules,
  ElevatedAccessRequestQuery,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import fc from 'fast-check';
import { Knex } from 'knex';
import { describeEachDatabase } from '../__testUtils__/databases';
import {
  ACCOUNT,
  DEMO_APPROVERS,
  DEMO_ELIGIBILITY,
  PS,
} from '../__testUtils__/fixtures';
import { ActivityStore } from './ActivityStore';
import { EventLog } from './EventLog';
import { applyMigrations } from './migrations';
import { PolicyStore } from './PolicyStore';
import {
  DatabaseRequestStore,
  NewRequest,
  RequestFilter,
  RequestStore,
  toResource,
} from './RequestStore';
import { accessOver } from '../domain/requestRules';
import { SettingsStore } from './SettingsStore';
import { BUILT_IN_SETTINGS } from '../config';
import { clearDatabase } from '../__testUtils__/snapshot';

jest.setTimeout(120_000);

const T0 = new Date('2026-11-21T09:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

function newRequest(overrides: Partial<NewRequest> = {}): NewRequest {
  return {
    requesterRef: 'user:default/alice',
    accountId: ACCOUNT['payments-prod'],
    accountName: 'payments-prod',
    permissionSetArn: PS.PowerUserAccess,
    permissionSetName: 'PowerUserAccess',
    status: 'pending',
    startTime: T0,
    endTime: minutes(60),
    durationMinutes: 60,
    justification: 'Fix the broken deployment pipeline',
    ticketId: 'OPS-1',
    approvalRequired: true,
    minApprovals: 1,
    approverRefs: ['group:default/platform-leads'],
    policyIds: ['p1'],
    expiresAt: minutes(24 * 60),
    createdAt: T0,
    ...overrides,
  };
}

describeEachDatabase('stores', init => {
  let knex: Knex;
  let requests: RequestStore;

  beforeAll(async () => {
    knex = await init();
    await applyMigrations(knex);
    requests = DatabaseRequestStore.create({ knex });
  });

  beforeEach(() => clearDatabase(knex));

  it('stores a request with its approvers and a creation event', async () => {
    const created = await requests.create(newRequest());
    expect(created).toMatchObject({
      requesterRef: 'user:default/alice',
      status: 'pending',
      startTime: T0.toISOString(),
      endTime: minutes(60).toISOString(),
      approvalRequired: true,
      approverRefs: ['group:default/platform-leads'],
      policyIds: ['p1'],
      activityComplete: false,
      version: 1,
    });
    const events = await requests.events(created.id);
    expect(events).toEqual([
      expect.objectContaining({
        action: 'create',
        toStatus: 'pending',
        actorRef: 'user:default/alice',
      }),
    ]);
  });

  it('lists newest first with filters and complete, disjoint cursor pages', async () => {
    const made: string[] = [];
    for (let i = 0; i < 23; i++) {
      const r = await requests.create(
        newRequest({
          createdAt: minutes(i),
          requesterRef: i % 2 ? 'user:default/alice' : 'user:default/erin',
          accountId: i % 3 ? ACCOUNT['payments-prod'] : ACCOUNT['data-prod'],
          approverRefs:
            i % 4
              ? ['group:default/platform-leads']
              : ['group:default/security-leads'],
        }),
      );
      made.push(r.id);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await requests.list({ limit: 5, cursor });
      seen.push(...page.items.map(r => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());

    const alice = await requests.list({
      limit: 100,
      requesterRefs: ['user:default/alice'],
    });
    expect(alice.items).toHaveLength(11);
    expect(
      alice.items.every(r => r.requesterRef === 'user:default/alice'),
    ).toBe(true);

    const dataProd = await requests.list({
      limit: 100,
      accountId: ACCOUNT['data-prod'],
    });
    expect(dataProd.items).toHaveLength(8);

    const security = await requests.list({
      limit: 100,
      approverRefs: ['group:default/security-leads'],
    });
    expect(security.items).toHaveLength(6);

    const window = await requests.list({
      limit: 100,
      createdFrom: minutes(5),
      createdTo: minutes(10),
    });
    expect(window.items.map(r => r.createdAt)).toEqual(
      [9, 8, 7, 6, 5].map(i => minutes(i).toISOString()),
    );

    await expect(
      requests.list({ limit: 5, cursor: 'bm90LWEtY3Vyc29y' }),
    ).rejects.toThrow(InputError);
  });

  it('filters break-glass and reviews in SQL exactly as the request says it is', async () => {
    // every combination of break-glass, grant, end, activity and review
    const made: string[] = [];
    let i = 0;
    for (const breakGlass of [false, true]) {
      for (const status of [
        'approved',
        'active',
        'ended',
        'revoked',
        'error',
      ] as const) {
        for (const complete of [false, true]) {
          for (const outcome of [
            undefined,
            'appropriate',
            'inappropriate',
          ] as const) {
            const r = await requests.create(
              newRequest({
                status: 'approved',
                approvalRequired: false,
                createdAt: minutes(i++),
                ...(breakGlass && { breakGlass: { policyName: 'Emergency' } }),
              }),
            );
            const granted = status !== 'approved';
            await knex('requests')
              .where({ id: r.id })
              .update({
                status,
                granted_at: granted ? T0 : null,
                ended_at:
                  ['ended', 'revoked'].includes(status) ||
                  (status === 'error' && i % 2)
                    ? minutes(60)
                    : null,
                activity_complete: complete,
              });
            if (outcome && breakGlass) {
              await requests.recordReview({
                id: r.id,
                reviewerRef: 'user:default/bob',
                outcome,
                now: minutes(90),
              });
            }
            made.push(r.id);
          }
        }
      }
    }
    const all = await requests.getMany(made);
    const ids = (rows: Array<{ id: string }>) => rows.map(r => r.id).sort();
    const listed = async (filter: Partial<RequestFilter>) =>
      ids((await requests.list({ limit: 1000, ...filter })).items);

    expect(await listed({ breakGlass: true })).toEqual(
      ids(all.filter(r => r.breakGlass)),
    );
    expect(await listed({ breakGlass: false })).toEqual(
      ids(all.filter(r => !r.breakGlass)),
    );
    expect(await listed({ review: 'awaiting' })).toEqual(
      ids(all.filter(r => r.awaitingReview)),
    );
    expect(all.filter(r => r.awaitingReview).length).toBeGreaterThan(0);
    for (const outcome of ['appropriate', 'inappropriate'] as const) {
      expect(await listed({ review: outcome })).toEqual(
        ids(all.filter(r => r.review?.outcome === outcome)),
      );
    }
    const reviewable = all.filter(
      r => r.awaitingReview && r.activityComplete && accessOver(r),
    );
    expect(reviewable.length).toBeGreaterThan(0);
    expect(await listed({ reviewableNow: true })).toEqual(ids(reviewable));
    expect(await requests.count({ reviewableNow: true })).toBe(
      reviewable.length,
    );
    // a second review loses, naming the first
    const reviewed = all.find(r => r.review)!;
    await expect(
      requests.recordReview({
        id: reviewed.id,
        reviewerRef: 'user:default/dave',
        outcome: 'appropriate',
        now: minutes(91),
      }),
    ).rejects.toThrow(/^Already reviewed by bob: /);
  });

  it('applies permission conditions as SQL exactly as the rules apply them', async () => {
    const requesters = [
      'user:default/alice',
      'user:default/erin',
      'user:default/bob',
    ];
    const approvers = [
      'group:default/platform-leads',
      'group:default/security-leads',
      'user:default/carol',
    ];
    const accounts = [
      ACCOUNT['payments-prod'],
      ACCOUNT['data-prod'],
      ACCOUNT.audit,
    ];
    for (let i = 0; i < 30; i++) {
      const r = await requests.create(
        newRequest({
          createdAt: minutes(i),
          requesterRef: requesters[i % 3],
          accountId: accounts[(i * 7) % 3],
          approverRefs: [
            approvers[i % 3],
            ...(i % 5 === 0 ? [approvers[(i + 1) % 3]] : []),
          ],
        }),
      );
      const target = REQUEST_STATUSES[i % REQUEST_STATUSES.length];
      if (target !== 'pending') {
        await knex('requests').where({ id: r.id }).update({ status: target });
      }
    }
    const all = (await requests.list({ limit: 500 })).items;
    const rules = Object.values(elevatedAccessRequestRules);
    const authorize = createConditionAuthorizer(rules);
    const transform = createConditionTransformer(rules);

    const condition: fc.Arbitrary<PermissionCriteria<PermissionCondition>> =
      fc.oneof(
        fc.record({
          rule: fc.constant('IS_REQUESTER'),
          resourceType: fc.constant(ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE),
          params: fc.record({ claims: fc.subarray(requesters) }),
        }),
        fc.record({
          rule: fc.constant('IS_APPROVER'),
          resourceType: fc.constant(ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE),
          params: fc.record({ claims: fc.subarray(approvers) }),
        }),
        fc.record({
          rule: fc.constant('HAS_ACCOUNT'),
          resourceType: fc.constant(ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE),
          params: fc.record({ accountIds: fc.subarray(accounts) }),
        }),
        fc.record({
          rule: fc.constant('HAS_STATUS'),
          resourceType: fc.constant(ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE),
          params: fc.record({ statuses: fc.subarray([...REQUEST_STATUSES]) }),
        }),
      ) as fc.Arbitrary<PermissionCriteria<PermissionCondition>>;
    type Criteria = PermissionCriteria<PermissionCondition>;
    const criteria = fc.letrec(tie => ({
      c: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        condition,
        fc.record({
          allOf: fc.array(tie('c') as fc.Arbitrary<Criteria>, {
            minLength: 1,
            maxLength: 3,
          }),
        }),
        fc.record({
          anyOf: fc.array(tie('c') as fc.Arbitrary<Criteria>, {
            minLength: 1,
            maxLength: 3,
          }),
        }),
        fc.record({ not: tie('c') as fc.Arbitrary<Criteria> }),
      ) as fc.Arbitrary<Criteria>,
    })).c;

    let partial = 0;
    await fc.assert(
      fc.asyncProperty(
        criteria,
        fc.option(fc.constantFrom(...requesters), { nil: undefined }),
        async (conditions, onlyRequester) => {
          const decision: ConditionalPolicyDecision = {
            result: AuthorizeResult.CONDITIONAL,
            pluginId: 'elevated-access',
            resourceType: ELEVATED_ACCESS_REQUEST_RESOURCE_TYPE,
            conditions,
          };
          const expected = all
            .filter(r => authorize(decision, toResource(r)))
            .filter(r => !onlyRequester || r.requesterRef === onlyRequester)
            .map(r => r.id)
            .sort();
          const viaSql = (
            await requests.list({
              limit: 500,
              requesterRefs: onlyRequester ? [onlyRequester] : undefined,
              permission: transform(
                conditions,
              ) as PermissionCriteria<ElevatedAccessRequestQuery>,
            })
          ).items
            .map(r => r.id)
            .sort();
          expect(viaSql).toEqual(expected);
          if (expected.length > 0 && expected.length < all.length) partial++;
        },
      ),
      { numRuns: 100 },
    );
    // The property is not vacuous: the conditions kept some requests and
    // left out others (an empty listing would match a rule that never holds).
    expect(all).toHaveLength(30);
    expect(partial).toBeGreaterThan(0);
  });

  it('lets exactly one of two racing transitions win', async () => {
    const r = await requests.create(newRequest());
    const outcomes = await Promise.allSettled([
      requests.transition({
        id: r.id,
        from: 'pending',
        to: 'cancelled',
        action: 'cancel',
        actorRef: 'user:default/alice',
        now: minutes(1),
      }),
      requests.transition({
        id: r.id,
        from: 'pending',
        to: 'expired',
        action: 'expire',
        actorRef: 'system',
        now: minutes(1),
      }),
    ]);
    expect(outcomes.filter(o => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find(
      o => o.status === 'rejected',
    ) as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(ConflictError);
    const events = await requests.events(r.id);
    expect(events.map(e => e.toStatus)).toHaveLength(2); // create + the winner
  });

  it('refuses transitions the lifecycle table does not have', async () => {
    const r = await requests.create(newRequest());
    await expect(
      requests.transition({
        id: r.id,
        from: 'pending',
        to: 'active',
        action: 'grant-succeeded',
        actorRef: 'system',
        now: minutes(1),
      }),
    ).rejects.toThrow(/Illegal transition/);
    expect((await requests.get(r.id))!.status).toBe('pending');
  });

  it('counts one vote per approver and approves at min_approvals', async () => {
    const r = await requests.create(
      newRequest({
        minApprovals: 2,
        approverRefs: ['group:default/platform-leads'],
      }),
    );
    const afterOne = await requests.recordDecision({
      requestId: r.id,
      approverRef: 'user:default/bob',
      decision: 'approve',
      now: minutes(1),
    });
    expect(afterOne).toMatchObject({ status: 'pending', approvals: 1 });
    await expect(
      requests.recordDecision({
        requestId: r.id,
        approverRef: 'user:default/bob',
        decision: 'approve',
        now: minutes(2),
      }),
    ).rejects.toThrow(/already decided/);
    const afterTwo = await requests.recordDecision({
      requestId: r.id,
      approverRef: 'user:default/zoe',
      decision: 'approve',
      comment: 'ok',
      now: minutes(3),
    });
    expect(afterTwo).toMatchObject({ status: 'approved', approvals: 2 });
    const decisions = (await requests.decisions([r.id])).get(r.id)!;
    expect(decisions.map(d => d.approverRef)).toEqual([
      'user:default/bob',
      'user:default/zoe',
    ]);
    const events = await requests.events(r.id);
    expect(events.map(e => e.action)).toEqual([
      'create',
      'approve-vote',
      'approve',
    ]);
  });

  it('writes nothing of a decision when any part of it fails', async () => {
    const r = await requests.create(newRequest());
    const append = jest
      .spyOn(EventLog, 'append')
      .mockRejectedValueOnce(new Error('disk full'));
    await expect(
      requests.recordDecision({
        requestId: r.id,
        approverRef: 'user:default/bob',
        decision: 'reject',
        comment: 'no',
        now: minutes(1),
      }),
    ).rejects.toThrow('disk full');
    append.mockRestore();
    expect(await requests.get(r.id)).toMatchObject({
      status: 'pending',
      approvals: 0,
      version: 1,
    });
    expect((await requests.decisions([r.id])).get(r.id)).toBeUndefined();
    expect((await requests.events(r.id)).map(e => e.action)).toEqual([
      'create',
    ]);
  });

  it('finds requests due for expiry and reminders, once', async () => {
    const soon = await requests.create(newRequest({ expiresAt: minutes(10) }));
    await requests.create(newRequest({ expiresAt: minutes(600) }));
    expect(
      (await requests.dueForExpiry(minutes(11), 10)).map(r => r.id),
    ).toEqual([soon.id]);
    expect(
      (await requests.dueForReminder(minutes(0), 15 * 60_000, 10)).map(
        r => r.id,
      ),
    ).toEqual([soon.id]);
    expect(await requests.markReminderSent(soon.id, minutes(1))).toBe(true);
    expect(await requests.markReminderSent(soon.id, minutes(1))).toBe(false);
    expect(await requests.dueForReminder(minutes(0), 15 * 60_000, 10)).toEqual(
      [],
    );
  });

  it('versions policies and records before/after of every change', async () => {
    const store = new PolicyStore(knex, 'eligibility');
    const created = await store.create(
      DEMO_ELIGIBILITY[1],
      'user:default/dave',
      T0,
    );
    expect(created).toMatchObject({
      name: DEMO_ELIGIBILITY[1].name,
      version: 1,
      maxDurationMinutes: 240,
    });
    const updated = await store.update(
      created.id,
      { ...DEMO_ELIGIBILITY[1], maxDurationMinutes: 120, version: 1 },
      'user:default/dave',
      minutes(1),
    );
    expect(updated).toMatchObject({ version: 2, maxDurationMinutes: 120 });
    await expect(
      store.update(
        created.id,
        { ...DEMO_ELIGIBILITY[1], version: 1 },
        'user:default/eve',
        minutes(2),
      ),
    ).rejects.toThrow(ConflictError);
    await store.delete(created.id, 'user:default/dave', minutes(3));
    expect(await store.get(created.id)).toBeUndefined();
    const events = await store.events(created.id);
    expect(events.map(e => e.action)).toEqual(['create', 'update', 'delete']);
    expect(events[1].before).toMatchObject({ maxDurationMinutes: 240 });
    expect(events[1].after).toMatchObject({ maxDurationMinutes: 120 });

    const approvers = new PolicyStore(knex, 'approver');
    await approvers.create(DEMO_APPROVERS[0], 'user:default/dave', T0);
    expect(await approvers.list()).toHaveLength(1);
  });

  it('saves settings with optimistic concurrency', async () => {
    const store = new SettingsStore(knex);
    expect(await store.get()).toBeUndefined();
    const saved = await store.put({
      settings: { ...BUILT_IN_SETTINGS, maxDurationMinutes: 60 },
      before: BUILT_IN_SETTINGS,
      expectedVersion: 0,
      actorRef: 'user:default/dave',
      now: T0,
    });
    expect(saved).toMatchObject({
      version: 1,
      settings: { maxDurationMinutes: 60 },
    });
    await expect(
      store.put({
        settings: BUILT_IN_SETTINGS,
        before: BUILT_IN_SETTINGS,
        expectedVersion: 0,
        actorRef: 'user:default/eve',
        now: T0,
      }),
    ).rejects.toThrow(ConflictError);
    expect((await store.events()).map(e => e.action)).toEqual(['update']);
  });

  it('stores activity once per event id, searches and pages it', async () => {
    const r = await requests.create(newRequest());
    const activity = new ActivityStore(knex);
    const events = Array.from({ length: 25 }, (_, i) => ({
      eventId: `e-${i}`,
      eventTime: minutes(i).toISOString(),
      eventName: i % 2 ? 'GetObject' : 'PutBucketPolicy',
      eventSource: 's3.amazonaws.com',
      resources: [`arn:aws:s3:::bucket-${i % 3}`, i === 7 ? '50%_off' : 'x'],
      readOnly: i % 2 === 1,
      raw: { i },
    }));
    expect(await activity.insert(r.id, events)).toBe(25);
    expect(await activity.insert(r.id, events.slice(0, 5))).toBe(0);
    expect(await activity.count(r.id)).toBe(25);
    const first = await activity.page({ requestId: r.id, limit: 10 });
    expect(first.items[0].eventId).toBe('e-24');
    const second = await activity.page({
      requestId: r.id,
      limit: 10,
      cursor: first.nextCursor,
    });
    expect(second.items[0].eventId).toBe('e-14');
    expect(
      (await activity.page({ requestId: r.id, limit: 100, q: 'putbucket' }))
        .items,
    ).toHaveLength(13);
    expect(
      (await activity.page({ requestId: r.id, limit: 100, q: 'bucket-2' }))
        .items,
    ).toHaveLength(8);
    // LIKE wildcards are literal in searches
    expect(
      (
        await activity.page({ requestId: r.id, limit: 100, q: '50%_' })
      ).items.map(e => e.eventId),
    ).toEqual(['e-7']);
    const scanned: string[] = [];
    for await (const batch of activity.scan({
      requestIds: [r.id],
      batchSize: 7,
    })) {
      scanned.push(...batch.map(b => b.event_id));
    }
    expect(scanned).toHaveLength(25);
  });
});
