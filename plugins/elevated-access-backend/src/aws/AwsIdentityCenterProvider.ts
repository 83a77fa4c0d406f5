import {
  CreateAccountAssignmentCommand,
  DeleteAccountAssignmentCommand,
  DescribeAccountAssignmentCreationStatusCommand,
  DescribeAccountAssignmentDeletionStatusCommand,
  DeleteInlinePolicyFromPermissionSetCommand,
  DescribePermissionSetCommand,
  DescribePermissionSetProvisioningStatusCommand,
  GetInlinePolicyForPermissionSetCommand,
  ProvisionPermissionSetCommand,
  PutInlinePolicyToPermissionSetCommand,
  ListInstancesCommand,
  paginateListAccountAssignmentsForPrincipal,
  paginateListPermissionSets,
  ResourceNotFoundException as SsoNotFound,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AccessAssignment,
  AccessOperationResult,
  AccessProvider,
  AccessTargets,
  AccessUser,
  TargetPermissionSet,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import type { PermissionSetPolicies } from '../jobs/EndSessionsStep';
import { AwsClients } from './clients';
import { abortableSleep, CallQueue, pacedClient } from './CallQueue';
import {
  IdentityCenterPrincipal,
  IdentityStorePrincipals,
} from './IdentityStorePrincipals';
import { OperationStatus, waitForOperation } from './operationStatus';
import { OrganizationTreeReader } from './OrganizationTreeReader';
import { allItems } from './pages';

export { OperationPendingError } from './operationStatus';

export interface AwsIdentityCenterProviderOptions {
  clients: AwsClients;
  /** Identity Center writes and status polls (and assignment reads). */
  queue: CallQueue;
  /** Identity Store lookups, which have quotas of their own. */
  readQueue?: CallQueue;
  /**
   * The queue of one AWS Organizations operation: Organizations throttles
   * each operation on its own, so each gets its own pace (default: 10 calls
   * per second each, in this process only).
   */
  organizationsQueue?: (operation: string) => CallQueue;
  logger: LoggerService;
  instanceArn?: string;
  identityStoreId?: string;
  userMapping: 'email' | 'name';
  /** How long to poll an assignment operation before giving up for this run. */
  pollTimeoutMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Grants and revokes access through IAM Identity Center account assignments,
 * and reads the organisation tree from AWS Organizations.
 *
 * Every assignment write and status poll goes through the shared CallQueue,
 * with the caller's abort signal (on the queue's waits, on the SDK's
 * request, and on the status polls' sleeps). A grant or revoke returns only
 * once Identity Center reports SUCCEEDED or FAILED, never on the
 * asynchronous "accepted" answer.
 */
export class AwsIdentityCenterProvider
  implements AccessProvider, PermissionSetPolicies
{
  readonly id = 'aws-identity-center';
  private instance?: Promise<{ instanceArn: string; identityStoreId: string }>;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly organization: OrganizationTreeReader;
  private readonly principals: IdentityStorePrincipals;

  constructor(private readonly options: AwsIdentityCenterProviderOptions) {
    this.sleep = options.sleep ?? abortableSleep;
    this.organization = new OrganizationTreeReader(
      options.clients.organizations,
      options.organizationsQueue,
    );
    this.principals = new IdentityStorePrincipals({
      identityStore: options.clients.identityStore,
      queue: options.readQueue ?? options.queue,
      identityStoreId: async () =>
        (await this.identityCenter()).identityStoreId,
      userMapping: options.userMapping,
    });
  }

  /** The SSO admin client through the Identity Center queue, with the caller's signal. */
  private ssoAdmin(options?: { signal?: AbortSignal }): SSOAdminClient {
    return pacedClient(
      this.options.clients.ssoAdmin,
      this.options.queue,
      options,
    );
  }

  /** The Identity Center instance: from config, else discovered with ListInstances. */
  identityCenter(): Promise<{ instanceArn: string; identityStoreId: string }> {
    if (!this.instance) {
      const { instanceArn, identityStoreId } = this.options;
      // shared by every caller: no one caller's signal ends it
      this.instance =
        instanceArn && identityStoreId
          ? Promise.resolve({ instanceArn, identityStoreId })
          : this.ssoAdmin()
              .send(new ListInstancesCommand({}))
              .then(res => {
                const found =
                  res.Instances?.find(
                    i => !instanceArn || i.InstanceArn === instanceArn,
                  ) ?? undefined;
                if (!found?.InstanceArn || !found.IdentityStoreId) {
                  throw new Error(
                    'No IAM Identity Center instance was found in this region',
                  );
                }
                return {
                  instanceArn: found.InstanceArn,
                  identityStoreId: identityStoreId ?? found.IdentityStoreId,
                };
              });
      this.instance.catch(() => {
        this.instance = undefined;
      });
    }
    return this.instance;
  }

  /**
   * The organisation tree and the permission sets; the permission sets are
   * read while the tree below the root is listed.
   */
  async getTargets(): Promise<AccessTargets> {
    const root = await this.organization.root();
    const [tree, permissionSets] = await Promise.all([
      this.organization.below(root),
      this.permissionSets(),
    ]);
    return {
      rootId: root.rootId,
      organizationalUnits: tree.organizationalUnits,
      accounts: tree.accounts,
      permissionSets,
      fetchedAt: new Date().toISOString(),
    };
  }

  private async permissionSets(): Promise<TargetPermissionSet[]> {
    const { instanceArn } = await this.identityCenter();
    // paced like every other Identity Center call (the client makes one
    // attempt per call: the queue retries)
    const ssoAdmin = this.ssoAdmin();
    const arns = await allItems(
      paginateListPermissionSets(
        { client: ssoAdmin },
        { InstanceArn: instanceArn },
      ),
      page => page.PermissionSets,
    );
    // reads share the write queue's rate budget (Identity Center counts
    // both); queued at once, the queue paces them
    return Promise.all(
      arns.map(async arn => {
        const res = await ssoAdmin.send(
          new DescribePermissionSetCommand({
            InstanceArn: instanceArn,
            PermissionSetArn: arn,
          }),
        );
        const ps = res.PermissionSet;
        return {
          arn,
          name: ps?.Name ?? arn,
          description: ps?.Description,
          sessionDuration: ps?.SessionDuration,
        };
      }),
    );
  }

  /**
   * The Identity Center user of a Backstage user: the
   * `aws.amazon.com/identity-center-user-name` annotation when present, else
   * the catalog email or name (config `identity.userMapping`).
   */
  resolvePrincipal(
    user: AccessUser,
  ): Promise<IdentityCenterPrincipal | undefined> {
    return this.principals.resolve(user);
  }

  async hasAssignment(
    assignment: AccessAssignment,
    options?: { signal?: AbortSignal },
  ): Promise<boolean> {
    const { instanceArn } = await this.identityCenter();
    const pages = paginateListAccountAssignmentsForPrincipal(
      { client: this.ssoAdmin(options) },
      {
        InstanceArn: instanceArn,
        PrincipalId: assignment.principalId,
        PrincipalType: 'USER',
        Filter: { AccountId: assignment.accountId },
      },
    );
    for await (const page of pages) {
      if (
        page.AccountAssignments?.some(
          a =>
            a.AccountId === assignment.accountId &&
            a.PermissionSetArn === assignment.permissionSetArn,
        )
      ) {
        return true;
      }
    }
    return false;
  }

  async grant(
    assignment: AccessAssignment,
    options?: { signal?: AbortSignal },
  ): Promise<AccessOperationResult> {
    const { instanceArn } = await this.identityCenter();
    const ssoAdmin = this.ssoAdmin(options);
    return this.options.queue.operation(async () => {
      const res = await ssoAdmin.send(
        new CreateAccountAssignmentCommand(
          assignmentInput(instanceArn, assignment),
        ),
      );
      return this.waitFor(
        res.AccountAssignmentCreationStatus,
        requestId =>
          ssoAdmin
            .send(
              new DescribeAccountAssignmentCreationStatusCommand({
                InstanceArn: instanceArn,
                AccountAssignmentCreationRequestId: requestId,
              }),
            )
            .then(r => r.AccountAssignmentCreationStatus),
        options?.signal,
      );
    });
  }

  async revoke(
    assignment: AccessAssignment,
    options?: { signal?: AbortSignal },
  ): Promise<AccessOperationResult> {
    const { instanceArn } = await this.identityCenter();
    const ssoAdmin = this.ssoAdmin(options);
    return this.options.queue.operation(async () => {
      let res;
      try {
        res = await ssoAdmin.send(
          new DeleteAccountAssignmentCommand(
            assignmentInput(instanceArn, assignment),
          ),
        );
      } catch (e) {
        // already gone (e.g. a retry after a crash): the goal is reached
        if (e instanceof SsoNotFound) return { status: 'succeeded' };
        throw e;
      }
      return this.waitFor(
        res.AccountAssignmentDeletionStatus,
        requestId =>
          ssoAdmin
            .send(
              new DescribeAccountAssignmentDeletionStatusCommand({
                InstanceArn: instanceArn,
                AccountAssignmentDeletionRequestId: requestId,
              }),
            )
            .then(r => r.AccountAssignmentDeletionStatus),
        options?.signal,
      );
    });
  }

  /** The permission set's inline policy ('' when it has none). */
  async getInlinePolicy(
    permissionSetArn: string,
    options?: { signal?: AbortSignal },
  ): Promise<string> {
    const { instanceArn } = await this.identityCenter();
    const res = await this.ssoAdmin(options).send(
      new GetInlinePolicyForPermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: permissionSetArn,
      }),
    );
    return res.InlinePolicy ?? '';
  }

  /** Puts the inline policy, or deletes it when `document` is undefined. */
  async putInlinePolicy(
    permissionSetArn: string,
    document: string | undefined,
    options?: { signal?: AbortSignal },
  ): Promise<void> {
    const { instanceArn } = await this.identityCenter();
    const ssoAdmin = this.ssoAdmin(options);
    if (document === undefined) {
      await ssoAdmin.send(
        new DeleteInlinePolicyFromPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: permissionSetArn,
        }),
      );
    } else {
      await ssoAdmin.send(
        new PutInlinePolicyToPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: permissionSetArn,
          InlinePolicy: document,
        }),
      );
    }
  }

  /** The permission set's session duration (ISO 8601, e.g. PT1H). */
  async sessionDuration(
    permissionSetArn: string,
    options?: { signal?: AbortSignal },
  ): Promise<string | undefined> {
    const { instanceArn } = await this.identityCenter();
    const res = await this.ssoAdmin(options).send(
      new DescribePermissionSetCommand({
        InstanceArn: instanceArn,
        PermissionSetArn: permissionSetArn,
      }),
    );
    return res.PermissionSet?.SessionDuration;
  }

  /**
   * Provisions the permission set to one account and polls the provisioning
   * to SUCCEEDED or FAILED, through the same queue as assignments.
   */
  async provisionToAccount(
    permissionSetArn: string,
    accountId: string,
    options?: { signal?: AbortSignal },
  ): Promise<AccessOperationResult> {
    const { instanceArn } = await this.identityCenter();
    const ssoAdmin = this.ssoAdmin(options);
    return this.options.queue.operation(async () => {
      const res = await ssoAdmin.send(
        new ProvisionPermissionSetCommand({
          InstanceArn: instanceArn,
          PermissionSetArn: permissionSetArn,
          TargetType: 'AWS_ACCOUNT',
          TargetId: accountId,
        }),
      );
      return this.waitFor(
        res.PermissionSetProvisioningStatus,
        requestId =>
          ssoAdmin
            .send(
              new DescribePermissionSetProvisioningStatusCommand({
                InstanceArn: instanceArn,
                ProvisionPermissionSetRequestId: requestId,
              }),
            )
            .then(r => r.PermissionSetProvisioningStatus),
        options?.signal,
      );
    });
  }

  /** Polls an operation until SUCCEEDED or FAILED (see waitForOperation). */
  private waitFor(
    initial: OperationStatus | undefined,
    describe: (requestId: string) => Promise<OperationStatus | undefined>,
    signal?: AbortSignal,
  ): Promise<AccessOperationResult> {
    return waitForOperation(initial, describe, {
      timeoutMs: this.options.pollTimeoutMs ?? 120_000,
      sleep: this.sleep,
      signal,
    });
  }
}

/** The account assignment that grants and revocations name. */
function assignmentInput(instanceArn: string, assignment: AccessAssignment) {
  return {
    InstanceArn: instanceArn,
    TargetId: assignment.accountId,
    TargetType: 'AWS_ACCOUNT',
    PermissionSetArn: assignment.permissionSetArn,
    PrincipalType: 'USER',
    PrincipalId: assignment.principalId,
  } as const;
}
