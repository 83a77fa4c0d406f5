import {
  CloseAccountCommand,
  DescribeOrganizationCommand,
  MoveAccountCommand,
  OrganizationsClient,
  RemoveAccountFromOrganizationCommand,
  TagResourceCommand,
} from '@aws-sdk/client-organizations';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  EntityProviderConnection,
  EntityProviderMutation,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  RunningSandbox,
  SandboxSeed,
  startSandbox,
} from '@internal/aws-sandbox';
import { AwsOrganizationEntityProvider } from './AwsOrganizationEntityProvider';
import { AwsOrganizationReader } from './AwsOrganizationReader';
import { CatalogModuleSettings } from './config';

jest.setTimeout(120_000);

/*
 * The provider against the AWS sandbox over the wire: the demo organisation
 * (tools/aws-sandbox seed: payments-prod and payments-dev tagged
 * owner=payments-team, system=payments) read with the real SDK client.
 */

process.env.AWS_ACCESS_KEY_ID = 'sandbox';
process.env.AWS_SECRET_ACCESS_KEY = 'sandbox';
process.env.AWS_EC2_METADATA_DISABLED = 'true';

/** Keeps every mutation the provider applies. */
class RecordingConnection implements EntityProviderConnection {
  readonly mutations: EntityProviderMutation[] = [];

  async applyMutation(mutation: EntityProviderMutation): Promise<void> {
    this.mutations.push(mutation);
  }

  async refresh(): Promise<void> {}

  /** The entities of the last full mutation. */
  last(): Entity[] {
    const mutation = this.mutations[this.mutations.length - 1];
    if (mutation?.type !== 'full') throw new Error('no full mutation yet');
    return mutation.entities.map(e => e.entity);
  }
}

