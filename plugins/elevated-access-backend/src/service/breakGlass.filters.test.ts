import { describeEachDatabase } from '../__testUtils__/databases';
import { ACCOUNT, PS } from '../__testUtils__/fixtures';
import { at, setUpBreakGlassBackend } from '../__testUtils__/breakGlass';

jest.setTimeout(60_000);

/*
 * Break-glass (issue 14 §4) through the API: the request lists and the
 * CSVs filtered by break-glass and review.
 */
describeEachDatabase('break-glass', init => {
  const backend = setUpBreakGlassBackend(init);

  it('filters by break-glass and review on every view and in the CSVs', async () => {
    const request = await backend.reviewable();
    const normal = await backend.api.post('alice', '/requests', {
      accountId: ACCOUNT['payments-dev'],
      permissionSetArn: PS.ReadOnlyAccess,
      durationMinutes: 30,
      justification: 'Read the dashboards',
    });
    expect(normal.status).toBe(201);
    const ids = async (persona: string, query: string) =>
      (await backend.api.get(persona, `/requests?${query}`)).body.items.map(
        (r: any) => r.id,
      );
    expect(await ids('alice', 'view=mine&breakGlass=true')).toEqual([
      request.id,
    ]);
    expect(await ids('alice', 'view=mine&breakGlass=false')).toEqual([
      normal.body.id,
    ]);
    expect(await ids('carol', 'view=all&review=awaiting')).toEqual([
      request.id,
    ]);
    expect(await ids('carol', 'view=all&review=appropriate')).toEqual([]);
    expect(await ids('bob', 'view=decided&review=awaiting')).toEqual([
      request.id,
    ]);

    await backend.api.post('bob', `/requests/${request.id}/review`, {
      outcome: 'appropriate',
      comment: 'Fine',
    });
    expect(await ids('carol', 'view=all&review=awaiting')).toEqual([]);
    expect(await ids('carol', 'view=all&review=appropriate')).toEqual([
      request.id,
    ]);
    expect(await ids('carol', 'view=all&review=inappropriate')).toEqual([]);
    expect(await ids('bob', 'view=reviews&review=appropriate')).toEqual([]);
    const bad = await backend.api.get(
      'carol',
      '/requests?view=all&review=maybe',
    );
    expect(bad.status).toBe(400);

    const csv = await backend.api.get(
      'carol',
      '/audit/requests.csv?review=appropriate',
    );
    expect(csv.status).toBe(200);
    const [header, ...rows] = csv.text.trim().split('\n');
    expect(header.split(',').slice(-5)).toEqual([
      'break_glass',
      'review_outcome',
      'reviewed_by',
      'reviewed_at',
      'review_comment',
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(request.id);
    expect(rows[0].split(',').slice(-5)).toEqual([
      'true',
      'appropriate',
      'user:default/bob',
      at(72).toISOString(),
      'Fine',
    ]);
    const decided = await backend.api.get(
      'bob',
      '/requests/decided.csv?breakGlass=true',
    );
    expect(decided.status).toBe(200);
    expect(decided.text).toContain(request.id);
    expect(decided.text).not.toContain(normal.body.id);
  });
});
