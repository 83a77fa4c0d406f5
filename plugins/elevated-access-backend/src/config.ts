import { IANAZone } from 'luxon';
import { Config, ConfigReader } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import { readAwsConnectionConfig } from '@elevated-access/backstage-plugin-elevated-access-node';
import {
  ElevatedAccessSettings,
  ticketMatches,
  ticketPatternProblem,
} from '@elevated-access/backstage-plugin-elevated-access-common';
import {
  booleanAt,
  ConfigSpec,
  durationAt,
  numberAt,
  optionalStringAt,
  readConfigSpec,
  stringAt,
  stringsAt,
} from './configReaders';

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
function readTicketPattern(c: Config): string | null {
  const pattern = c.getOptionalString('defaults.ticketPattern');
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
function readTicketExample(c: Config): string | null {
  const example = c.getOptionalString('defaults.ticketExample')?.trim();
  if (!example) return BUILT_IN_SETTINGS.ticketExample ?? null;
  const pattern = readTicketPattern(c);
  if (pattern && !ticketMatches(pattern, example)) {
    throw new Error(
      `Invalid config elevatedAccess.defaults.ticketExample: ${example} does not match the ticket pattern ${pattern}`,
    );
  }
  return example;
}

/** Sessions are ended at expiry only when ending sessions is on at all. */
function readEndSessions(
  c: Config,
): ElevatedAccessConfig['aws']['endSessions'] {
  const enabled = c.getOptionalBoolean('aws.endSessions.enabled') ?? true;
  return {
    enabled,
    onExpiry:
      enabled && (c.getOptionalBoolean('aws.endSessions.onExpiry') ?? true),
  };
}

/**
 * Where each value of `elevatedAccess` is read from (keys below
 * `elevatedAccess`), and its default. config.d.ts documents the same keys
 * and defaults (configReference.test.ts compares them).
 */
const ELEVATED_ACCESS_CONFIG: ConfigSpec<ElevatedAccessConfig> = {
  aws: {
    // shared with the catalog module
    region: (_, root) => readAwsConnectionConfig(root).region,
    endpoint: (_, root) => readAwsConnectionConfig(root).endpoint,
    instanceArn: optionalStringAt('aws.identityCenter.instanceArn'),
    identityStoreId: optionalStringAt('aws.identityCenter.identityStoreId'),
    limits: {
      maxInFlight: numberAt('aws.limits.maxInFlight', 10),
      callsPerSecond: numberAt('aws.limits.callsPerSecond', 20),
      readMaxInFlight: numberAt('aws.limits.readMaxInFlight', 10),
      readCallsPerSecond: numberAt('aws.limits.readCallsPerSecond', 20),
    },
    organizationRefresh: durationAt('aws.organizationRefresh', {
      minutes: 15,
    }),
    organizationsCallsPerSecond: numberAt(
      'aws.organizationsCallsPerSecond',
      10,
    ),
    activity: {
      source: stringAt<'lookupEvents' | 'lake'>(
        'aws.activity.source',
        'lookupEvents',
      ),
      roleName: stringAt(
        'aws.activity.roleName',
        'ElevatedAccessActivityReader',
      ),
      eventDataStore: optionalStringAt('aws.activity.eventDataStore'),
      settleMinutes: numberAt('aws.activity.settleMinutes', 60),
      paddingMinutes: numberAt('aws.activity.paddingMinutes', 60),
      callsPerSecond: numberAt('aws.activity.callsPerSecond', 2),
      regions: readRegions,
    },
    endSessions: readEndSessions,
  },
  userMapping: stringAt<'email' | 'name'>('identity.userMapping', 'email'),
  roles: {
    admins: stringsAt('roles.admins'),
    auditors: stringsAt('roles.auditors'),
  },
  scheduleFrequency: durationAt('schedule.frequency', { seconds: 10 }),
  activityFrequency: durationAt('schedule.activityFrequency', { minutes: 1 }),
  reconcileFrequency: durationAt('schedule.reconcileFrequency', { minutes: 5 }),
  dueTimers: booleanAt('schedule.dueTimers', true),
  duePollFrequency: durationAt('schedule.duePollFrequency', { seconds: 5 }),
  slackWebhookUrl: optionalStringAt('notifications.slackWebhookUrl'),
  notificationTimeZone: readTimeZone,
  appBaseUrl: (_, root) => root.getOptionalString('app.baseUrl'),
  defaults: {
    maxDurationMinutes: numberAt(
      'defaults.maxDurationMinutes',
      BUILT_IN_SETTINGS.maxDurationMinutes,
    ),
    approvalRequired: booleanAt(
      'defaults.approvalRequired',
      BUILT_IN_SETTINGS.approvalRequired,
    ),
    ticketRequired: booleanAt(
      'defaults.ticketRequired',
      BUILT_IN_SETTINGS.ticketRequired,
    ),
    ticketPattern: readTicketPattern,
    ticketLinkTemplate: c =>
      c.getOptionalString('defaults.ticketLinkTemplate') ??
      BUILT_IN_SETTINGS.ticketLinkTemplate,
    ticketExample: readTicketExample,
    commentRequiredOnReject: booleanAt(
      'defaults.commentRequiredOnReject',
      BUILT_IN_SETTINGS.commentRequiredOnReject,
    ),
    commentRequiredOnRevoke: booleanAt(
      'defaults.commentRequiredOnRevoke',
      BUILT_IN_SETTINGS.commentRequiredOnRevoke,
    ),
    pendingTimeoutMinutes: numberAt(
      'defaults.pendingTimeoutMinutes',
      BUILT_IN_SETTINGS.pendingTimeoutMinutes,
    ),
    reminderBeforeExpiryMinutes: numberAt(
      'defaults.reminderBeforeExpiryMinutes',
      BUILT_IN_SETTINGS.reminderBeforeExpiryMinutes,
    ),
    endsSoonMinutes: numberAt(
      'defaults.endsSoonMinutes',
      BUILT_IN_SETTINGS.endsSoonMinutes,
    ),
  },
};

export function readElevatedAccessConfig(root: Config): ElevatedAccessConfig {
  // keys are read below `elevatedAccess`; errors still name the whole key
  const c = root.getOptionalConfig('elevatedAccess') ?? new ConfigReader({});
  return readConfigSpec(c, ELEVATED_ACCESS_CONFIG, root);
}

/** `aws.activity.regions`: a list of region names or `all` (the default). */
function readRegions(c: Config): string[] | 'all' {
  const key = 'aws.activity.regions';
  if (!c.has(key)) return 'all';
  const value = c.get(key);
  if (value === 'all') return 'all';
  const regions = c.getStringArray(key);
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
function readTimeZone(c: Config): string {
  const zone = c.getOptionalString('notifications.timeZone') ?? 'UTC';
  if (!IANAZone.isValidZone(zone)) {
    throw new Error(
      `elevatedAccess.notifications.timeZone: "${zone}" is not a time zone; use an IANA name such as Europe/Paris or UTC`,
    );
  }
  return zone;
}
