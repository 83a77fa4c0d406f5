/**
 * An organisational unit of the target organisation.
 *
 * @public
 */
export interface TargetOrganizationalUnit {
  id: string;
  name: string;
  /** The parent OU id, or the root id for a top-level OU. */
  parentId: string;
}

/**
 * An account that access can be granted to.
 *
 * @public
 */
export interface TargetAccount {
  id: string;
  name: string;
  /** The OU that holds the account directly, or the root id. */
  parentId: string;
  /** The management account is listed but never eligible. */
  isManagementAccount: boolean;
}

/**
 * A permission set (role) that can be assigned.
 *
 * @public
 */
export interface TargetPermissionSet {
  arn: string;
  name: string;
  description?: string;
  /** ISO 8601 duration of one console/CLI session, e.g. `PT1H`. */
  sessionDuration?: string;
}

/**
 * The organisation tree and permission sets an access provider offers.
 *
 * @public
 */
export interface AccessTargets {
  rootId: string;
  organizationalUnits: TargetOrganizationalUnit[];
  accounts: TargetAccount[];
  permissionSets: TargetPermissionSet[];
  /** When the provider read these from its source (ISO 8601). */
  fetchedAt: string;
}

/**
 * What a provider knows of a Backstage user in order to find their principal.
 *
 * @public
 */
export interface AccessUser {
  userEntityRef: string;
  /** Catalog `metadata.name`. */
  name: string;
  email?: string;
  /** Annotations of the user entity (for explicit mappings). */
  annotations: Record<string, string>;
}

/**
 * One assignment of a principal to a permission set in an account.
 *
 * @public
 */
export interface AccessAssignment {
  principalId: string;
  accountId: string;
  permissionSetArn: string;
}

/**
 * The outcome of an asynchronous grant or revoke.
 *
 * @public
 */
export type AccessOperationResult =
  | { status: 'succeeded'; requestId?: string }
  | { status: 'failed'; reason: string; requestId?: string };

/**
 * Grants and revokes access in a target system. The AWS IAM Identity Center
 * provider is the default; adopters register others through
 * `elevatedAccessProvidersExtensionPoint`.
 *
 * Implementations must be idempotent: granting an assignment that exists and
 * revoking one that is gone both succeed, because the lifecycle retries after
 * crashes.
 *
 * @public
 */
export interface AccessProvider {
  /** Short id, e.g. `aws-identity-center`. */
  readonly id: string;
  /** The organisation tree and permission sets. */
  getTargets(options?: { refresh?: boolean }): Promise<AccessTargets>;
  /** Finds the user's principal id, or undefined when there is none. */
  resolvePrincipal(
    user: AccessUser,
  ): Promise<{ principalId: string; userName: string } | undefined>;
  /** Creates the assignment and waits until the target confirms it. */
  grant(
    assignment: AccessAssignment,
    options?: { signal?: AbortSignal },
  ): Promise<AccessOperationResult>;
  /** Deletes the assignment and waits until the target confirms it. */
  revoke(
    assignment: AccessAssignment,
    options?: { signal?: AbortSignal },
  ): Promise<AccessOperationResult>;
  /** Whether the assignment exists now. */
  hasAssignment(
    assignment: AccessAssignment,
    options?: { signal?: AbortSignal },
  ): Promise<boolean>;
}
