import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { ACCOUNT, DEMO_APPROVERS, DEMO_ELIGIBILITY, PS } from './fixtures';
import { ElevatedAccessTestBackend, startElevatedAccess } from './testBackend';

/** alice's usual request: PowerUserAccess on payments-prod for an hour. */
export const powerUserRequest = {
  accountId: ACCOUNT['payments-prod'],
  permissionSetArn: PS.PowerUserAccess,
  durationMinutes: 60,
  justification: 'Fix the broken deployment pipeline',
  ticketId: 'OPS-42',
};

/** The ids of the demo policies seedDemoPolicies created, in the demo's order. */
export interface DemoPolicyIds {
  eligibility: string[];
  approver: string[];
}

/** Creates the demo policies through the API, as dave (admin). */
export async function seedDemoPolicies(
  api: ElevatedAccessTestBackend,
): Promise<DemoPolicyIds> {
  const eligibility = [];
  for (const policy of DEMO_ELIGIBILITY) {
    eligibility.push(await api.post('dave', '/policies/eligibility', policy));
  }
  const approver = [];
  for (const policy of DEMO_APPROVERS) {
    approver.push(await api.post('dave', '/policies/approval', policy));
  }
  const failed = [...eligibility, ...approver].filter(r => r.status !== 201);
  if (failed.length) {
    throw new Error(
      `Seeding policies failed: ${JSON.stringify(failed[0].body)}`,
    );
  }
  return {
    eligibility: eligibility.map(r => r.body.id),
    approver: approver.map(r => r.body.id),
  };
}

/** Filled in by setUpDemoBackend's hooks. */
export interface DemoBackend {
  /** The plugin on a fresh database, with the demo policies. */
  api: ElevatedAccessTestBackend;
  /** That database. */
  knex: Knex;
  /** The ids of the demo policies on it. */
  policyIds: DemoPolicyIds;
  /** Another fresh database, for a test that starts a second plugin. */
  newDatabase(): Promise<Knex>;
  /**
   * dave saves the demo's first approver policy (platform leads approve
   * workloads) with `change`, at its current version; the PUT's answer.
   */
  changeWorkloadApprovers(change: object): Promise<{ status: number }>;
}

/**
 * Before each test of the enclosing describe, starts the plugin on a fresh
 * database (from `init`, or SQLite) and creates the demo policies; stops it
 * after the test.
 */
export function setUpDemoBackend(init?: () => Promise<Knex>): DemoBackend {
  const databases = init
    ? undefined
    : TestDatabases.create({ ids: ['SQLITE_3'] });
  const backend: DemoBackend = {
    api: undefined as unknown as ElevatedAccessTestBackend,
    knex: undefined as unknown as Knex,
    policyIds: { eligibility: [], approver: [] },
    newDatabase: init ?? (() => databases!.init('SQLITE_3')),
    async changeWorkloadApprovers(change) {
      const path = `/policies/approval/${backend.policyIds.approver[0]}`;
      const current = (await backend.api.get('dave', path)).body;
      return backend.api.put('dave', path, {
        name: current.name,
        accounts: current.accounts,
        ous: current.ous,
        permissionSets: current.permissionSets,
        approvers: current.approvers,
        minApprovals: current.minApprovals,
        version: current.version,
        ...change,
      });
    },
  };
  beforeEach(async () => {
    backend.knex = await backend.newDatabase();
    backend.api = await startElevatedAccess({ knex: backend.knex });
    backend.policyIds = await seedDemoPolicies(backend.api);
  });
  afterEach(() => backend.api.stop());
  return backend;
}
