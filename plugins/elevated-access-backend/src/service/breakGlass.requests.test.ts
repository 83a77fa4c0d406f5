import { describeEachDatabase } from '../__testUtils__/databases';
import { ACCOUNT, DEMO_ELIGIBILITY, PS } from '../__testUtils__/fixtures';
import {
  at,
  BREAK_GLASS_POLICY,
  breakGlass,
  setUpBreakGlassBackend,
} from '../__testUtils__/breakGlass';

jest.setTimeout(60_000);

/*
 * Break-glass (issue 14 §4) through the API: which pairs offer it, and the
 * requests refused.
 */
describeEachDatabase('break-glass', init => {
  const backend = setUpBreakGlassBackend(init);

  it('offers break-glass in the eligibility only where a policy allows it', async () => {
    const eligibility = (await backend.api.get('alice', '/eligibility')).body;
    const pair = (account: string, ps: string) =>
      eligibility.pairs.find(
        (p: any) =>
          p.accountId === ACCOUNT[account as keyof typeof ACCOUNT] &&
          p.permissionSetArn === ps,
      );
    expect(pair('payments-prod', PS.PowerUserAccess).breakGlass).toEqual({
      maxDurationMinutes: 60,
      policyNames: [BREAK_GLASS_POLICY.name],
    });
    expect(
      pair('payments-prod', PS.PowerUserAccess).options.map(
        (o: any) => o.breakGlass,
      ),
    ).toEqual(expect.arrayContaining([true, false]));
    expect(pair('payments-prod', PS.ReadOnlyAccess).breakGlass).toBeUndefined();
    // the policy history shows the flag before and after a change
    const changes = (await backend.api.get('carol', '/audit/changes')).body
      .items;
    const created = changes.find(
      (c: any) => c.entityName === BREAK_GLASS_POLICY.name,
    );
    expect(created).toMatchObject({
      action: 'create',
      after: { breakGlass: true },
    });
    const updated = await backend.api.put(
      'dave',
      `/policies/eligibility/${created.entityId}`,
      { ...BREAK_GLASS_POLICY, breakGlass: false, version: 1 },
    );
    expect(updated.status).toBe(200);
    expect(updated.body.breakGlass).toBe(false);
    const change = (await backend.api.get('carol', '/audit/changes')).body
      .items[0];
    expect(change).toMatchObject({
      action: 'update',
      before: { breakGlass: true },
      after: { breakGlass: false },
    });
    expect(
      (await backend.api.get('alice', '/eligibility')).body.pairs.some(
        (p: any) => p.breakGlass,
      ),
    ).toBe(false);
    await backend.api.put('dave', `/policies/eligibility/${created.entityId}`, {
      ...BREAK_GLASS_POLICY,
      version: 2,
    });
    const policies = (await backend.api.get('dave', '/policies/eligibility'))
      .body;
    expect(policies.items ?? policies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: BREAK_GLASS_POLICY.name,
          breakGlass: true,
        }),
        expect.objectContaining({
          name: DEMO_ELIGIBILITY[0].name,
          breakGlass: false,
        }),
      ]),
    );
  });

  it('refuses break-glass without a policy, a ticket, now, within the cap, or a reviewer', async () => {
    const refused = async (body: object, persona = 'alice') => {
      const res = await backend.api.post(persona, '/requests', body);
      expect(res.status).toBe(400);
      return res.body.error.message;
    };
    expect(
      await refused({ ...breakGlass, permissionSetArn: PS.ReadOnlyAccess }),
    ).toBe(
      'Invalid input: breakGlass: No policy allows break-glass for ReadOnlyAccess on payments-prod. Request it with approval instead',
    );
    expect(await refused({ ...breakGlass, ticketId: undefined })).toBe(
      'Invalid input: ticketId: A ticket is required for break-glass access',
    );
    expect(
      await refused({ ...breakGlass, startTime: at(10).toISOString() }),
    ).toBe(
      'Invalid input: startTime: Break-glass access starts now, leave the start time empty',
    );
    expect(await refused({ ...breakGlass, durationMinutes: 90 })).toBe(
      'Invalid input: durationMinutes: Break-glass for PowerUserAccess on payments-prod can be requested for at most 1 h',
    );
    // bob is the only platform lead: nobody else could review his
    expect(await refused(breakGlass, 'bob')).toMatch(
      /^Break-glass for PowerUserAccess on payments-prod needs an approver to review it afterwards, but no approver other than you covers it/,
    );
    expect(
      (await backend.api.get('dave', '/requests?view=all&breakGlass=true')).body
        .items,
    ).toEqual([]);
  });
});
