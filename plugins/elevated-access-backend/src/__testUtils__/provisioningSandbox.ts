import {
  ListAccountAssignmentsCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { TestDatabases } from '@backstage/backend-test-utils';
import {
  RunningSandbox,
  SandboxSeed,
  startSandbox,
} from '@internal/aws-sandbox';
import {
  AccessRequest,
  ApproverPolicyInput,
  EligibilityPolicyInput,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { ElevatedAccessTestBackend, startElevatedAccess } from './testBackend';
import { fakeDateOnly } from './fakeDate';
import { demoApprovers, demoEligibility } from './fixtures';

/*
 * The provisioning tests' set-up: the plugin with its own AWS provider and
 * CloudTrail source, talking over the wire to the moto-based AWS sandbox
 * seeded with the demo organisation, on SQLite, with a clock the test moves.
 */

export const MINUTE = 60_000;

/** The policies saved before each test, by the sandbox seed's ids. */
export interface SandboxPolicies {
  eligibility: EligibilityPolicyInput[];
  approvers: ApproverPolicyInput[];
}

/** The demo's workload policies with the sandbox seed's ids. */
function demoWorkloadPolicies(seed: SandboxSeed): SandboxPolicies {
  return {
    eligibility: [
      demoEligibility('readOnlyOnWorkloads', seed),
      demoEligibility('powerUserOnWorkloads', seed),
    ],
    approvers: [demoApprovers('platformLeadsApproveWorkloads', seed)],
  };
}

/** Filled in by setUpProvisioningSandbox's hooks. */
export interface ProvisioningSandbox {
  sandbox: RunningSandbox;
  seed: SandboxSeed;
  /** A client of the sandbox's Identity Center that does not retry. */
  sso: SSOAdminClient;
  /** The running plugin; restart() replaces it. */
  api: ElevatedAccessTestBackend;
  knex: Knex;
  /** The faked `Date`'s time, as set by setNow. */
  now: number;
  setNow(t: number): void;
  /** Creates a request (asserting 201) for one of the demo's accounts and permission sets. */
  request(
    who: 'alice' | 'erin',
    body: { account: string; ps: string; duration?: number; startIn?: number },
  ): Promise<AccessRequest>;
  /** The request as the admin dave reads it, events included. */
  status(id: string): Promise<any>;
  /** How many assignments of the permission set `user` holds in the account. */
  assigned(account: string, ps: string, user: string): Promise<number>;
  /**
   * The assignment of the permission set to `user` in the account, as
   * Create- and DeleteAccountAssignment take it (made or removed by hand).
   */
  assignment(account: string, ps: string, user: string): AssignmentInput;
  /**
   * Stops the plugin and starts it again on the same database, with
   * `activity` over the default activity settings; `api` is then the new
   * one (which the afterEach stops).
   */
  restart(activity: JsonObject): Promise<ElevatedAccessTestBackend>;
}

/** What Create- and DeleteAccountAssignment take. */
export interface AssignmentInput {
  InstanceArn: string;
  TargetId: string;
  TargetType: 'AWS_ACCOUNT';
  PermissionSetArn: string;
  PrincipalType: 'USER';
  PrincipalId: string;
}

/**
 * The plugin with its own AWS provider and CloudTrail source talking to the
 * sandbox, with `activity` over the default activity settings.
 */
function startPlugin(
  knex: Knex,
  sandbox: RunningSandbox,
  activity: JsonObject = {},
) {
  return startElevatedAccess({
    knex,
    provider: 'aws',
    config: {
      aws: {
        region: 'us-east-1',
        endpoint: sandbox.url,
        activity: { paddingMinutes: 5, settleMinutes: 5, ...activity },
      },
    },
  });
}

/** How long a test over the wire to the sandbox may take. */
const SANDBOX_TEST_TIMEOUT_MS = 180_000;

/**
 * Starts the sandbox once for the enclosing describe and, before each test,
 * resets it to the demo seed, starts the plugin on a fresh database at
 * 2026-11-21 09:00 UTC and creates the policies (the demo's workload
 * policies unless `policies` says others). Sets the test file's timeout to
 * the three minutes such a test may take.
 */
export function setUpProvisioningSandbox(
  policies: (seed: SandboxSeed) => SandboxPolicies = demoWorkloadPolicies,
): ProvisioningSandbox {
  jest.setTimeout(SANDBOX_TEST_TIMEOUT_MS);
  process.env.AWS_ACCESS_KEY_ID = 'sandbox';
  process.env.AWS_SECRET_ACCESS_KEY = 'sandbox';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';

  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  const env: ProvisioningSandbox = {
    sandbox: undefined as unknown as RunningSandbox,
    seed: undefined as unknown as SandboxSeed,
    sso: undefined as unknown as SSOAdminClient,
    api: undefined as unknown as ElevatedAccessTestBackend,
    knex: undefined as unknown as Knex,
    now: 0,
    setNow(t) {
      env.now = t;
      jest.setSystemTime(t);
    },
    async request(who, body) {
      const { seed, now } = env;
      const res = await env.api.post(who, '/requests', {
        accountId: seed.accounts[body.account],
        permissionSetArn: seed.permissionSets[body.ps],
        durationMinutes: body.duration ?? 60,
        justification: 'Investigate the production incident',
        ticketId: 'OPS-9',
        startTime: body.startIn
          ? new Date(now + body.startIn * MINUTE).toISOString()
          : undefined,
      });
      expect(res.status).toBe(201);
      return res.body;
    },
    async status(id) {
      return (await env.api.get('dave', `/requests/${id}`)).body;
    },
    async assigned(account, ps, user) {
      const { seed } = env;
      const res = await env.sso.send(
        new ListAccountAssignmentsCommand({
          InstanceArn: seed.instanceArn,
          AccountId: seed.accounts[account],
          PermissionSetArn: seed.permissionSets[ps],
        }),
      );
      return (res.AccountAssignments ?? []).filter(
        a => a.PrincipalId === seed.users[user],
      ).length;
    },
    async restart(activity) {
      await env.api.stop();
      env.api = await startPlugin(env.knex, env.sandbox, activity);
      return env.api;
    },
    assignment(account, ps, user) {
      const { seed } = env;
      return {
        InstanceArn: seed.instanceArn,
        TargetId: seed.accounts[account],
        TargetType: 'AWS_ACCOUNT',
        PermissionSetArn: seed.permissionSets[ps],
        PrincipalType: 'USER',
        PrincipalId: seed.users[user],
      };
    },
  };

  beforeAll(async () => {
    env.sandbox = await startSandbox();
    env.seed = env.sandbox.seed!;
    env.sso = new SSOAdminClient({
      ...env.sandbox.clientConfig(),
      maxAttempts: 1,
    });
  });
  afterAll(() => env.sandbox?.stop());

  beforeEach(async () => {
    const { sandbox } = env;
    fakeDateOnly();
    env.setNow(Date.UTC(2026, 10, 21, 9, 0, 0));
    await sandbox.reset();
    await sandbox.seedDemo();
    env.knex = await databases.init('SQLITE_3');
    const api = await startPlugin(env.knex, sandbox);
    env.api = api;
    const { eligibility, approvers } = policies(env.seed);
    const created = [
      ...(await Promise.all(
        eligibility.map(p => api.post('dave', '/policies/eligibility', p)),
      )),
      ...(await Promise.all(
        approvers.map(p => api.post('dave', '/policies/approval', p)),
      )),
    ];
    if (created.some(r => r.status !== 201)) {
      throw new Error(
        `Policies were not created: ${JSON.stringify(
          created.map(r => r.body),
        )}`,
      );
    }
  });
  afterEach(async () => {
    await env.api.stop();
    await env.sandbox.clearFaults();
    jest.useRealTimers();
  });

  return env;
}
