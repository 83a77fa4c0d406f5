import { AuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Caller, normalizeRef } from '../domain/refs';

/** Who a requester is now: their refs, to re-check their eligibility later. */
export interface RequesterDirectory {
  /** The user and the groups they belong to, as they would sign in now. */
  standingOf(userEntityRef: string): Promise<Caller>;
}

/**
 * Reads a requester's groups from the catalog: the same ownership refs the
 * default sign-in resolvers give (the user and their direct `memberOf`
 * groups). A user who left the catalog owns nothing but their own ref.
 */
export class CatalogRequesterDirectory implements RequesterDirectory {
  constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async standingOf(userEntityRef: string): Promise<Caller> {
    const ref = normalizeRef(userEntityRef);
    const entity = await this.catalog.getEntityByRef(ref, {
      credentials: await this.auth.getOwnServiceCredentials(),
    });
    const groups = (entity?.relations ?? [])
      .filter(r => r.type === 'memberOf')
      .map(r => normalizeRef(r.targetRef, 'group'));
    return {
      userEntityRef: entity ? normalizeRef(stringifyEntityRef(entity)) : ref,
      ownershipEntityRefs: [ref, ...groups],
    };
  }
}
