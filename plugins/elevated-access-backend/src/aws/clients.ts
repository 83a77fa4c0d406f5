import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { STSClient } from '@aws-sdk/client-sts';
import { AwsCredentialIdentity } from '@aws-sdk/types';

/** Where the AWS clients point: the region, and an endpoint only for a sandbox. */
export interface AwsClientOptions {
  region: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity;
  /** Attempts per call, including the first (the SDK's standard retry). */
  maxAttempts?: number;
}

/**
 * The AWS SDK clients the plugin uses. Credentials come from the default AWS
 * credential chain unless given (tests against the sandbox pass dummy ones).
 */
export class AwsClients {
  readonly organizations: OrganizationsClient;
  readonly ssoAdmin: SSOAdminClient;
  readonly identityStore: IdentitystoreClient;
  readonly sts: STSClient;

  constructor(readonly options: AwsClientOptions) {
    const common = {
      region: options.region,
      endpoint: options.endpoint,
      credentials: options.credentials,
      maxAttempts: options.maxAttempts ?? 5,
    };
    // Organizations reads, Identity Center writes and status polls go through
    // the plugin's own rate-limited queues, which retry throttling themselves
    // (with the SDK's classification and delays): one attempt per SDK call.
    this.organizations = new OrganizationsClient({ ...common, maxAttempts: 1 });
    this.ssoAdmin = new SSOAdminClient({ ...common, maxAttempts: 1 });
    this.identityStore = new IdentitystoreClient(common);
    this.sts = new STSClient(common);
  }

  /** A CloudTrail client in a target account, with assumed-role credentials. */
  cloudTrail(credentials: AwsCredentialIdentity, region = this.options.region) {
    return new CloudTrailClient({
      region,
      endpoint: this.options.endpoint,
      credentials,
      maxAttempts: 1,
    });
  }
}
