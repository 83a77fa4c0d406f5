import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
} from '@aws-sdk/types';
import { memoize } from '@smithy/core/config';

/** Assumed-role credentials are renewed this long before they expire. */
const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;

/** Where the AWS clients point: the region, and an endpoint only for a sandbox. */
export interface AwsClientOptions {
  region: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity;
  /**
   * Attempts per call, including the first (the SDK's standard retry), for
   * the calls no queue of the plugin retries (STS).
   */
  maxAttempts?: number;
}

/**
 * The AWS SDK clients the plugin uses. Credentials come from the default AWS
 * credential chain unless given (tests against the sandbox pass dummy ones).
 *
 * Every client whose calls go through one of the plugin's rate-limited
 * queues makes one attempt per call: the queue retries throttling itself
 * (with the SDK's classification and delays), so SDK retries would multiply
 * its attempts and bypass its pacing.
 */
export class AwsClients {
  /** Through each Organizations operation's queue. */
  readonly organizations: OrganizationsClient;
  /** Through the Identity Center queue. */
  readonly ssoAdmin: SSOAdminClient;
  /** Through the Identity Store lookups' queue. */
  readonly identityStore: IdentitystoreClient;

  constructor(readonly options: AwsClientOptions) {
    const queued = {
      region: options.region,
      endpoint: options.endpoint,
      credentials: options.credentials,
      maxAttempts: 1,
    };
    this.organizations = new OrganizationsClient(queued);
    this.ssoAdmin = new SSOAdminClient(queued);
    this.identityStore = new IdentitystoreClient(queued);
  }

  /**
   * Credentials of a role assumed with STS AssumeRole (from this process's
   * credentials), shared by every client given them and renewed 5 minutes
   * before they expire. STS calls go through no queue: they keep the SDK's
   * retries.
   */
  assumedRole(
    roleArn: string,
    roleSessionName: string,
  ): AwsCredentialIdentityProvider {
    const provider = fromTemporaryCredentials({
      params: { RoleArn: roleArn, RoleSessionName: roleSessionName },
      masterCredentials: this.options.credentials,
      clientConfig: {
        region: this.options.region,
        endpoint: this.options.endpoint,
        maxAttempts: this.options.maxAttempts ?? 5,
      },
    });
    // the SDK's own memoization: one AssumeRole at a time, the result
    // shared until it is due for renewal
    return memoize(
      provider,
      c =>
        c.expiration !== undefined &&
        c.expiration.getTime() - Date.now() < RENEW_BEFORE_EXPIRY_MS,
      c => c.expiration !== undefined,
    );
  }

  /** A CloudTrail client in a target account, with assumed-role credentials. */
  cloudTrail(
    credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
    region = this.options.region,
  ) {
    return new CloudTrailClient({
      region,
      endpoint: this.options.endpoint,
      credentials,
      // through the account and region's LookupEvents queue
      maxAttempts: 1,
    });
  }
}
