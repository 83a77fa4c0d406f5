import {
  Account,
  DescribeOrganizationCommand,
  OrganizationsClient,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  paginateListRoots,
  paginateListTagsForResource,
} from '@aws-sdk/client-organizations';
import pLimit from 'p-limit';
import {
  AccountNode,
  OrganizationalUnitNode,
  OrganizationReader,
  OrganizationTree,
  ResourceTags,
} from './organization';

/** Where the Organizations client points and how hard it retries. */
export interface AwsOrganizationReaderOptions {
  region: string;
  /** Endpoint override, only for a local sandbox. */
  endpoint?: string;
  /** Attempts per call, the first included (the SDK's adaptive retry). */
  maxAttempts: number;
  /** Calls in flight at once while walking the tree and reading tags (default 4). */
  concurrency?: number;
  /** Credentials; default the AWS SDK's default chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Reads the organisation from AWS Organizations: the tree of OUs, the ACTIVE
 * accounts in it, and the tags of each. Throttling is the SDK's business
 * (retry mode `adaptive` slows the client down when AWS throttles).
 */
export class AwsOrganizationReader implements OrganizationReader {
  private readonly client: OrganizationsClient;
  private readonly concurrency: number;

  constructor(options: AwsOrganizationReaderOptions) {
    this.client = new OrganizationsClient({
      region: options.region,
      endpoint: options.endpoint,
      credentials: options.credentials,
      maxAttempts: options.maxAttempts,
      retryMode: 'adaptive',
    });
    this.concurrency = options.concurrency ?? 4;
  }

  async readOrganization(): Promise<OrganizationTree> {
    const client = this.client;
    const limit = pLimit(this.concurrency);

    const [organization, roots] = await Promise.all([
      limit(() => client.send(new DescribeOrganizationCommand({}))),
      limit(async () => {
        const found = [];
        for await (const page of paginateListRoots({ client }, {})) {
          found.push(...(page.Roots ?? []));
        }
        return found;
      }),
    ]);
    const rootId = roots[0]?.Id;
    if (!rootId) throw new Error('The AWS organisation has no root');

    const organizationalUnits: OrganizationalUnitNode[] = [];
    const accounts: Array<Omit<AccountNode, 'tags'>> = [];
    const visit = async (parentId: string): Promise<void> => {
      const [ous, parentAccounts] = await Promise.all([
        limit(async () => {
          const found = [];
          for await (const page of paginateListOrganizationalUnitsForParent(
            { client },
            { ParentId: parentId },
          )) {
            found.push(...(page.OrganizationalUnits ?? []));
          }
          return found;
        }),
        limit(async () => {
          const found: Account[] = [];
          for await (const page of paginateListAccountsForParent(
            { client },
            { ParentId: parentId },
          )) {
            found.push(...(page.Accounts ?? []));
          }
          return found;
        }),
      ]);
      for (const account of parentAccounts) {
        // an account that is closing, closed or suspended loses its entity
        if ((account.State ?? account.Status) !== 'ACTIVE') continue;
        accounts.push({
          id: account.Id!,
          name: account.Name ?? account.Id!,
          email: account.Email,
          parentId,
        });
      }
      for (const ou of ous) {
        organizationalUnits.push({
          id: ou.Id!,
          name: ou.Name ?? ou.Id!,
          parentId,
          tags: {},
        });
      }
      await Promise.all(ous.map(ou => visit(ou.Id!)));
    };
    await visit(rootId);

    const tagsOf = (resourceId: string) =>
      limit(async () => {
        const tags: ResourceTags = {};
        for await (const page of paginateListTagsForResource(
          { client },
          { ResourceId: resourceId },
        )) {
          for (const tag of page.Tags ?? []) {
            if (tag.Key) tags[tag.Key] = tag.Value ?? '';
          }
        }
        return tags;
      });
    const [ouTags, accountTags] = await Promise.all([
      Promise.all(organizationalUnits.map(ou => tagsOf(ou.id))),
      Promise.all(accounts.map(account => tagsOf(account.id))),
    ]);
    organizationalUnits.forEach((ou, i) => {
      ou.tags = ouTags[i];
    });

    return {
      organizationId: organization.Organization?.Id,
      rootId,
      managementAccountId: organization.Organization?.MasterAccountId,
      organizationalUnits,
      accounts: accounts.map((account, i) => ({
        ...account,
        tags: accountTags[i],
      })),
    };
  }
}
