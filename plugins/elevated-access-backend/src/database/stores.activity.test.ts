import {
  describeWithStores,
  minutes,
  newRequest,
} from '../__testUtils__/storeTests';
import { ActivityStore } from './ActivityStore';

jest.setTimeout(120_000);

describeWithStores('stores', stores => {
  it('stores activity once per event id, searches and pages it', async () => {
    const r = await stores.requests.create(newRequest());
    const activity = new ActivityStore(stores.knex);
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
