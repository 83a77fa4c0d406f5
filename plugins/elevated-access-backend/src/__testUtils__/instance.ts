import {
  CreateUserCommand,
  IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node';
import { SandboxControl } from '@internal/aws-sandbox';
import { Knex } from 'knex';
import { readElevatedAccessConfig } from '../config';
import { Clock } from '../service/Clock';
import {
  createElevatedAccess,
  ElevatedAccessDeps,
} from '../service/createElevatedAccess';

/**
 * The plugin's internals as a test builds them: `elevatedAccess` as its
 * config, Backstage's mock services, a no-op auditor and a catalog holding
 * `entities`. Requests may be inserted as approved without policies
 * (eligibility is not re-checked at grant). Whatever else a test needs (its
 * provider, clock, replica name, a recording auditor…) replaces the default.
 * No jest mocks by default: this also runs in a plain child process.
 */
export function createTestElevatedAccess(
  options: {
    knex: Knex;
    entities: Entity[];
    elevatedAccess?: JsonObject;
  } & Partial<Omit<ElevatedAccessDeps, 'config' | 'knex' | 'catalog'>>,
) {
  const { entities, elevatedAccess = {}, ...deps } = options;
  return createElevatedAccess({
    config: readElevatedAccessConfig(new ConfigReader({ elevatedAccess })),
    logger: mockServices.rootLogger({ level: 'warn' }),
    httpAuth: mockServices.httpAuth(),
    userInfo: mockServices.userInfo(),
    auth: mockServices.auth(),
    permissions: mockServices.permissions(),
    auditor: {
      createEvent: async () => ({
        success: async () => {},
        fail: async () => {},
      }),
    },
    catalog: catalogServiceMock({ entities }),
    recheckEligibilityAtGrant: false,
    ...deps,
  });
}

/**
 * One instance of the plugin's internals on a database and the AWS sandbox,
 * as a backend replica would run them; several on one database are several
 * replicas.
 */
export async function createTestInstance(options: {
  knex: Knex;
  sandboxUrl: string;
  instanceId: string;
  entities: Entity[];
  clock?: Clock;
  leaseMs?: number;
  skipMigrations?: boolean;
  /** Identity Center queue limits (default 10 in flight, 20 calls/s). */
  limits?: { maxInFlight: number; callsPerSecond: number };
  /** Wraps the instance's own AWS provider (e.g. to die after a call). */
  wrapProvider?: (provider: AccessProvider) => AccessProvider;
}) {
  process.env.AWS_ACCESS_KEY_ID ??= 'sandbox';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'sandbox';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const { sandboxUrl, limits, wrapProvider, ...deps } = options;
  const instance = {
    ...deps,
    elevatedAccess: {
      aws: {
        region: 'us-east-1',
        endpoint: sandboxUrl,
        ...(limits && { limits: { ...limits } }),
      },
    },
  };
  if (!wrapProvider) return createTestElevatedAccess(instance);
  // build once to get the default AWS provider, then again around the wrapper
  const plain = await createTestElevatedAccess({
    ...instance,
    skipMigrations: true,
  });
  return createTestElevatedAccess({
    ...instance,
    accessProvider: wrapProvider(plain.aws.accessProvider),
  });
}

/** A catalog user whose email matches an Identity Center user of the sandbox. */
export function catalogUser(name: string, groups: string[] = []): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { profile: { email: `${name}@example.com` }, memberOf: groups },
  };
}

/**
 * Identity Center users in the sandbox, one per name, with the email that
 * `catalogUser(name)` gives the matching catalog user.
 */
export async function createSandboxUsers(
  sandbox: Pick<SandboxControl, 'clientConfig'>,
  identityStoreId: string,
  names: string[],
): Promise<void> {
  const identityStore = new IdentitystoreClient(sandbox.clientConfig());
  for (const name of names) {
    await identityStore.send(
      new CreateUserCommand({
        IdentityStoreId: identityStoreId,
        UserName: name,
        DisplayName: name,
        Name: { GivenName: name, FamilyName: 'Test' },
        Emails: [{ Value: `${name}@example.com`, Primary: true }],
      }),
    );
  }
}
