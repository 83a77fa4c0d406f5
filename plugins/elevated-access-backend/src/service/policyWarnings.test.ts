import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import {
  ACCOUNT,
  DEMO_APPROVERS,
  DEMO_ELIGIBILITY,
  OU,
  PS,
} from '../__testUtils__/fixtures';
import { clearDatabase } from '../__testUtils__/snapshot';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

/*
 * Saving an eligibility policy whose pairs need approval that no approver
 * policy covers succeeds, and says so: requests for those pairs would be
 * refused at creation (nobody could approve them).
 */
describe('policy save warnings', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let knex: Knex;
  let api: ElevatedAccessTestBackend;

  beforeAll(async () => {
    knex = await databases.init('SQLITE_3');
    api = await startElevatedAccess({ knex });
  });
  afterAll(() => api.stop());
  beforeEach(() => clearDatabase(knex));

  it('warns about pairs that need approval and have no approver policy', async () => {
    // only the workloads are covered by an approver policy
    await api.post('dave', '/policies/approval', DEMO_APPROVERS[0]);
    const saved = await api.post('dave', '/policies/eligibility', {
      ...DEMO_ELIGIBILITY[1],
      name: 'Developers power everywhere',
      ous: [OU.Workloads],
      accounts: [ACCOUNT.audit],
    });
    expect(saved.status).toBe(201);
    expect(saved.body.id).toEqual(expect.any(String));
    expect(saved.body.warnings).toEqual([
      'No approver policy covers PowerUserAccess on audit: requests for it need approval and will be refused until an approver policy covers it.',
    ]);

    // the same on an update; covered pairs and pairs without approval: none
    const updated = await api.put(
      'dave',
      `/policies/eligibility/${saved.body.id}`,
      {
        ...DEMO_ELIGIBILITY[1],
        name: 'Developers power on workloads',
        version: saved.body.version,
      },
    );
    expect(updated.status).toBe(200);
    expect(updated.body.warnings).toBeUndefined();
    const noApproval = await api.post('dave', '/policies/eligibility', {
      ...DEMO_ELIGIBILITY[0],
      accounts: [ACCOUNT.audit],
      permissionSets: [PS.ReadOnlyAccess],
    });
    expect(noApproval.body.warnings).toBeUndefined();
  });
});
