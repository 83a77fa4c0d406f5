import { DEMO_ELIGIBILITY, OU, userRef } from '../__testUtils__/fixtures';
import { setUpDemoBackend } from '../__testUtils__/scenarios';

jest.setTimeout(60_000);

describe('GET /me', () => {
  const backend = setUpDemoBackend();

  it('says who may request something at all', async () => {
    const canRequest = async (who: 'alice' | 'bob' | 'carol' | 'dave') =>
      (await backend.api.get(who, '/me')).body.canRequest;
    expect(await canRequest('alice')).toBe(true);
    // approver, auditor and admin: no eligibility policy names them
    expect(await canRequest('bob')).toBe(false);
    expect(await canRequest('carol')).toBe(false);
    expect(await canRequest('dave')).toBe(false);
  });

  it('follows policy changes', async () => {
    const created = await backend.api.post('dave', '/policies/eligibility', {
      ...DEMO_ELIGIBILITY[0],
      name: 'Bob reads workloads',
      principals: [userRef('bob')],
      ous: [OU.Workloads],
    });
    expect(created.status).toBe(201);
    expect((await backend.api.get('bob', '/me')).body.canRequest).toBe(true);

    const removed = await backend.api.delete(
      'dave',
      `/policies/eligibility/${created.body.id}`,
    );
    expect(removed.status).toBeLessThan(300);
    expect((await backend.api.get('bob', '/me')).body.canRequest).toBe(false);
  });
});
