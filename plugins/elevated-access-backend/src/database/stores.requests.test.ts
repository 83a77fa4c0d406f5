import { InputError } from '@backstage/errors';
import { ACCOUNT } from '../__testUtils__/fixtures';
import {
  describeWithStores,
  minutes,
  newRequest,
  T0,
} from '../__testUtils__/storeTests';
import { accessOver } from '../domain/rules/review';
import { RequestFilter } from './RequestStore';

jest.setTimeout(120_000);

describeWithStores('stores', stores => {
  it('stores a request with its approvers and a creation event', async () => {
    const created = await stores.requests.create(newRequest());
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
    const events = await stores.requests.events(created.id);
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
      const r = await stores.requests.create(
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
      const page = await stores.requests.list({ limit: 5, cursor });
      seen.push(...page.items.map(r => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...made].reverse());

    const alice = await stores.requests.list({
      limit: 100,
      requesterRefs: ['user:default/alice'],
    });
    expect(alice.items).toHaveLength(11);
    expect(
      alice.items.every(r => r.requesterRef === 'user:default/alice'),
    ).toBe(true);

    const dataProd = await stores.requests.list({
      limit: 100,
      accountId: ACCOUNT['data-prod'],
    });
    expect(dataProd.items).toHaveLength(8);

    const security = await stores.requests.list({
      limit: 100,
      approverRefs: ['group:default/security-leads'],
    });
    expect(security.items).toHaveLength(6);

    const window = await stores.requests.list({
      limit: 100,
      createdFrom: minutes(5),
      createdTo: minutes(10),
    });
    expect(window.items.map(r => r.createdAt)).toEqual(
      [9, 8, 7, 6, 5].map(i => minutes(i).toISOString()),
    );

    await expect(
      stores.requests.list({ limit: 5, cursor: 'bm90LWEtY3Vyc29y' }),
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
            const r = await stores.requests.create(
              newRequest({
                status: 'approved',
                approvalRequired: false,
                createdAt: minutes(i++),
                ...(breakGlass && { breakGlass: { policyName: 'Emergency' } }),
              }),
            );
            const granted = status !== 'approved';
            await stores
              .knex('requests')
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
              await stores.requests.recordReview({
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
    const all = await stores.requests.getMany(made);
    const ids = (rows: Array<{ id: string }>) => rows.map(r => r.id).sort();
    const listed = async (filter: Partial<RequestFilter>) =>
      ids((await stores.requests.list({ limit: 1000, ...filter })).items);

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
    expect(await stores.requests.count({ reviewableNow: true })).toBe(
      reviewable.length,
    );
    // a second review loses, naming the first
    const reviewed = all.find(r => r.review)!;
    await expect(
      stores.requests.recordReview({
        id: reviewed.id,
        reviewerRef: 'user:default/dave',
        outcome: 'appropriate',
        now: minutes(91),
      }),
    ).rejects.toThrow(/^Already reviewed by bob: /);
  });
});
