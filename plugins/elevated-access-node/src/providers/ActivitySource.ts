import { ActivityEventDto } from '@elevated-access/backstage-plugin-elevated-access-common';

/**
 * One recorded action taken during an access session, as a source reads it:
 * what auditors see, plus the raw event.
 *
 * @public
 */
export interface ActivityEvent extends ActivityEventDto {
  /** The raw event as the source returned it. */
  raw: unknown;
}

/**
 * What an activity source looks for: one user in one account over a window.
 *
 * @public
 */
export interface ActivityQuery {
  accountId: string;
  /** The user name the target records the actions under. */
  userName: string;
  permissionSetArn: string;
  /** Sessions run as the role AWSReservedSSO_<name>_…; used to tell them apart. */
  permissionSetName?: string;
  startTime: string;
  endTime: string;
  /**
   * The region to read, for sources that read one region at a time (one of
   * {@link ActivitySource.regionsOf}); absent for sources without regions.
   */
  region?: string;
}

/**
 * Reads what a user did during an access session. The CloudTrail
 * LookupEvents source is the default.
 *
 * @public
 */
export interface ActivitySource {
  readonly id: string;
  /**
   * The regions to read for an account, each collected and tracked on its
   * own. Sources that see every region at once (CloudTrail Lake) leave it out.
   */
  regionsOf?(accountId: string): Promise<string[]>;
  /** Streams the events in the window, page by page. */
  collect(
    query: ActivityQuery,
    options?: { signal?: AbortSignal },
  ): AsyncIterable<ActivityEvent[]>;
}
