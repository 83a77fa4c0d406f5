import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { applyMigrations } from '../database/migrations';
import { DatabaseRequestStore } from '../database/RequestStore';
import { SessionBlockStore } from '../database/SessionBlockStore';
import { ownStatements } from '../domain/sessionBlocks';
import { EndSessionsStep, PermissionSetPolicies } from './EndSessionsStep';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const PS = 'arn:aws:sso:::permissionSet/ssoins-1/ps-1';
const ADMIN = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'NoBilling', Effect: 'Deny', Action: 'aws-portal:*', Resource: '*' },
  ],
};
const EDITED = {
  Version: '2012-10-17',
  Statement: [
    ...ADMIN.Statement,
    { Sid: 'NoIam', Effect: 'Deny', Action: 'iam:*', Resource: '*' },
  ],
};

/** Identity Center's side: one inline policy, and a hook into each read. */
function fakeTarget(initial: string) {
  const target = {
    policy: initial,
    gets: 0,
    puts: [] as Array<string | undefined>,
    provisions: [] as string[],
    onGet: (_n: number) => {},
    async getInlinePolicy() {
      target.gets++;
      target.onGet(target.gets);
      return target.policy;
    },
    async putInlinePolicy(_arn: string, document: string | undefined) {
      target.puts.push(document);
      target.policy = document ?? '';
    },
    async provisionToAccount(_arn: string, accountId: string) {
      target.provisions.push(accountId);
      return { status: 'succeeded' as const };
    },
    async sessionDuration() {
      return 'PT1H';
    },
  };
  return target satisfies PermissionSetPolicies;
}

describe('EndSessionsStep', () => {
  let knex: Knex;
  let now: number;
  const clock = { now: () => new Date(now) };

  beforeEach(async () => {
    knex = await databases.init('SQLITE_3');
    await applyMigrations(knex);
    now = Date.UTC(2026, 10, 21, 10, 0, 0);
  });

  const setup = async (target: PermissionSetPolicies, owner = 'replica-a') => {
    const blocks = new SessionBlockStore(knex);
    await blocks.enqueue({
      requestId: 'r1',
      principalName: 'alice',
      accountId: '111111111111',
      permissionSetArn: PS,
      issuedBefore: new Date(now),
      now: new Date(now),
    });
    const step = new EndSessionsStep({
      blocks,
      requests: DatabaseRequestStore.create({ knex }),
      target,
      clock,
      logger: mockServices.logger.mock(),
      owner,
      lockWaitMs: 0,
    });
    return { blocks, step };
  };

  it("starts over when the admin edits the inline policy meanwhile, and keeps the admin's edit", async () => {
    const target = fakeTarget(JSON.stringify(ADMIN));
    // the admin saves a new statement between the read and the check before the put
    target.onGet = n => {
      if (n === 2) target.policy = JSON.stringify(EDITED);
    };
    const { blocks, step } = await setup(target);
    await step.run();
    expect(target.puts).toHaveLength(1);
    const doc = JSON.parse(target.policy);
    expect(doc.Statement.slice(0, 2)).toEqual(EDITED.Statement);
    expect(ownStatements(target.policy)).toHaveLength(1);
    expect(target.provisions).toEqual(['111111111111']);
    expect(await blocks.get('r1')).toMatchObject({
      status: 'active',
      removeAfter: '2026-11-21T11:00:00.000Z',
    });
  });

  it('waits while another replica holds the permission set, then does the work once', async () => {
    const target = fakeTarget(JSON.stringify(ADMIN));
    const { blocks, step } = await setup(target);
    expect(
      await blocks.lock(
        PS,
        'replica-b:x',
        new Date(now),
        new Date(now + 30_000),
      ),
    ).toBe(true);
    await step.run();
    expect(target.puts).toEqual([]);
    expect(await blocks.get('r1')).toMatchObject({ status: 'adding' });
    // the other replica is done (or its lock ran out)
    await blocks.unlock(PS, 'replica-b:x');
    now += 2_000;
    await step.run();
    expect(target.puts).toHaveLength(1);
    expect(await blocks.get('r1')).toMatchObject({ status: 'active' });
    await step.run();
    expect(target.puts).toHaveLength(1);
  });

  it('never overwrites an inline policy it cannot read; says so and retries', async () => {
    const target = fakeTarget('{"Version": "2012-10-17", "Statement": [');
    const { blocks, step } = await setup(target);
    await step.run();
    expect(target.puts).toEqual([]);
    expect(await blocks.get('r1')).toMatchObject({
      status: 'adding',
      attempts: 1,
      errorReason: expect.stringContaining('not valid JSON'),
    });
    const events = await DatabaseRequestStore.create({ knex }).events('r1');
    expect(events.map(e => e.action)).toEqual(['end-sessions-retry']);
  });
});
