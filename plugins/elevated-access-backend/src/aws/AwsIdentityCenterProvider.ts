import {
  DescribeUserCommand,
  GetUserIdCommand,
  ResourceNotFoundException as IdentityStoreNotFound,
} from '@aws-sdk/client-identitystore';
import {
  Account,
  DescribeOrganizationCommand,
  ListRootsCommand,
  OrganizationalUnit,
  OrganizationsClient,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
} from '@aws-sdk/client-organizations';
import {
  AccountAssignmentOperationStatus,
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
} from '@aws-sdk/client-sso-admin';
import { LoggerService } from '@backstage/backend-plugin-api';
import { IDENTITY_CENTER_USER_NAME_ANNOTATION } from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  AccessAssignment,
  AccessOperationResult,
  AccessProvider,
  AccessTargets,
  AccessUser,
  TargetAccount,
  TargetOrganizationalUnit,
  TargetPermissionSet,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import type { PermissionSetPolicies } from '../jobs/EndSessionsStep';
import { AwsClients } from './clients';
import {
  abortableSleep,
  CallQueue,
  monotonicMs,
  pacedClient,
} from './CallQueue';

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

/** What assignment and provisioning operations report. */
type OperationStatus = Pick<
  AccountAssignmentOperationStatus,
  'RequestId' | 'Status' | 'FailureReason'
>;

/** The most an Organizations list call returns in one page (AWS's cap). */
const ORGANIZATIONS_PAGE_SIZE = 20;

/** Every item of every page, in order. */
async function allItems<P, T>(
  pages: AsyncIterable<P>,
  items: (page: P) => T[] | undefined,
): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}

/** An operation that did not finish in time; the lifecycle retries it later. */
export class OperationPendingError extends Error {
  name = 'OperationPendingError';
}

/**
 * Grants and revokes access through IAM Identity Center account assignments,
 * and reads the organisation tree from AWS Organizations.
 *
 * Every assignment write and status poll goes through the shared CallQueue.
 * A grant or revoke returns only once Identity Center reports SUCCEEDED or
 * FAILED, never on the asynchronous "accepted" answer.
 */
