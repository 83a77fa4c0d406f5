import { TestDatabases } from '@backstage/backend-test-utils';
import { DEMO_ELIGIBILITY, OU, userRef } from '../__testUtils__/fixtures';
import { seedDemoPolicies } from '../__testUtils__/scenarios';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('GET /me', () => {
  let api: ElevatedAccessTestBackend;

  beforeEach(async () => {
    api = await startElevatedAccess({ knex: await databases.init('SQLITE_3') });
    await seedDemoPolicies(api);
  });
  afterEach(() => api.stop());

  it('says who may request something at all', async () => {
    const canRequest = async (who: 'alice' | 'bob' | 'carol' | 'dave') =>
      (await api.get(who, '/me')).body.canRequest;
    expect(await canRequest('alice')).toBe(true);
    // approver, auditor and admin: no eligibility policy names them
    expect(await canRequest('bob')).toBe(false);
    expect(await canRequest('carol')).toBe(false);
    expect(await canRequest('dave')).toBe(false);
  });

  it('follows policy changes', async () => {
    const created = await api.post('dave', '/policies/eligibility', {
      ...DEMO_ELIGIBILITY[0],
      name: 'Bob reads workloads',
      principals: [userRef('bob')],
      ous: [OU.Workloads],
    });
    expect(created.status).toBe(201);
    expect((await api.get('bob', '/me')).body.canRequest).toBe(true);

    const removed = await api.delete(
      'dave',
      `/policies/eligibility/${created.body.id}`,
    );
    expect(removed.status).toBeLessThan(300);
    expect((await api.get('bob', '/me')).body.canRequest).toBe(false);
  });
});
