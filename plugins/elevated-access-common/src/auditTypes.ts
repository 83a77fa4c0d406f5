import type { Page } from './types';

/**
 * One action recorded during an access session.
 *
 * @public
 */
export interface ActivityEventDto {
  /** Unique per source; used to deduplicate. */
  eventId: string;
  eventTime: string;
  eventName: string;
  eventSource: string;
  /** Names or ARNs of the resources the event names. */
  resources: string[];
  sourceIpAddress?: string;
  userAgent?: string;
  readOnly?: boolean;
  errorCode?: string;
  /** The AWS region the event happened in (global services log in us-east-1). */
  region?: string;
  /**
   * Made after the access ended, with credentials issued while it lasted
   * (AWS sessions stay valid until they expire).
   */
  afterEnd?: boolean;
}

/**
 * A page of a session's activity.
 *
 * @public
 */
export interface ActivityPage extends Page<ActivityEventDto> {
  /** Collection is final: the settle window after the session has passed. */
  complete: boolean;
  /** Events up to this time have been collected. */
  collectedUntil?: string;
}

/**
 * The time buckets of the audit insights.
 *
 * @public
 */
export type InsightsBucket = 'day' | 'week';

/**
 * Grants of one account or permission set in one time bucket.
 *
 * @public
 */
export interface InsightsPoint {
  /** Start of the bucket (UTC; weeks start on Monday). */
  bucketStart: string;
  /** Account id or permission set ARN. */
  key: string;
  /** Account name or permission set name. */
  label: string;
  grants: number;
  /** Hours of access granted: from the grant to its end (or scheduled end). */
  grantedHours: number;
  /** Grants whose activity is complete, so known used or unused. */
  assessed: number;
  unused: number;
}

/**
 * One event source a permission set's sessions used.
 *
 * @public
 */
export interface InsightsEventSource {
  eventSource: string;
  events: number;
  /** How many grants made events of this source. */
  grants: number;
}

/**
 * Usage of one permission set over the whole period.
 *
 * @public
 */
export interface InsightsPermissionSet {
  permissionSetArn: string;
  permissionSetName: string;
  grants: number;
  grantedHours: number;
  assessed: number;
  unused: number;
  /** unused / assessed; null when no grant is assessed yet. */
  shareUnused: number | null;
  /** The most used event sources, by grants then events (sign-in noise excluded). */
  topEventSources: InsightsEventSource[];
}

/**
 * Answer of `GET /audit/insights`: grants bucketed by the time they were granted.
 *
 * @public
 */
export interface AuditInsights {
  from: string;
  to: string;
  bucket: InsightsBucket;
  /** Every bucket start in [from, to), oldest first. */
  buckets: string[];
  byAccount: InsightsPoint[];
  byPermissionSet: InsightsPoint[];
  totals: {
    grants: number;
    grantedHours: number;
    assessed: number;
    unused: number;
    shareUnused: number | null;
  };
  permissionSets: InsightsPermissionSet[];
}
