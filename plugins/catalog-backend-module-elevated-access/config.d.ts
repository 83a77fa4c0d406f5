export interface Config {
  elevatedAccess?: {
    /**
     * The AWS accounts and OUs in the catalog
     * (`@elevated-access/backstage-plugin-catalog-backend-module-elevated-access`).
     * The module also reads `elevatedAccess.aws.region`, `elevatedAccess.aws.endpoint`
     * and `elevatedAccess.aws.organizationRefresh` (how often the organisation is read).
     */
    catalog?: {
      /**
       * `provide` writes a `Resource` entity for every active account and OU,
       * except accounts the catalog already has an entity for (a `Resource`
       * with the `aws.amazon.com/account-id` or `amazonaws.com/account-id`
       * annotation). `link` writes none: the plugin then uses your own entities
       * that carry the annotation (default `provide`).
       */
      mode?: 'provide' | 'link';
      /**
       * The account or OU tag whose value is the owner: a bare name is a group
       * in the default namespace, a full ref (`group:ns/x`, `user:default/x`)
       * is kept. An account or OU without it takes the nearest OU above that
       * has it, else `defaultOwner`. Tag keys match in any case when no exact
       * match exists (default `owner`).
       */
      ownerTag?: string;
      /**
       * The owner (entity ref, e.g. `group:default/platform-team`) of accounts
       * and OUs without an owner tag on them or above them. Required when the
       * mode is `provide` (default none).
       */
      defaultOwner?: string;
      /**
       * The account tag whose value becomes the account's `spec.system` (a
       * bare name or a `system:` ref). An account without it takes the
       * nearest OU above that has it (default `system`).
       */
      systemTag?: string;
      /**
       * The tag that marks an account or OU sensitive with the value `true`;
       * every account and OU under a sensitive OU is sensitive too
       * (annotation `elevated-access/sensitive`) (default `sensitive`).
       */
      sensitiveTag?: string;
      /**
       * Attempts per AWS Organizations call, the first included, with the AWS
       * SDK's adaptive retry, which also slows the client down when AWS
       * throttles (default 10).
       */
      maxAttempts?: number;
    };
  };
}
