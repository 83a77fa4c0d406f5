import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Elevated Access: just-in-time access to AWS accounts. */
  elevatedAccess?: {
    aws?: {
      /**
       * Region of the IAM Identity Center instance, e.g. `eu-west-1`
       * (default the `AWS_REGION` environment variable, else `us-east-1`).
       */
      region?: string;
      /**
       * Endpoint override for every AWS client; only for a local sandbox
       * (default none: the AWS endpoints of the region).
       * Credentials come from the default AWS credential chain.
       */
      endpoint?: string;
      identityCenter?: {
        /** ARN of the Identity Center instance (default discovered with ListInstances). */
        instanceArn?: string;
        /** Id of the instance's identity store (default discovered with ListInstances). */
        identityStoreId?: string;
      };
      /**
       * Limits of the queue every Identity Center write and status call goes
       * through, and (`read…`) of the queue of Identity Store lookups.
       */
      limits?: {
        /** Operations in flight at once (default 10). */
        maxInFlight?: number;
        /** Calls per second (default 20). */
        callsPerSecond?: number;
        /** Identity Store lookups (GetUserId, DescribeUser) in flight at once (default 10). */
        readMaxInFlight?: number;
        /**
         * Identity Store lookups per second, shared by all replicas on
         * PostgreSQL (default 20).
         */
        readCallsPerSecond?: number;
      };
      /** How often the cached organisation tree is refreshed (default 15 minutes). */
      organizationRefresh?: HumanDuration;
      /**
       * Calls per second to each AWS Organizations operation (e.g.
       * ListAccountsForParent) while reading the organisation, shared by all
       * replicas on PostgreSQL (default 10). AWS publishes no figure: lower it
       * if the backend's log shows Organizations throttling.
       */
      organizationsCallsPerSecond?: number;
      activity?: {
        /**
         * Where session activity comes from: `lookupEvents` (CloudTrail event
         * history of each target account) or `lake` (a CloudTrail Lake event
         * data store) (default `lookupEvents`).
         */
        source?: 'lookupEvents' | 'lake';
        /**
         * Role assumed in each target account to read its CloudTrail events,
         * for the `lookupEvents` source (default `ElevatedAccessActivityReader`).
         */
        roleName?: string;
        /** Event data store ARN or id; required by the `lake` source (default none). */
        eventDataStore?: string;
        /**
         * Sessions opened just before access ends stay valid for the permission
         * set's session duration; activity is read until end + this many
         * minutes (default 60).
         */
        paddingMinutes?: number;
        /**
         * CloudTrail delivers late: collection goes on this many minutes after
         * that window (default 60).
         */
        settleMinutes?: number;
        /** LookupEvents calls per second per account and region (default 2). */
        callsPerSecond?: number;
        /**
         * The regions whose CloudTrail event history is read for the
         * `lookupEvents` source: a list of region names, or `all` for every
         * region each target account has enabled (EC2 DescribeRegions there).
         * The region of global-service events (us-east-1 in the `aws`
         * partition) is always read (default `all`).
         */
        regions?: string[] | 'all';
      };
      /**
       * Ending sessions already open when access ends: deleting an
       * assignment does not end the sessions it issued, so the permission
       * set's inline policy denies the user's sessions in that account issued
       * before the end, until the permission set's session duration has
       * passed (needs sso:PutInlinePolicyToPermissionSet and
       * sso:ProvisionPermissionSet, see docs/iam).
       */
      endSessions?: {
        /** End open sessions when access is revoked early (default true). */
        enabled?: boolean;
        /** Also when access ends on time (default true). */
        onExpiry?: boolean;
      };
    };
    identity?: {
      /**
       * How a Backstage user finds their Identity Center user: the annotation
       * `aws.amazon.com/identity-center-user-name` when present, else the
       * catalog email (`email`) or the catalog name (`name`) (default `email`).
       */
      userMapping?: 'email' | 'name';
    };
    /** Entity refs (groups or users) of the two privileged roles, used by the bundled policy. */
    roles?: {
      /**
       * Admins: manage policies and settings, see and act on every request
       * (default none).
       */
      admins?: string[];
      /** Auditors: read every request, its activity and the CSV exports (default none). */
      auditors?: string[];
    };
    schedule?: {
      /** How often the lifecycle task (grant, end, revoke, expire) runs (default 10 seconds). */
      frequency?: HumanDuration;
      /** How often session activity is collected (default 1 minute). */
      activityFrequency?: HumanDuration;
      /** How often grants are compared with the real assignments (default 5 minutes). */
      reconcileFrequency?: HumanDuration;
      /**
       * Each replica grants at the start and removes at the end with a timer,
       * to the second (default true). Off: only the lifecycle task acts, every
       * `frequency`.
       */
      dueTimers?: boolean;
      /**
       * How often each replica looks in the database for the nearest start or
       * end another replica wrote, to set its due timer (default 5 seconds).
       * Its own changes set the timer at once.
       */
      duePollFrequency?: HumanDuration;
    };
    notifications?: {
      /**
       * Slack incoming-webhook URL of a channel that hears of every request
       * event (a feed, in the words of the notifications, linked through
       * `app.baseUrl`); needs no Slack app. Slack messages to approvers,
       * requesters and admins come from Backstage notifications through
       * `@backstage/plugin-notifications-backend-module-slack`
       * (`notifications.processors.slack`), not from this webhook
       * (default none: no webhook messages).
       * @visibility secret
       */
      slackWebhookUrl?: string;
      /**
       * The IANA time zone notification texts write times in, next to the
       * relative time ("in 2 h (Sat 21 Nov 2026, 10:00 CET)"), e.g.
       * `Europe/Paris`: the server cannot know each reader's zone, so choose
       * the one most readers are in (default UTC).
       */
      timeZone?: string;
    };
    /** Defaults for the admin settings; the database copy wins once an admin saves settings. */
    defaults?: {
      /** Longest access anyone can ask for, in minutes (default 480). */
      maxDurationMinutes?: number;
      /** Whether requests need approval unless a policy waives it (default true). */
      approvalRequired?: boolean;
      /** Whether requests need a ticket id unless a policy waives it (default true). */
      ticketRequired?: boolean;
      /** A regular expression ticket ids must match, e.g. `^[A-Z]+-\d+$` (default none). */
      ticketPattern?: string;
      /**
       * Link to a ticket, with `{ticket}` replaced, e.g.
       * `https://jira.example.com/browse/{ticket}` (default none).
       */
      ticketLinkTemplate?: string;
      /**
       * A ticket id requesters see as the example, e.g. `OPS-123`; it must
       * match `ticketPattern` (default none: the form asks for a ticket in words).
       */
      ticketExample?: string;
      /** Whether rejecting needs a comment (default true). */
      commentRequiredOnReject?: boolean;
      /** Whether revoking access needs a comment (default true). */
      commentRequiredOnRevoke?: boolean;
      /**
       * Minutes an undecided request waits before it expires, counted from
       * creation and never past its end (default 1440).
       */
      pendingTimeoutMinutes?: number;
      /** Minutes before expiry that approvers are reminded, 0 for never (default 15). */
      reminderBeforeExpiryMinutes?: number;
      /**
       * Minutes before active access ends that the requester is told it ends
       * soon, with a link to extend it; 0 for never (default 15). Not sent
       * when the whole window is shorter than twice this.
       */
      endsSoonMinutes?: number;
    };
  };
}
