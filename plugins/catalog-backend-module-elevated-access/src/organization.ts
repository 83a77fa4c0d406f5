/**
 * The AWS organisation as the provider reads it: plain data, no SDK types, so
 * the entity building can be tested without AWS.
 */

/** Tags of an account or OU, key to value. */
export type ResourceTags = Record<string, string>;

/** One organisational unit. */
export interface OrganizationalUnitNode {
  id: string;
  name: string;
  /** The parent OU's id, or the root's id for a top-level OU. */
  parentId: string;
  tags: ResourceTags;
}

/** One ACTIVE account. */
export interface AccountNode {
  id: string;
  name: string;
  email?: string;
  /** The OU that holds the account directly, or the root's id. */
  parentId: string;
  tags: ResourceTags;
}

/** The organisation tree with the tags of every account and OU. */
export interface OrganizationTree {
  /** The organisation's id (`o-...`), when DescribeOrganization answered. */
  organizationId?: string;
  rootId: string;
  managementAccountId?: string;
  organizationalUnits: OrganizationalUnitNode[];
  accounts: AccountNode[];
}

/** Reads the organisation tree, e.g. from AWS Organizations. */
export interface OrganizationReader {
  readOrganization(): Promise<OrganizationTree>;
}
