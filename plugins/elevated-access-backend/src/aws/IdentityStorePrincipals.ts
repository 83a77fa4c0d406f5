import {
  DescribeUserCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  ResourceNotFoundException as IdentityStoreNotFound,
} from '@aws-sdk/client-identitystore';
import { IDENTITY_CENTER_USER_NAME_ANNOTATION } from '@elevated-access/backstage-plugin-elevated-access-common';
import { AccessUser } from '@elevated-access/backstage-plugin-elevated-access-node';
import { CallQueue, pacedClient } from './CallQueue';

/** An Identity Center user: its id, and the name CloudTrail records. */
export interface IdentityCenterPrincipal {
  principalId: string;
  userName: string;
}

/**
 * Finds the Identity Center user of a Backstage user in the Identity Store,
 * once per user and process.
 */
export class IdentityStorePrincipals {
  private readonly found = new Map<string, IdentityCenterPrincipal>();
  private readonly identityStore: IdentitystoreClient;

  constructor(
    private readonly options: {
      identityStore: IdentitystoreClient;
      /** The Identity Store lookups' queue (they have quotas of their own). */
      queue: CallQueue;
      identityStoreId: () => Promise<string>;
      userMapping: 'email' | 'name';
    },
  ) {
    this.identityStore = pacedClient(options.identityStore, options.queue);
  }

  /**
   * The `aws.amazon.com/identity-center-user-name` annotation when present,
   * else the catalog email or name (config `identity.userMapping`).
   */
  async resolve(
    user: AccessUser,
  ): Promise<IdentityCenterPrincipal | undefined> {
    const cached = this.found.get(user.userEntityRef);
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
    const identityStoreId = await this.options.identityStoreId();
    try {
      const res = await this.identityStore.send(
        new GetUserIdCommand({
          IdentityStoreId: identityStoreId,
          AlternateIdentifier: { UniqueAttribute: attribute },
        }),
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
      this.found.set(user.userEntityRef, found);
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
    const res = await this.identityStore.send(
      new DescribeUserCommand({
        IdentityStoreId: identityStoreId,
        UserId: userId,
      }),
    );
    return res.UserName ?? fallback;
  }
}
