import {
  AccountSummary,
  OuRef,
  PermissionSetSummary,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  AccessTargets,
  TargetAccount,
  TargetPermissionSet,
} from '@elevated-access/backstage-plugin-elevated-access-node';

/** The organisation tree with the lookups policies need (nested OUs included). */
export class OrgTree {
  private readonly accounts = new Map<string, TargetAccount>();
  private readonly ous = new Map<
    string,
    { id: string; name: string; parentId: string }
  >();
  private readonly permissionSets = new Map<string, TargetPermissionSet>();
  // built on first use, once per tree (a refresh makes a new tree)
  private underOu?: Map<string, string[]>;
  private searchEntries?: AccountSearchEntry[];

  constructor(readonly targets: AccessTargets) {
    for (const a of targets.accounts) this.accounts.set(a.id, a);
    for (const o of targets.organizationalUnits) this.ous.set(o.id, o);
    for (const p of targets.permissionSets) this.permissionSets.set(p.arn, p);
  }

  get rootId() {
    return this.targets.rootId;
  }

  account(id: string): TargetAccount | undefined {
    return this.accounts.get(id);
  }

  permissionSet(arn: string): TargetPermissionSet | undefined {
    return this.permissionSets.get(arn);
  }

  hasOu(id: string): boolean {
    return id === this.rootId || this.ous.has(id);
  }

  /** The account's parent OU, its parents, up to and including the root. */
  ancestors(accountId: string): string[] {
    const account = this.accounts.get(accountId);
    if (!account) return [];
    const chain: string[] = [];
    const seen = new Set<string>();
    let parent: string | undefined = account.parentId;
    while (parent && !seen.has(parent)) {
      seen.add(parent);
      chain.push(parent);
      parent =
        parent === this.rootId ? undefined : this.ous.get(parent)?.parentId;
    }
    return chain;
  }

  /** OUs from the top level down to the account's own OU (root left out). */
  ouPath(accountId: string): OuRef[] {
    return this.ancestors(accountId)
      .filter(id => id !== this.rootId)
      .reverse()
      .map(id => ({ id, name: this.ous.get(id)?.name ?? id }));
  }

  accountSummary(accountId: string): AccountSummary | undefined {
    const a = this.accounts.get(accountId);
    return a
      ? { id: a.id, name: a.name, ouPath: this.ouPath(a.id) }
      : undefined;
  }

  permissionSetSummary(arn: string): PermissionSetSummary | undefined {
    const p = this.permissionSets.get(arn);
    return p
      ? {
          arn: p.arn,
          name: p.name,
          description: p.description,
          sessionDuration: p.sessionDuration,
        }
      : undefined;
  }

  /** Accounts that can be requested: every account but the management account. */
  requestableAccounts(): TargetAccount[] {
    return this.targets.accounts.filter(a => !a.isManagementAccount);
  }

  allPermissionSets(): TargetPermissionSet[] {
    return this.targets.permissionSets;
  }

  /** The accounts an OU holds at any depth (the management account included). */
  accountsUnder(ouId: string): readonly string[] {
    if (!this.underOu) {
      const index = new Map<string, string[]>();
      for (const a of this.targets.accounts) {
        for (const ou of this.ancestors(a.id)) {
          const list = index.get(ou);
          if (list) list.push(a.id);
          else index.set(ou, [a.id]);
        }
      }
      this.underOu = index;
    }
    return this.underOu.get(ouId) ?? [];
  }

  /** The accounts a scope covers: named ones, and those under its OUs. */
  accountsCoveredBy(scope: { accounts: string[]; ous: string[] }): Set<string> {
    const out = new Set<string>();
    for (const id of scope.accounts) if (this.accounts.has(id)) out.add(id);
    for (const ou of scope.ous) {
      for (const id of this.accountsUnder(ou)) out.add(id);
    }
    return out;
  }

  /**
   * The requestable accounts with their searchable text in lower case
   * (name, id, OU path), in name order: what account searches scan.
   */
  accountSearchIndex(): readonly AccountSearchEntry[] {
    if (!this.searchEntries) {
      this.searchEntries = this.requestableAccounts()
        .map(a => {
          const summary = this.accountSummary(a.id)!;
          return {
            summary,
            id: a.id,
            name: a.name.toLocaleLowerCase('en-US'),
            ouPath: summary.ouPath
              .map(o => o.name)
              .join(' / ')
              .toLocaleLowerCase('en-US'),
          };
        })
        .sort(
          (x, y) =>
            x.summary.name.localeCompare(y.summary.name) ||
            x.id.localeCompare(y.id),
        );
    }
    return this.searchEntries;
  }

  /** Whether an account is named directly or sits under one of the OUs (at any depth). */
  covers(
    scope: { accounts: string[]; ous: string[] },
    accountId: string,
  ): boolean {
    if (scope.accounts.includes(accountId)) return true;
    if (!scope.ous.length) return false;
    return this.ancestors(accountId).some(id => scope.ous.includes(id));
  }
}

/** One account as searches see it: lower-case text to match against. */
export interface AccountSearchEntry {
  summary: AccountSummary;
  id: string;
  name: string;
  /** OU names from the top level down, joined with ' / '. */
  ouPath: string;
}
