import { IANAZone } from 'luxon';
import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import {
  ElevatedAccessSettings,
  ticketMatches,
  ticketPatternProblem,
} from '@elevated-access/backstage-plugin-elevated-access-common';

/** The plugin's static configuration (`elevatedAccess` in app-config). */
export interface ElevatedAccessConfig {
  aws: {
    region: string;
    endpoint?: string;
    instanceArn?: string;
    identityStoreId?: string;
    /** The Identity Center queue's limits, and the Identity Store lookups' (`read…`). */
    limits: {
      maxInFlight: number;
      callsPerSecond: number;
      readMaxInFlight: number;
      readCallsPerSecond: number;
    };
    organizationRefresh: HumanDuration;
    /** Calls per second to each AWS Organizations operation while reading the tree. */
    organizationsCallsPerSecond: number;
    activity: {
      source: 'lookupEvents' | 'lake';
      roleName: string;
      eventDataStore?: string;
      settleMinutes: number;
      paddingMinutes: number;
      callsPerSecond: number;
      regions: string[] | 'all';
    };
    /** Deny sessions opened before access ended (revoked early; on time). */
    endSessions: { enabled: boolean; onExpiry: boolean };
  };
  userMapping: 'email' | 'name';
  roles: { admins: string[]; auditors: string[] };
  scheduleFrequency: HumanDuration;
  activityFrequency: HumanDuration;
  reconcileFrequency: HumanDuration;
  /** Whether each replica acts on starts and ends at their time with a timer. */
  dueTimers: boolean;
  /** How often each replica's due timer looks for other replicas' changes. */
  duePollFrequency: HumanDuration;
  /** Slack incoming-webhook URL (a secret: never served to the browser). */
  slackWebhookUrl?: string;
  /** The IANA zone notification texts write times in. */
  notificationTimeZone: string;
  /** The app's `app.baseUrl`, for absolute links in chat messages. */
  appBaseUrl?: string;
  defaults: ElevatedAccessSettings;
}

/** Settings used until an admin saves their own (DESIGN.md §3.4). */
export const BUILT_IN_SETTINGS: ElevatedAccessSettings = {
  maxDurationMinutes: 8 * 60,
  approvalRequired: true,
  ticketRequired: true,
  ticketPattern: null,
  ticketLinkTemplate: null,
  ticketExample: null,
  commentRequiredOnReject: true,
  commentRequiredOnRevoke: true,
  pendingTimeoutMinutes: 24 * 60,
  reminderBeforeExpiryMinutes: 15,
  endsSoonMinutes: 15,
};

/** The default ticket pattern, refused at startup if it cannot be matched safely. */
function readTicketPattern(defaults: Config | undefined): string | null {
  const pattern = defaults?.getOptionalString('ticketPattern');
  if (!pattern) return BUILT_IN_SETTINGS.ticketPattern;
  const problem = ticketPatternProblem(pattern);
  if (problem) {
    throw new Error(
      `Invalid config elevatedAccess.defaults.ticketPattern: ${problem}`,
    );
  }
  return pattern;
}

/** The default ticket example, refused at startup if the pattern refuses it. */
function readTicketExample(defaults: Config | undefined): string | null {
  const example = defaults?.getOptionalString('ticketExample')?.trim();
  if (!example) return BUILT_IN_SETTINGS.ticketExample ?? null;
  const pattern = readTicketPattern(defaults);
  if (pattern && !ticketMatches(pattern, example)) {
    throw new Error(
      `Invalid config elevatedAccess.defaults.ticketExample: ${example} does not match the ticket pattern ${pattern}`,
    );
  }
  return example;
}