describe('AwsOrganizationEntityProvider on the AWS sandbox', () => {
  let sandbox: RunningSandbox;
  let seed: SandboxSeed;
  let organizations: OrganizationsClient;

  beforeAll(async () => {
    sandbox = await startSandbox({ seed: false });
    organizations = new OrganizationsClient(sandbox.clientConfig());
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  beforeEach(async () => {
    await sandbox.reset();
    seed = await sandbox.seedDemo();
  });

  function settings(
    overrides?: Partial<CatalogModuleSettings>,
  ): CatalogModuleSettings {
    return {
      mode: 'provide',
      ownerTag: 'owner',
      defaultOwner: 'group:default/platform-leads',
      systemTag: 'system',
      sensitiveTag: 'sensitive',
      aws: { region: 'us-east-1', endpoint: sandbox.url, maxAttempts: 10 },
      refresh: { minutes: 15 },
      ...overrides,
    };
  }

  async function connectProvider(options?: {
    settings?: Partial<CatalogModuleSettings>;
    existing?: Entity[];
  }) {
    const s = settings(options?.settings);
    const scheduler = mockServices.scheduler.mock();
    const provider = new AwsOrganizationEntityProvider({
      settings: s,
      reader: new AwsOrganizationReader(s.aws),
      catalog: catalogServiceMock({ entities: options?.existing ?? [] }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      scheduler,
    });
    const connection = new RecordingConnection();
    await provider.connect(connection);
    return { provider, connection, scheduler };
  }

  function accountEntity(entities: Entity[], accountId: string) {
    return entities.find(
      e => e.metadata.annotations?.['aws.amazon.com/account-id'] === accountId,
    );
  }

  /** The written entities that stand for accounts. */
  function accountEntities(entities: Entity[]) {
    return entities.filter(e => e.spec?.type === 'aws-account');
  }

  /** The names of the written accounts, sorted. */
  function accountNames(entities: Entity[]) {
    return accountEntities(entities)
      .map(e => e.metadata.name)
      .sort();
  }

  it('writes every active account and OU, the owner and system from the tags', async () => {
    const { provider, connection, scheduler } = await connectProvider();
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'elevated-access-aws-organization:refresh',
        frequency: { minutes: 15 },
        initialDelay: { seconds: 5 },
        scope: 'global',
      }),
    );
    await provider.refresh();

    const entities = connection.last();
    expect(accountNames(entities)).toEqual(Object.keys(seed.accounts).sort());
    expect(
      entities
        .filter(e => e.spec?.type === 'aws-organizational-unit')
        .map(e => e.metadata.title)
        .sort(),
    ).toEqual(Object.keys(seed.ous).sort());

    const paymentsProd = accountEntity(
      entities,
      seed.accounts['payments-prod'],
    )!;
    expect(paymentsProd.metadata.name).toBe('payments-prod');
    expect(paymentsProd.spec).toEqual({
      type: 'aws-account',
      owner: 'group:default/payments-team',
      system: 'payments',
      dependsOn: ['resource:default/ou-production'],
    });
    expect(paymentsProd.metadata.annotations).toMatchObject({
      'aws.amazon.com/organizational-unit-id': seed.ous.Production,
      'aws.amazon.com/organizational-unit-path': 'Workloads/Production',
    });
    expect(
      accountEntity(entities, seed.accounts['payments-dev'])!.spec?.owner,
    ).toBe('group:default/payments-team');
    expect(accountEntity(entities, seed.accounts.audit)!.spec?.owner).toBe(
      'group:default/platform-leads',
    );
    const master = accountEntity(entities, seed.managementAccountId)!;
    expect(
      master.metadata.annotations?.['aws.amazon.com/management-account'],
    ).toBe('true');

    const { Organization } = await organizations.send(
      new DescribeOrganizationCommand({}),
    );
    const location = `elevated-access-aws-organization:${Organization!.Id}`;
    const mutation = connection.mutations[0];
    expect(mutation.type === 'full' && mutation.entities[0].locationKey).toBe(
      location,
    );
  });

  it('follows tags changed in AWS, an OU tag marking its accounts sensitive', async () => {
    const { provider, connection } = await connectProvider();
    await organizations.send(
      new TagResourceCommand({
        ResourceId: seed.ous.Security,
        Tags: [
          { Key: 'owner', Value: 'security-auditors' },
          { Key: 'sensitive', Value: 'true' },
        ],
      }),
    );
    await provider.refresh();
    const audit = accountEntity(connection.last(), seed.accounts.audit)!;
    expect(audit.spec?.owner).toBe('group:default/security-auditors');
    expect(audit.metadata.annotations?.['elevated-access/sensitive']).toBe(
      'true',
    );
  });

  it('gives an account moved to another OU its new OU annotations', async () => {
    const { provider, connection } = await connectProvider();
    await provider.refresh();
    const before = accountEntity(connection.last(), seed.accounts['data-dev'])!;
    expect(before.metadata.annotations).toMatchObject({
      'aws.amazon.com/organizational-unit-id': seed.ous.Development,
      'aws.amazon.com/organizational-unit-path': 'Workloads/Development',
    });

    await organizations.send(
      new MoveAccountCommand({
        AccountId: seed.accounts['data-dev'],
        SourceParentId: seed.ous.Development,
        DestinationParentId: seed.ous.Security,
      }),
    );
    await provider.refresh();

    const after = accountEntity(connection.last(), seed.accounts['data-dev'])!;
    expect(after.metadata.annotations).toMatchObject({
      'aws.amazon.com/organizational-unit-id': seed.ous.Security,
      'aws.amazon.com/organizational-unit-path': 'Security',
    });
    expect(after.spec?.dependsOn).toEqual(['resource:default/ou-security']);
  });

  it('drops the entity of an account that left the organisation or was closed', async () => {
    const { provider, connection } = await connectProvider();
    await provider.refresh();
    expect(
      accountEntity(connection.last(), seed.accounts['data-prod']),
    ).toBeDefined();
    expect(accountEntity(connection.last(), seed.accounts.audit)).toBeDefined();

    await organizations.send(
      new RemoveAccountFromOrganizationCommand({
        AccountId: seed.accounts['data-prod'],
      }),
    );
    await organizations.send(
      new CloseAccountCommand({ AccountId: seed.accounts.audit }),
    );
    await provider.refresh();

    const entities = connection.last();
    expect(accountEntity(entities, seed.accounts['data-prod'])).toBeUndefined();
    expect(accountEntity(entities, seed.accounts.audit)).toBeUndefined();
    // a full mutation: the catalog removes what is no longer in it
    expect(connection.mutations.map(m => m.type)).toEqual(['full', 'full']);
    expect(accountNames(entities)).toEqual([
      'data-dev',
      'master',
      'payments-dev',
      'payments-prod',
    ]);
  });

  it('links accounts that existing entities already stand for instead of writing them', async () => {
    const existing: Entity[] = [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'payments-production-account',
          annotations: {
            'aws.amazon.com/account-id': seed.accounts['payments-prod'],
            'backstage.io/managed-by-location':
              'url:https://example.com/catalog-info.yaml',
          },
        },
        spec: { type: 'aws-account', owner: 'group:default/payments-team' },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        metadata: {
          name: 'from-the-aws-catalog-module',
          annotations: { 'amazonaws.com/account-id': seed.accounts.audit },
        },
        spec: { type: 'aws-account', owner: 'group:default/security-auditors' },
      },
    ];
    const { provider, connection } = await connectProvider({ existing });
    await provider.refresh();

    const entities = connection.last();
    expect(
      accountEntity(entities, seed.accounts['payments-prod']),
    ).toBeUndefined();
    expect(accountEntity(entities, seed.accounts.audit)).toBeUndefined();
    expect(accountNames(entities)).toEqual([
      'data-dev',
      'data-prod',
      'master',
      'payments-dev',
    ]);
  });

  it('writes every account when the catalog cannot be read', async () => {
    const s = settings();
    const catalog = catalogServiceMock();
    jest
      .spyOn(catalog, 'getEntities')
      .mockRejectedValue(new Error('catalog unavailable'));
    const logger = mockServices.logger.mock();
    const provider = new AwsOrganizationEntityProvider({
      settings: s,
      reader: new AwsOrganizationReader(s.aws),
      catalog,
      auth: mockServices.auth(),
      logger,
      scheduler: mockServices.scheduler.mock(),
    });
    const connection = new RecordingConnection();
    await provider.connect(connection);
    await provider.refresh();
    expect(accountEntities(connection.last())).toHaveLength(
      Object.keys(seed.accounts).length,
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Could not read the catalog'),
    );
  });

  it('rides out Organizations throttling with the SDK retry strategy', async () => {
    // one call a second and no burst: the reader's concurrent tag reads
    // (several in flight at once) meet throttling however fast the machine is
    await sandbox.setFaults({
      organizationsCallsPerSecond: 1,
      organizationsBurst: 1,
    });
    await sandbox.clearCalls();
    try {
      const { provider, connection } = await connectProvider();
      await provider.refresh();
      expect(accountEntities(connection.last())).toHaveLength(
        Object.keys(seed.accounts).length,
      );
    } finally {
      await sandbox.clearFaults();
    }
    const tagCalls = await sandbox.calls({
      operations: ['ListTagsForResource'],
    });
    expect(
      tagCalls.filter(c => c.error === 'TooManyRequestsException').length,
    ).toBeGreaterThan(0);
  });

  it('writes nothing and reads nothing from AWS in link mode', async () => {
    await sandbox.clearCalls();
    const { provider, connection, scheduler } = await connectProvider({
      settings: { mode: 'link' },
    });
    await provider.refresh();
    expect(connection.mutations).toEqual([{ type: 'full', entities: [] }]);
    expect(scheduler.scheduleTask).not.toHaveBeenCalled();
    expect(
      await sandbox.calls({ operations: ['ListAccountsForParent'] }),
    ).toEqual([]);
  });
});
