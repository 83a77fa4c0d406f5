export interface Config {
  elevatedAccess?: {
    /**
     * The AWS access portal (IAM Identity Center start URL), linked from the
     * Active access page, e.g. `https://d-1234567890.awsapps.com/start`
     * (default none: no link).
     * @visibility frontend
     */
    accessPortalUrl?: string;
  };
}
