import { TestDatabases } from '@backstage/backend-test-utils';
import { AccessTargets } from '@elevated-access/backstage-plugin-elevated-access-node';
import { InMemoryAccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node/testUtils';
import { ACCOUNT, demoTargets } from '../__testUtils__/fixtures';
import { powerUserRequest, seedDemoPolicies } from '../__testUtils__/scenarios';
import {
  ElevatedAccessTestBackend,
  startElevatedAccess,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** A provider whose reads of the organisation wait on promises the test settles. */
class HeldTargetsProvider extends InMemoryAccessProvider {
  reads = 0;
  private held?: {
    promise: Promise<AccessTargets>;
    resolve: (t: AccessTargets) => void;
    reject: (e: Error) => void;
  };

  /** The next reads wait until `release` or `fail`. */
  hold() {
    let resolve!: (t: AccessTargets) => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<AccessTargets>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.held = { promise, resolve, reject };
  }

  release(targets: AccessTargets) {
    const held = this.held!;
    this.held = undefined;
    held.resolve(targets);
  }

  fail(error: Error) {
    const held = this.held!;
    this.held = undefined;
    held.reject(error);
  }

  async getTargets(): Promise<AccessTargets> {
    this.reads++;
    if (this.held) return this.held.promise;
    return super.getTargets();
  }
}

const accountNames = (body: { accounts: Array<{ name: string }> }) =>
  body.accounts.map(a => a.name).sort();

describe('organisation refresh', () => {
  let api: ElevatedAccessTestBackend;
  let provider: HeldTargetsProvider;

  beforeEach(async () => {
    provider = new HeldTargetsProvider(demoTargets());
    api = await startElevatedAccess({
      knex: await databases.init('SQLITE_3'),
      provider,
      // a max age of zero: every tree is already stale, so each request
      // would wait for a refresh if requests waited for refreshes at all
      config: { aws: { organizationRefresh: { milliseconds: 0 } } },
    });
    await seedDemoPolicies(api);
  });
  afterEach(() => api.stop());

  it('answers eligibility and creates requests from the last good tree while a refresh runs', async () => {
    const before = await api.get('alice', '/eligibility');
    expect(before.status).toBe(200);
    expect(accountNames(before.body)).toEqual([
      'data-dev',
      'data-prod',
      'payments-dev',
      'payments-prod',
    ]);

    provider.hold();
    const readsBefore = provider.reads;
    const refresh = api.runTask('organization');
    expect(provider.reads).toBe(readsBefore + 1); // the refresh is waiting

    const during = await api.get('alice', '/eligibility');
    expect(during.status).toBe(200);
    expect(during.body).toEqual(before.body);
    const created = await api.post('alice', '/requests', powerUserRequest);
    expect(created.status).toBe(201);
    expect(created.body.accountName).toBe('payments-prod');
    // requests joined the refresh under way instead of starting others
    expect(provider.reads).toBe(readsBefore + 1);

    // payments-prod is renamed in AWS: the new tree serves once read
    const renamed = demoTargets();
    renamed.accounts.find(a => a.id === ACCOUNT['payments-prod'])!.name =
      'payments-production';
    provider.release(renamed);
    await refresh;
    (provider as any).targets = renamed;
    const after = await api.get('alice', '/eligibility');
    expect(accountNames(after.body)).toEqual([
      'data-dev',
      'data-prod',
      'payments-dev',
      'payments-production',
    ]);
  });

  it('keeps the last good tree when a refresh fails', async () => {
    const before = await api.get('alice', '/eligibility');
    expect(before.status).toBe(200);

    provider.hold();
    const refresh = api.runTask('organization');
    provider.fail(new Error('TooManyRequestsException: Rate exceeded'));
    await expect(refresh).rejects.toThrow(/TooManyRequestsException/);

    const after = await api.get('alice', '/eligibility');
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before.body);
    const created = await api.post('alice', '/requests', powerUserRequest);
    expect(created.status).toBe(201);
  });
});