export class AwsIdentityCenterProvider
  implements AccessProvider, PermissionSetPolicies
{
  readonly id = 'aws-identity-center';
  private instance?: Promise<{ instanceArn: string; identityStoreId: string }>;
  private readonly principals = new Map<
    string,
    { principalId: string; userName: string }
  >();
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly organizationsQueues = new Map<string, CallQueue>();

  constructor(private readonly options: AwsIdentityCenterProviderOptions) {
    this.sleep = options.sleep ?? abortableSleep;
  }

  /**
   * The Organizations client for one operation: each of its calls (each
   * page of a paginator too) is paced and retried by that operation's queue.
   */
  private organizationsFor(operation: string): OrganizationsClient {
    let queue = this.organizationsQueues.get(operation);
    if (!queue) {
      queue =
        this.options.organizationsQueue?.(operation) ??
        new CallQueue({ maxInFlight: 10, callsPerSecond: 10 });
      this.organizationsQueues.set(operation, queue);
    }
    return pacedClient(this.options.clients.organizations, queue);
  }

  /** The Identity Center instance: from config, else discovered with ListInstances. */
  identityCenter(): Promise<{ instanceArn: string; identityStoreId: string }> {
    if (!this.instance) {
      const { instanceArn, identityStoreId, clients, queue } = this.options;
      this.instance =
        instanceArn && identityStoreId
          ? Promise.resolve({ instanceArn, identityStoreId })
          : pacedClient(clients.ssoAdmin, queue)
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
   * The organisation tree and the permission sets. Every parent's OUs and
   * accounts are listed as soon as the parent is known, so the calls of the
   * whole tree queue up at once and each operation's queue keeps its pace
   * (the refresh then takes about the calls of its busiest operation divided
   * by that pace); the permission sets are read meanwhile.
   */
  async getTargets(): Promise<AccessTargets> {
    const [org, roots] = await Promise.all([
      this.organizationsFor('DescribeOrganization').send(
        new DescribeOrganizationCommand({}),
      ),
      this.organizationsFor('ListRoots').send(new ListRootsCommand({})),
    ]);
    const managementAccountId = org.Organization?.MasterAccountId;
    const rootId = roots.Roots?.[0]?.Id;
    if (!rootId) throw new Error('The organisation has no root');

    const children = new Map<
      string,
      { ous: OrganizationalUnit[]; accounts: Account[] }
    >();
    const visit = async (parentId: string): Promise<void> => {
      const [ous, accounts] = await Promise.all([
        allItems(
          paginateListOrganizationalUnitsForParent(
            {
              client: this.organizationsFor('ListOrganizationalUnitsForParent'),
              pageSize: ORGANIZATIONS_PAGE_SIZE,
            },
            { ParentId: parentId },
          ),
          page => page.OrganizationalUnits,
        ),
        allItems(
          paginateListAccountsForParent(
            {
              client: this.organizationsFor('ListAccountsForParent'),
              pageSize: ORGANIZATIONS_PAGE_SIZE,
            },
            { ParentId: parentId },
          ),
          page => page.Accounts,
        ),
      ]);
      children.set(parentId, { ous, accounts });
      await Promise.all(ous.map(ou => visit(ou.Id!)));
    };
    const [, permissionSets] = await Promise.all([
      visit(rootId),
      this.permissionSets(),
    ]);

    // breadth-first, as the tree was always listed (stable order for callers)
    const ous: TargetOrganizationalUnit[] = [];
    const accounts: TargetAccount[] = [];
    const parents = [rootId];
    while (parents.length) {
      const parentId = parents.shift()!;
      const found = children.get(parentId)!;
      for (const ou of found.ous) {
        ous.push({ id: ou.Id!, name: ou.Name ?? ou.Id!, parentId });
        parents.push(ou.Id!);
      }
      for (const a of found.accounts) {
        const state = a.State ?? a.Status;
        if (state && state !== 'ACTIVE') continue;
        accounts.push({
          id: a.Id!,
          name: a.Name ?? a.Id!,
          parentId,
          isManagementAccount: a.Id === managementAccountId,
        });
      }
    }
    return {
      rootId,
      organizationalUnits: ous,
      accounts,
      permissionSets,
      fetchedAt: new Date().toISOString(),
    };
  }

  private async permissionSets(): Promise<TargetPermissionSet[]> {
    const { instanceArn } = await this.identityCenter();
    const { ssoAdmin } = this.options.clients;
    // paced like every other Identity Center call (the client makes one
    // attempt per call: the queue retries)
    const arns = await allItems(
      paginateListPermissionSets(
        { client: pacedClient(ssoAdmin, this.options.queue) },
        { InstanceArn: instanceArn },
      ),
      page => page.PermissionSets,
    );
    // reads share the write queue's rate budget (Identity Center counts
    // both); queued at once, the queue paces them
    return Promise.all(
      arns.map(async arn => {
        const res = await this.options.queue.call(() =>
          ssoAdmin.send(
            new DescribePermissionSetCommand({
              InstanceArn: instanceArn,
              PermissionSetArn: arn,
            }),
          ),
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
  async resolvePrincipal(
    user: AccessUser,
  ): Promise<{ principalId: string; userName: string } | undefined> {
    const cached = this.principals.get(user.userEntityRef);
    if (cached) return cached;
    const annotated = user.annotations[IDENTITY_CENTER_USER_NAME_ANNOTATION];
    let attribute: { AttributePath: string; AttributeValue: string };
    if (annotated || this.options.userMapping === 'name') {
      attribute = {
        AttributePath: 'userName',
        AttributeValue: annotated || user.name,
      };
    } else if (user.email) {
      attribute = { AttributePath: 'emails.value', AttributeValue: user.email };
    } else {
      return undefined;
    }
    const { identityStoreId } = await this.identityCenter();
    const reads = this.options.readQueue ?? this.options.queue;
    try {
      const res = await reads.call(() =>
        this.options.clients.identityStore.send(
          new GetUserIdCommand({
            IdentityStoreId: identityStoreId,
            AlternateIdentifier: { UniqueAttribute: attribute },
          }),
        ),
      );
      const found = {
        principalId: res.UserId!,
        userName: annotated || user.name,
      };
      if (attribute.AttributePath === 'emails.value') {
        // CloudTrail records the Identity Center user name, not the email
        found.userName = await this.userName(
          identityStoreId,
          res.UserId!,
          user.name,
        );
      }
      this.principals.set(user.userEntityRef, found);
      return found;
    } catch (e) {
      if (e instanceof IdentityStoreNotFound) return undefined;
      throw e;
    }
  }

  private async userName(
    identityStoreId: string,
    userId: string,
    fallback: string,
  ) {
    const reads = this.options.readQueue ?? this.options.queue;
    const res = await reads.call(() =>
      this.options.clients.identityStore.send(
        new DescribeUserCommand({
          IdentityStoreId: identityStoreId,
          UserId: userId,
        }),
      ),
    );
    return res.UserName ?? fallback;
  }

  async hasAssignment(
    assignment: AccessAssignment,
    options?: { signal?: AbortSignal },
  ): Promise<boolean> {
    const { instanceArn } = await this.identityCenter();
    const pages = paginateListAccountAssignmentsForPrincipal(
      {
        client: pacedClient(
          this.options.clients.ssoAdmin,
          this.options.queue,
          options,
        ),
      },
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
    const { ssoAdmin } = this.options.clients;
    return this.options.queue.operation(async () => {
      const res = await this.options.queue.call(
        () =>
          ssoAdmin.send(
            new CreateAccountAssignmentCommand({
              InstanceArn: instanceArn,
              TargetId: assignment.accountId,
              TargetType: 'AWS_ACCOUNT',
              PermissionSetArn: assignment.permissionSetArn,
              PrincipalType: 'USER',
              PrincipalId: assignment.principalId,
            }),
          ),
        options,
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
    const { ssoAdmin } = this.options.clients;
    return this.options.queue.operation(async () => {
      let res;
      try {
        res = await this.options.queue.call(
          () =>
            ssoAdmin.send(
              new DeleteAccountAssignmentCommand({
                InstanceArn: instanceArn,
                TargetId: assignment.accountId,
                TargetType: 'AWS_ACCOUNT',
                PermissionSetArn: assignment.permissionSetArn,
                PrincipalType: 'USER',
                PrincipalId: assignment.principalId,
              }),
            ),
          options,
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
    const res = await this.options.queue.call(
      () =>
        this.options.clients.ssoAdmin.send(
          new GetInlinePolicyForPermissionSetCommand({
            InstanceArn: instanceArn,
            PermissionSetArn: permissionSetArn,
          }),
        ),
      options,
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
    const { ssoAdmin } = this.options.clients;
    await this.options.queue.call(
      () =>
        document === undefined
          ? ssoAdmin.send(
              new DeleteInlinePolicyFromPermissionSetCommand({
                InstanceArn: instanceArn,
                PermissionSetArn: permissionSetArn,
              }),
            )
          : ssoAdmin.send(
              new PutInlinePolicyToPermissionSetCommand({
                InstanceArn: instanceArn,
                PermissionSetArn: permissionSetArn,
                InlinePolicy: document,
              }),
            ),
      options,
    );
  }

  /** The permission set's session duration (ISO 8601, e.g. PT1H). */
  async sessionDuration(
    permissionSetArn: string,
    options?: { signal?: AbortSignal },
  ): Promise<string | undefined> {
    const { instanceArn } = await this.identityCenter();
    const res = await this.options.queue.call(
      () =>
        this.options.clients.ssoAdmin.send(
          new DescribePermissionSetCommand({
            InstanceArn: instanceArn,
            PermissionSetArn: permissionSetArn,
          }),
        ),
      options,
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
    const { ssoAdmin } = this.options.clients;
    return this.options.queue.operation(async () => {
      const res = await this.options.queue.call(
        () =>
          ssoAdmin.send(
            new ProvisionPermissionSetCommand({
              InstanceArn: instanceArn,
              PermissionSetArn: permissionSetArn,
              TargetType: 'AWS_ACCOUNT',
              TargetId: accountId,
            }),
          ),
        options,
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

  /** Polls an operation until SUCCEEDED or FAILED, with bounded backoff. */
  private async waitFor(
    initial: OperationStatus | undefined,
    describe: (requestId: string) => Promise<OperationStatus | undefined>,
    signal?: AbortSignal,
  ): Promise<AccessOperationResult> {
    let status = initial;
    const requestId = status?.RequestId;
    const deadline = monotonicMs() + (this.options.pollTimeoutMs ?? 120_000);
    let delay = 200;
    while (status?.Status === 'IN_PROGRESS' || !status?.Status) {
      if (!requestId) throw new Error('Identity Center returned no request id');
      if (signal?.aborted || monotonicMs() + delay > deadline) {
        throw new OperationPendingError(
          `Identity Center operation ${requestId} is still in progress`,
        );
      }
      await this.sleep(delay, signal);
      delay = Math.min(delay * 2, 5_000);
      status = await this.options.queue.call(() => describe(requestId), {
        signal,
      });
    }
    if (status.Status === 'FAILED') {
      return {
        status: 'failed',
        reason:
          status.FailureReason ??
          'Identity Center reported FAILED without a reason',
        requestId,
      };
    }
    return { status: 'succeeded', requestId };
  }
}
