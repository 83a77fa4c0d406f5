import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Elevated Access: just-in-time access to AWS accounts. */
  elevatedAccess?: {
    aws?: {
      /** Region of the IAM Identity Center instance, e.g. `eu-west-1`. */
      region?: string;
      /**
       * Endpoint override for every AWS client; only for a local sandbox.
       * Credentials come from the default AWS credential chain.
       */
      endpoint?: string;
      identityCenter?: {
        /** Discovered with ListInstances when absent. */
        instanceArn?: string;
        /** Discovered with ListInstances when absent. */
        identityStoreId?: string;
      };
      /** Limits of the queue every Identity Center write and status call goes through. */
      limits?: {
        /** Operations in flight at once (default 10). */
        maxInFlight?: number;
        /** Calls per second (default 20). */
        callsPerSecond?: number;
      };
      /** How often the cached organisation tree is refreshed (default 15 minutes). */
      organizationRefresh?: HumanDuration;
      activity?: {
        /** `lookupEvents` (default) or `lake` (CloudTrail Lake event data store). */
        source?: 'lookupEvents' | 'lake';
        /** Role assumed in each target account to read its CloudTrail events. */
        roleName?: string;
        /** Event data store ARN or id, for the `lake` source. */
        eventDataStore?: string;
        /**
         * Sessions opened just before access ends stay valid for the permission
         * set's session duration; activity is read until end + this (default 60).
         */
        paddingMinutes?: number;
        /** CloudTrail delivers late: collection goes on this long after that window (default 60). */
        settleMinutes?: number;
        /** LookupEvents calls per second per account and region (default 2). */
        callsPerSecond?: number;
      };
    };
    identity?: {
      /**
       * How a Backstage user finds their Identity Center user: the annotation
       * `aws.amazon.com/identity-center-user-name` when present, else the
       * catalog email (`email`, default) or the catalog name (`name`).
       */
      userMapping?: 'email' | 'name';
    };
    /** Entity refs (groups or users) of the two privileged roles, used by the bundled policy. */
    roles?: {
      admins?: string[];
      auditors?: string[];
    };
    schedule?: {
      /** How often the lifecycle task (grant, end, revoke, expire) runs (default 10 seconds). */
      frequency?: HumanDuration;
      /** How often session activity is collected (default 1 minute). */
      activityFrequency?: HumanDuration;
      /** How often grants are compared with the real assignments (default 5 minutes). */
      reconcileFrequency?: HumanDuration;
    };
    notifications?: {
      /**
       * Slack incoming-webhook URL for request events.
       * @visibility secret
       */
      slackWebhookUrl?: string;
    };
    /** Defaults for the admin settings; the database copy wins once an admin saves settings. */
    defaults?: {
      maxDurationMinutes?: number;
      approvalRequired?: boolean;
      ticketRequired?: boolean;
      /** A regular expression ticket ids must match, e.g. `^[A-Z]+-\\d+$`. */
      ticketPattern?: string;
      /** Link to a ticket, with `{ticket}` replaced, e.g. `https://jira.example.com/browse/{ticket}`. */
      ticketLinkTemplate?: string;
      commentRequiredOnReject?: boolean;
      commentRequiredOnRevoke?: boolean;
      pendingTimeoutMinutes?: number;
      reminderBeforeExpiryMinutes?: number;
    };
  };
}
