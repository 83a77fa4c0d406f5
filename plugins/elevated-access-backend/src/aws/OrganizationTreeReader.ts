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
  TargetAccount,
  TargetOrganizationalUnit,
} from '@elevated-access/backstage-plugin-elevated-access-node';
import { CallQueue, pacedClient } from './CallQueue';
import { allItems } from './pages';

/** The most an Organizations list call returns in one page (AWS's cap). */
const ORGANIZATIONS_PAGE_SIZE = 20;

/**
 * Reads the organisation tree from AWS Organizations. Organizations
 * throttles each operation on its own, so each operation's calls (each page
 * of a paginator too) go through a queue of their own.
 */
export class OrganizationTreeReader {
  private readonly queues = new Map<string, CallQueue>();

  constructor(
    private readonly client: OrganizationsClient,
    /** The queue of one operation (default: 10 calls per second each, in this process only). */
    private readonly queueFor?: (operation: string) => CallQueue,
  ) {}

  /** The Organizations client for one operation, paced by its queue. */
  private clientFor(operation: string): OrganizationsClient {
    let queue = this.queues.get(operation);
    if (!queue) {
      queue =
        this.queueFor?.(operation) ??
        new CallQueue({ maxInFlight: 10, callsPerSecond: 10 });
      this.queues.set(operation, queue);
    }
    return pacedClient(this.client, queue);
  }

  /** The organisation's root, and its management account. */
  async root(): Promise<{ rootId: string; managementAccountId?: string }> {
    const [org, roots] = await Promise.all([
      this.clientFor('DescribeOrganization').send(
        new DescribeOrganizationCommand({}),
      ),
      this.clientFor('ListRoots').send(new ListRootsCommand({})),
    ]);
    const rootId = roots.Roots?.[0]?.Id;
    if (!rootId) throw new Error('The organisation has no root');
    return { rootId, managementAccountId: org.Organization?.MasterAccountId };
  }

  /**
   * The OUs and active accounts under the root, breadth-first. Every
   * parent's OUs and accounts are listed as soon as the parent is known, so
   * the calls of the whole tree queue up at once and each operation's queue
   * keeps its pace (the read then takes about the calls of its busiest
   * operation divided by that pace).
   */
  async below({
    rootId,
    managementAccountId,
  }: {
    rootId: string;
    managementAccountId?: string;
  }): Promise<{
    organizationalUnits: TargetOrganizationalUnit[];
    accounts: TargetAccount[];
  }> {
    const children = new Map<
      string,
      { ous: OrganizationalUnit[]; accounts: Account[] }
    >();
    const visit = async (parentId: string): Promise<void> => {
      const [ous, accounts] = await Promise.all([
        allItems(
          paginateListOrganizationalUnitsForParent(
            {
              client: this.clientFor('ListOrganizationalUnitsForParent'),
              pageSize: ORGANIZATIONS_PAGE_SIZE,
            },
            { ParentId: parentId },
          ),
          page => page.OrganizationalUnits,
        ),
        allItems(
          paginateListAccountsForParent(
            {
              client: this.clientFor('ListAccountsForParent'),
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
    await visit(rootId);

    // breadth-first, as the tree was always listed (stable order for callers)
    const organizationalUnits: TargetOrganizationalUnit[] = [];
    const accounts: TargetAccount[] = [];
    const parents = [rootId];
    while (parents.length) {
      const parentId = parents.shift()!;
      const found = children.get(parentId)!;
      for (const ou of found.ous) {
        organizationalUnits.push({
          id: ou.Id!,
          name: ou.Name ?? ou.Id!,
          parentId,
        });
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
    return { organizationalUnits, accounts };
  }
}
