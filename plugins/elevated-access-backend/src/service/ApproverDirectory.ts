import { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { normalizeRef } from '../domain/refs';

/** Who holds approver refs, as users. */
export interface ApproverDirectory {
  /** Distinct user refs named directly or through direct group membership. */
  usersOf(approverRefs: string[]): Promise<string[]>;
}

/**
 * Expands approver groups through the catalog. Group membership is direct, the
 * same as the ownership refs users sign in with, so everyone counted here can
 * really decide.
 */
export class CatalogApproverDirectory implements ApproverDirectory {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async usersOf(approverRefs: string[]): Promise<string[]> {
    const users = new Set<string>();
    const groups: string[] = [];
    for (const ref of approverRefs) {
      const normalized = normalizeRef(ref);
      if (parseEntityRef(normalized).kind === 'group') {
        groups.push(normalized);
      } else {
        users.add(normalized);
      }
    }
    if (groups.length) {
      const { items } = await this.catalog.getEntities(
        {
          filter: { kind: 'User', 'relations.memberOf': groups },
          fields: ['kind', 'metadata.name', 'metadata.namespace'],
        },
        { credentials: await this.auth.getOwnServiceCredentials() },
      );
      // the catalog may spell a name in capitals; count each user once
      for (const entity of items) {
        users.add(normalizeRef(stringifyEntityRef(entity)));
      }
    }
    return [...users];
  }
}
