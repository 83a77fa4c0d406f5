import { AuthService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { IDENTITY_CENTER_USER_NAME_ANNOTATION } from '@elevated-access/backstage-plugin-elevated-access-common';
import { AccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node';

export type PrincipalResolution =
  | { kind: 'found'; principal: { principalId: string; userName: string } }
  | { kind: 'missing'; reason: string };

/**
 * Finds a Backstage user's principal in the target (their Identity Center
 * user): reads the catalog entity, then asks the access provider with its
 * name, email and annotations.
 */
export class PrincipalResolver {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      provider: AccessProvider;
      userMapping: 'email' | 'name';
    },
  ) {}

  async resolve(userEntityRef: string): Promise<PrincipalResolution> {
    const entity: Entity | undefined = await this.deps.catalog.getEntityByRef(
      userEntityRef,
      {
        credentials: await this.deps.auth.getOwnServiceCredentials(),
      },
    );
    if (!entity) {
      return {
        kind: 'missing',
        reason: `${userEntityRef} is not in the catalog`,
      };
    }
    const annotations = entity.metadata.annotations ?? {};
    const email = (entity.spec as { profile?: { email?: string } } | undefined)
      ?.profile?.email;
    const principal = await this.deps.provider.resolvePrincipal({
      userEntityRef,
      name: entity.metadata.name,
      email,
      annotations,
    });
    if (principal) return { kind: 'found', principal };
    let how = `email ${email ?? '(none in the catalog)'}`;
    if (annotations[IDENTITY_CENTER_USER_NAME_ANNOTATION]) {
      how = `user name ${annotations[IDENTITY_CENTER_USER_NAME_ANNOTATION]} (annotation)`;
    } else if (this.deps.userMapping === 'name') {
      how = `user name ${entity.metadata.name}`;
    }
    return {
      kind: 'missing',
      reason: `No IAM Identity Center user was found for ${userEntityRef}, looked up by ${how}`,
    };
  }
}
