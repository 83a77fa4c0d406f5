import type { Entity } from '@backstage/catalog-model';

/**
 * The annotation that names the AWS account(s) an entity is about: on an
 * account's own `Resource` entity one id, on a component or system one id or
 * a comma-separated list.
 *
 * @public
 */
export const AWS_ACCOUNT_ID_ANNOTATION = 'aws.amazon.com/account-id';

/**
 * Annotations read as account ids, in order: ours, then the one
 * `@backstage/plugin-catalog-backend-module-aws` writes, so entities that
 * module made are recognised instead of duplicated.
 *
 * @public
 */
export const AWS_ACCOUNT_ID_ANNOTATIONS = [
  AWS_ACCOUNT_ID_ANNOTATION,
  'amazonaws.com/account-id',
] as const;

/**
 * The id of the organisational unit an entity stands for (on OU entities),
 * or that holds the account directly (on account entities).
 *
 * @public
 */
export const AWS_OU_ID_ANNOTATION = 'aws.amazon.com/organizational-unit-id';

/**
 * The names of the OUs from the top level down to the account's own OU,
 * joined with `/` (e.g. `Workloads/Production`).
 *
 * @public
 */
export const AWS_OU_PATH_ANNOTATION = 'aws.amazon.com/organizational-unit-path';

/**
 * `"true"` on an account or OU entity: the account (or every account under
 * the OU) is sensitive. The request form warns, and approver policies may
 * ask for more approvals (`sensitiveMinApprovals`).
 *
 * @public
 */
export const SENSITIVE_ANNOTATION = 'elevated-access/sensitive';

/**
 * `spec.type` of the `Resource` entity of an AWS account.
 *
 * @public
 */
export const AWS_ACCOUNT_RESOURCE_TYPE = 'aws-account';

/**
 * `spec.type` of the `Resource` entity of an AWS organisational unit.
 *
 * @public
 */
export const AWS_OU_RESOURCE_TYPE = 'aws-organizational-unit';

/**
 * In an approver policy's `approvers`: the owner (`spec.owner`) of the
 * account's catalog entity approves.
 *
 * @public
 */
export const OWNER_APPROVER = 'owner';

/**
 * In an approver policy's `approvers`: the owner of the System the account's
 * entity is part of (`spec.system`) approves.
 *
 * @public
 */
export const SYSTEM_OWNER_APPROVER = 'system-owner';

/**
 * The approver entries that stand for owners found in the catalog.
 *
 * @public
 */
export const OWNER_APPROVER_TOKENS: readonly string[] = [
  OWNER_APPROVER,
  SYSTEM_OWNER_APPROVER,
];

/**
 * Whether an approver entry names catalog owners rather than a user or group.
 *
 * @public
 */
export function isOwnerApproverToken(approver: string): boolean {
  return OWNER_APPROVER_TOKENS.includes(
    approver.trim().toLocaleLowerCase('en-US'),
  );
}

const ACCOUNT_ID = /^\d{12}$/;

/**
 * The AWS account ids an entity names in its annotations (either annotation,
 * comma-separated lists allowed), without duplicates; text that is not a
 * 12-digit id is left out.
 *
 * @public
 */
export function accountIdsOfEntity(entity: Pick<Entity, 'metadata'>): string[] {
  const annotations = entity.metadata.annotations ?? {};
  const ids = new Set<string>();
  for (const key of AWS_ACCOUNT_ID_ANNOTATIONS) {
    for (const part of (annotations[key] ?? '').split(',')) {
      const id = part.trim();
      if (ACCOUNT_ID.test(id)) ids.add(id);
    }
  }
  return [...ids];
}

/**
 * Whether an account or OU entity is marked sensitive.
 *
 * @public
 */
export function isMarkedSensitive(entity: Pick<Entity, 'metadata'>): boolean {
  return (
    (entity.metadata.annotations?.[SENSITIVE_ANNOTATION] ?? '')
      .trim()
      .toLocaleLowerCase('en-US') === 'true'
  );
}