export function readElevatedAccessConfig(root: Config): ElevatedAccessConfig {
  const c = root.getOptionalConfig('elevatedAccess');
  const aws = c?.getOptionalConfig('aws');
  const activity = aws?.getOptionalConfig('activity');
  const defaults = c?.getOptionalConfig('defaults');
  const duration = (key: string, fallback: HumanDuration, cfg?: Config) =>
    cfg?.has(key) ? readDurationFromConfig(cfg, { key }) : fallback;
  return {
    aws: {
      region:
        aws?.getOptionalString('region') ??
        process.env.AWS_REGION ??
        'us-east-1',
      endpoint: aws?.getOptionalString('endpoint'),
      instanceArn: aws?.getOptionalString('identityCenter.instanceArn'),
      identityStoreId: aws?.getOptionalString('identityCenter.identityStoreId'),
      limits: {
        maxInFlight: aws?.getOptionalNumber('limits.maxInFlight') ?? 10,
        callsPerSecond: aws?.getOptionalNumber('limits.callsPerSecond') ?? 20,
        readMaxInFlight: aws?.getOptionalNumber('limits.readMaxInFlight') ?? 10,
        readCallsPerSecond:
          aws?.getOptionalNumber('limits.readCallsPerSecond') ?? 20,
      },
      organizationRefresh: duration(
        'organizationRefresh',
        { minutes: 15 },
        aws,
      ),
      organizationsCallsPerSecond:
        aws?.getOptionalNumber('organizationsCallsPerSecond') ?? 10,
      activity: {
        source:
          (activity?.getOptionalString('source') as 'lookupEvents' | 'lake') ??
          'lookupEvents',
        roleName:
          activity?.getOptionalString('roleName') ??
          'ElevatedAccessActivityReader',
        eventDataStore: activity?.getOptionalString('eventDataStore'),
        settleMinutes: activity?.getOptionalNumber('settleMinutes') ?? 60,
        paddingMinutes: activity?.getOptionalNumber('paddingMinutes') ?? 60,
        callsPerSecond: activity?.getOptionalNumber('callsPerSecond') ?? 2,
        regions: readRegions(activity),
      },
      endSessions: {
        enabled: aws?.getOptionalBoolean('endSessions.enabled') ?? true,
        onExpiry:
          (aws?.getOptionalBoolean('endSessions.enabled') ?? true) &&
          (aws?.getOptionalBoolean('endSessions.onExpiry') ?? true),
      },
    },
    userMapping:
      (c?.getOptionalString('identity.userMapping') as 'email' | 'name') ??
      'email',
    roles: {
      admins: c?.getOptionalStringArray('roles.admins') ?? [],
      auditors: c?.getOptionalStringArray('roles.auditors') ?? [],
    },
    scheduleFrequency: duration(
      'frequency',
      { seconds: 10 },
      c?.getOptionalConfig('schedule'),
    ),
    activityFrequency: duration(
      'activityFrequency',
      { minutes: 1 },
      c?.getOptionalConfig('schedule'),
    ),
    reconcileFrequency: duration(
      'reconcileFrequency',
      { minutes: 5 },
      c?.getOptionalConfig('schedule'),
    ),
    dueTimers:
      c?.getOptionalConfig('schedule')?.getOptionalBoolean('dueTimers') ?? true,
    duePollFrequency: duration(
      'duePollFrequency',
      { seconds: 5 },
      c?.getOptionalConfig('schedule'),
    ),
    slackWebhookUrl: c?.getOptionalString('notifications.slackWebhookUrl'),
    notificationTimeZone: readTimeZone(c),
    appBaseUrl: root.getOptionalString('app.baseUrl'),
    defaults: {
      maxDurationMinutes:
        defaults?.getOptionalNumber('maxDurationMinutes') ??
        BUILT_IN_SETTINGS.maxDurationMinutes,
      approvalRequired:
        defaults?.getOptionalBoolean('approvalRequired') ??
        BUILT_IN_SETTINGS.approvalRequired,
      ticketRequired:
        defaults?.getOptionalBoolean('ticketRequired') ??
        BUILT_IN_SETTINGS.ticketRequired,
      ticketPattern: readTicketPattern(defaults),
      ticketLinkTemplate:
        defaults?.getOptionalString('ticketLinkTemplate') ??
        BUILT_IN_SETTINGS.ticketLinkTemplate,
      ticketExample: readTicketExample(defaults),
      commentRequiredOnReject:
        defaults?.getOptionalBoolean('commentRequiredOnReject') ??
        BUILT_IN_SETTINGS.commentRequiredOnReject,
      commentRequiredOnRevoke:
        defaults?.getOptionalBoolean('commentRequiredOnRevoke') ??
        BUILT_IN_SETTINGS.commentRequiredOnRevoke,
      pendingTimeoutMinutes:
        defaults?.getOptionalNumber('pendingTimeoutMinutes') ??
        BUILT_IN_SETTINGS.pendingTimeoutMinutes,
      reminderBeforeExpiryMinutes:
        defaults?.getOptionalNumber('reminderBeforeExpiryMinutes') ??
        BUILT_IN_SETTINGS.reminderBeforeExpiryMinutes,
      endsSoonMinutes:
        defaults?.getOptionalNumber('endsSoonMinutes') ??
        BUILT_IN_SETTINGS.endsSoonMinutes,
    },
  };
}

/** `aws.activity.regions`: a list of region names or `all` (the default). */
function readRegions(activity: Config | undefined): string[] | 'all' {
  const key = 'regions';
  if (!activity?.has(key)) return 'all';
  const value = activity.get(key);
  if (value === 'all') return 'all';
  const regions = activity.getStringArray(key);
  const invalid = regions.filter(r => !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(r));
  if (!regions.length || invalid.length) {
    throw new Error(
      `elevatedAccess.aws.activity.regions must be 'all' or a list of AWS region names like eu-west-1${
        invalid.length ? `; not region names: ${invalid.join(', ')}` : ''
      }`,
    );
  }
  return regions;
}

/** `notifications.timeZone`: an IANA zone luxon knows, else a clear error. */
function readTimeZone(c: Config | undefined): string {
  const zone = c?.getOptionalString('notifications.timeZone') ?? 'UTC';
  if (!IANAZone.isValidZone(zone)) {
    throw new Error(
      `elevatedAccess.notifications.timeZone: "${zone}" is not a time zone; use an IANA name such as Europe/Paris or UTC`,
    );
  }
  return zone;
}
