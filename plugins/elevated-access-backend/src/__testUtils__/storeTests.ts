import { Knex } from 'knex';
import { describeEachDatabase } from './databases';
import { applyMigrations } from '../database/migrations';
import {
  DatabaseRequestStore,
  NewRequest,
  RequestStore,
} from '../database/RequestStore';
import { ACCOUNT, PS } from './fixtures';
import { clearDatabase } from './snapshot';

/** The stores tests' clock starts here; minutes(n) is n minutes later. */
export const T0 = new Date('2026-11-21T09:00:00.000Z');
export const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

/** A pending request for alice that needs one approval; override any field. */
export function newRequest(overrides: Partial<NewRequest> = {}): NewRequest {
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

/**
 * An approved request for alice that needed no approval, with no ticket and
 * no expiry; override any field.
 */
export function approvedRequest(
  overrides: Partial<NewRequest> = {},
): NewRequest {
  return newRequest({
    status: 'approved',
    ticketId: undefined,
    approvalRequired: false,
    minApprovals: 0,
    approverRefs: [],
    expiresAt: undefined,
    ...overrides,
  });
}

/**
 * alice's approved ReadOnlyAccess on `account` from `start` (epoch ms) for
 * `durationMinutes`, made at its start and needing no approval or policy;
 * override any field.
 */
export function approvedReadOnly(
  account: keyof typeof ACCOUNT,
  start: number,
  durationMinutes: number,
  overrides: Partial<NewRequest> = {},
): NewRequest {
  return approvedRequest({
    accountId: ACCOUNT[account],
    accountName: account,
    permissionSetArn: PS.ReadOnlyAccess,
    permissionSetName: 'ReadOnlyAccess',
    startTime: new Date(start),
    endTime: new Date(start + durationMinutes * 60_000),
    durationMinutes,
    policyIds: [],
    createdAt: new Date(start),
    ...overrides,
  });
}

/** An approved request of an hour from its start (default 2026-11-23 09:00). */
export function approvedHour(overrides: Partial<NewRequest> = {}): NewRequest {
  const start = overrides.startTime ?? new Date('2026-11-23T09:00:00Z');
  return approvedRequest({
    startTime: start,
    endTime: new Date(start.getTime() + 3_600_000),
    policyIds: [],
    createdAt: start,
    ...overrides,
  });
}

/**
 * A request granted to alice at its start and ended after `hours`: its
 * activity complete when `used` is given (or as `complete` says), and `used`.
 */
export async function endedGrant(
  knex: Knex,
  requests: RequestStore,
  options: Partial<NewRequest> & {
    hours: number;
    used?: boolean | null;
    complete?: boolean;
  },
) {
  const { hours, used, complete, ...overrides } = options;
  const r = await requests.create(approvedHour(overrides));
  const granted = new Date(r.startTime);
  await knex('requests')
    .where({ id: r.id })
    .update({
      status: 'ended',
      principal_name: 'alice',
      granted_at: granted,
      ended_at: new Date(granted.getTime() + hours * 3_600_000),
      activity_complete: complete ?? used !== undefined,
      used: used ?? null,
    });
  return r.id;
}

/** A migrated test database and the request store on it. */
export interface MigratedStores {
  knex: Knex;
  requests: RequestStore;
}

/** Migrates a test database (once per file) and opens the request store on it. */
export async function migratedStores(
  init: () => Promise<Knex>,
): Promise<MigratedStores> {
  const knex = await init();
  await applyMigrations(knex);
  return { knex, requests: DatabaseRequestStore.create({ knex }) };
}

/**
 * The stores tests' set-up (call inside a describe): migrates the database
 * once, empties it before each test. The fields are filled in by the hooks,
 * so read them inside a test.
 */
function setUpMigratedStores(init: () => Promise<Knex>): MigratedStores {
  const stores = {} as MigratedStores;
  beforeAll(async () => {
    Object.assign(stores, await migratedStores(init));
  });
  beforeEach(() => clearDatabase(stores.knex));
  return stores;
}

/**
 * A stores tests' describe block per database (describeEachDatabase), each
 * with its migrated stores, emptied before each test (read them inside a test).
 */
export function describeWithStores(
  title: string,
  fn: (stores: MigratedStores) => void,
) {
  describeEachDatabase(title, init => fn(setUpMigratedStores(init)));
}
