import { ConfigReader } from '@backstage/config';
import { HumanDuration } from '@backstage/types';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ElevatedAccessConfig, readElevatedAccessConfig } from './config';

/**
 * docs/install.md carries a configuration reference generated from
 * config.d.ts by scripts/config-reference.js; these tests fail when it is
 * out of date, or when a documented default disagrees with config.ts.
 */

const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = path.join(ROOT, 'scripts/config-reference.js');
const CONFIG_D_TS = path.join(
  ROOT,
  'plugins/elevated-access-backend/config.d.ts',
);
const FRONTEND_CONFIG_D_TS = path.join(
  ROOT,
  'plugins/elevated-access/config.d.ts',
);
const INSTALL_MD = path.join(ROOT, 'docs/install.md');

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return {
    status: result.status,
    output: `${result.stdout}${result.stderr}`,
  };
}

interface Row {
  key: string;
  type: string;
  kind: 'object' | 'value';
  description: string;
  default?: string;
  visibility: string;
}

function rows(): Row[] {
  const { status, output } = run('--json');
  expect(status).toBe(0);
  return JSON.parse(output);
}

describe('the configuration reference in docs/install.md', () => {
  it('is up to date with config.d.ts', () => {
    const { status, output } = run('--check');
    // on failure the output is the diff: run `node scripts/config-reference.js`
    expect({ status, output }).toEqual({
      status: 0,
      output: expect.stringContaining('is up to date'),
    });
  });

  it('reports a stale reference with a diff, without writing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-reference-'));
    try {
      const configCopy = path.join(dir, 'config.d.ts');
      const docCopy = path.join(dir, 'install.md');
      fs.writeFileSync(
        configCopy,
        fs
          .readFileSync(CONFIG_D_TS, 'utf8')
          .replace(
            'Operations in flight at once (default 10)',
            'In flight (default 12)',
          ),
      );
      fs.copyFileSync(INSTALL_MD, docCopy);
      const before = fs.readFileSync(docCopy, 'utf8');

      const configs = [
        '--config',
        configCopy,
        '--config',
        FRONTEND_CONFIG_D_TS,
      ];
      const { status, output } = run('--check', ...configs, '--doc', docCopy);
      expect(status).toBe(1);
      expect(output).toContain('is out of date');
      expect(output).toMatch(
        /^- \| `elevatedAccess\.aws\.limits\.maxInFlight` \| `number` \| 10 \| Operations in flight at once\. \|/m,
      );
      expect(output).toMatch(
        /^\+ \| `elevatedAccess\.aws\.limits\.maxInFlight` \| `number` \| 12 \| In flight\. \|/m,
      );
      expect(output).not.toContain('accessPortalUrl');
      expect(fs.readFileSync(docCopy, 'utf8')).toBe(before);

      // without --check it writes, and then the check passes
      expect(run(...configs, '--doc', docCopy).status).toBe(0);
      expect(run('--check', ...configs, '--doc', docCopy).status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('describes every key, with its default', () => {
    const undocumented = rows()
      .filter(r => r.kind === 'value')
      .filter(r => !r.description || r.default === undefined)
      .map(r => r.key);
    expect(undocumented).toEqual([]);
  });

  it('marks the Slack webhook URL secret, and serves only the portal link to the browser', () => {
    expect(
      rows()
        .filter(r => r.visibility !== 'backend')
        .map(r => [r.key, r.visibility]),
    ).toEqual([
      ['elevatedAccess.notifications.slackWebhookUrl', 'secret'],
      ['elevatedAccess.accessPortalUrl', 'frontend'],
    ]);
  });

  it('states the same defaults as config.ts', () => {
    const saved = process.env.AWS_REGION;
    delete process.env.AWS_REGION;
    let defaults: ElevatedAccessConfig;
    try {
      defaults = readElevatedAccessConfig(new ConfigReader({}));
    } finally {
      if (saved !== undefined) process.env.AWS_REGION = saved;
    }

    /** Where config.ts puts each key's value (every key must be listed). */
    const valueOf: Record<string, (c: ElevatedAccessConfig) => unknown> = {
      'elevatedAccess.aws.region': c => c.aws.region,
      'elevatedAccess.aws.endpoint': c => c.aws.endpoint,
      'elevatedAccess.aws.identityCenter.instanceArn': c => c.aws.instanceArn,
      'elevatedAccess.aws.identityCenter.identityStoreId': c =>
        c.aws.identityStoreId,
      'elevatedAccess.aws.limits.maxInFlight': c => c.aws.limits.maxInFlight,
      'elevatedAccess.aws.limits.callsPerSecond': c =>
        c.aws.limits.callsPerSecond,
      'elevatedAccess.aws.limits.readMaxInFlight': c =>
        c.aws.limits.readMaxInFlight,
      'elevatedAccess.aws.limits.readCallsPerSecond': c =>
        c.aws.limits.readCallsPerSecond,
      'elevatedAccess.aws.organizationRefresh': c => c.aws.organizationRefresh,
      'elevatedAccess.aws.organizationsCallsPerSecond': c =>
        c.aws.organizationsCallsPerSecond,
      'elevatedAccess.aws.activity.source': c => c.aws.activity.source,
      'elevatedAccess.aws.activity.roleName': c => c.aws.activity.roleName,
      'elevatedAccess.aws.activity.eventDataStore': c =>
        c.aws.activity.eventDataStore,
      'elevatedAccess.aws.activity.paddingMinutes': c =>
        c.aws.activity.paddingMinutes,
      'elevatedAccess.aws.activity.settleMinutes': c =>
        c.aws.activity.settleMinutes,
      'elevatedAccess.aws.activity.callsPerSecond': c =>
        c.aws.activity.callsPerSecond,
      'elevatedAccess.aws.activity.regions': c => c.aws.activity.regions,
      'elevatedAccess.aws.endSessions.enabled': c => c.aws.endSessions.enabled,
      'elevatedAccess.aws.endSessions.onExpiry': c =>
        c.aws.endSessions.onExpiry,
      'elevatedAccess.identity.userMapping': c => c.userMapping,
      'elevatedAccess.roles.admins': c => c.roles.admins,
      'elevatedAccess.roles.auditors': c => c.roles.auditors,
      'elevatedAccess.schedule.frequency': c => c.scheduleFrequency,
      'elevatedAccess.schedule.activityFrequency': c => c.activityFrequency,
      'elevatedAccess.schedule.reconcileFrequency': c => c.reconcileFrequency,
      'elevatedAccess.schedule.dueTimers': c => c.dueTimers,
      'elevatedAccess.schedule.duePollFrequency': c => c.duePollFrequency,
      'elevatedAccess.notifications.slackWebhookUrl': c => c.slackWebhookUrl,
      'elevatedAccess.notifications.timeZone': c => c.notificationTimeZone,
      'elevatedAccess.defaults.maxDurationMinutes': c =>
        c.defaults.maxDurationMinutes,
      'elevatedAccess.defaults.approvalRequired': c =>
        c.defaults.approvalRequired,
      'elevatedAccess.defaults.ticketRequired': c => c.defaults.ticketRequired,
      'elevatedAccess.defaults.ticketPattern': c => c.defaults.ticketPattern,
      'elevatedAccess.defaults.ticketLinkTemplate': c =>
        c.defaults.ticketLinkTemplate,
      'elevatedAccess.defaults.ticketExample': c => c.defaults.ticketExample,
      'elevatedAccess.defaults.commentRequiredOnReject': c =>
        c.defaults.commentRequiredOnReject,
      'elevatedAccess.defaults.commentRequiredOnRevoke': c =>
        c.defaults.commentRequiredOnRevoke,
      'elevatedAccess.defaults.pendingTimeoutMinutes': c =>
        c.defaults.pendingTimeoutMinutes,
      'elevatedAccess.defaults.reminderBeforeExpiryMinutes': c =>
        c.defaults.reminderBeforeExpiryMinutes,
      'elevatedAccess.defaults.endsSoonMinutes': c =>
        c.defaults.endsSoonMinutes,
    };

    /** Reads a documented default as a value (or a description of one). */
    const parse = (text: string): unknown => {
      if (/^none\b/.test(text)) return 'none';
      if (/^discovered\b/.test(text)) return 'discovered';
      if (/^(true|false)$/.test(text)) return text === 'true';
      if (/^\d+$/.test(text)) return Number(text);
      const code = /^`([^`]+)`$/.exec(text);
      if (code) return code[1];
      const duration = /^(\d+) (second|minute|hour|day)s?$/.exec(text);
      if (duration) return { [`${duration[2]}s`]: Number(duration[1]) };
      const region = /`AWS_REGION`.*else `([\w-]+)`$/.exec(text);
      if (region) return region[1];
      return text;
    };
    /** What config.ts's value looks like in those terms. */
    const normalize = (value: unknown): unknown => {
      if (value === undefined || value === null) return 'none';
      if (Array.isArray(value) && value.length === 0) return 'none';
      return value as HumanDuration | string | number | boolean;
    };

    // Frontend keys are read by the browser, catalog keys by the catalog
    // module: neither by config.ts.
    const documented = rows().filter(
      r =>
        r.kind === 'value' &&
        r.visibility !== 'frontend' &&
        !r.key.startsWith('elevatedAccess.catalog.'),
    );
    expect(documented.map(r => r.key).sort()).toEqual(
      Object.keys(valueOf).sort(),
    );
    const disagreements = documented
      .map(r => {
        const doc = parse(r.default ?? '');
        let code = normalize(valueOf[r.key](defaults));
        // instance ARN and identity store id are looked up when unset
        if (doc === 'discovered' && code === 'none') code = 'discovered';
        return { key: r.key, doc, code };
      })
      .filter(({ doc, code }) => JSON.stringify(doc) !== JSON.stringify(code));
    expect(disagreements).toEqual([]);
  });
});

describe('notifications.timeZone', () => {
  it('takes an IANA zone and refuses anything else in words', () => {
    const read = (timeZone: string) =>
      readElevatedAccessConfig(
        new ConfigReader({ elevatedAccess: { notifications: { timeZone } } }),
      ).notificationTimeZone;
    expect(read('Europe/Paris')).toBe('Europe/Paris');
    expect(() => read('Paris time')).toThrow(
      'elevatedAccess.notifications.timeZone: "Paris time" is not a time zone; use an IANA name such as Europe/Paris or UTC',
    );
  });
});

describe('readElevatedAccessConfig', () => {
  it('reads every key from where config.d.ts puts it', () => {
    // two sections read as they are written
    const activity = {
      source: 'lake',
      roleName: 'Reader',
      eventDataStore: 'arn:aws:cloudtrail:eu-west-1:1:eventdatastore/x',
      paddingMinutes: 8,
      settleMinutes: 9,
      callsPerSecond: 1,
      regions: ['eu-west-1', 'us-east-1'],
    };
    const defaults = {
      maxDurationMinutes: 60,
      approvalRequired: false,
      ticketRequired: false,
      ticketPattern: '^OPS-\\d+$',
      ticketLinkTemplate: 'https://tickets.example.com/{ticket}',
      ticketExample: 'OPS-1',
      commentRequiredOnReject: false,
      commentRequiredOnRevoke: false,
      pendingTimeoutMinutes: 30,
      reminderBeforeExpiryMinutes: 5,
      endsSoonMinutes: 0,
    };
    const config = readElevatedAccessConfig(
      new ConfigReader({
        app: { baseUrl: 'https://backstage.example.com' },
        elevatedAccess: {
          aws: {
            region: 'eu-west-1',
            endpoint: 'http://127.0.0.1:4566',
            identityCenter: {
              instanceArn: 'arn:aws:sso:::instance/ssoins-1',
              identityStoreId: 'd-1',
            },
            limits: {
              maxInFlight: 3,
              callsPerSecond: 4,
              readMaxInFlight: 5,
              // a number from an environment variable is a string
              readCallsPerSecond: '6',
            },
            organizationRefresh: '30m',
            organizationsCallsPerSecond: 7,
            activity,
            endSessions: { enabled: true, onExpiry: false },
          },
          identity: { userMapping: 'name' },
          roles: { admins: ['group:default/a'], auditors: ['group:default/b'] },
          schedule: {
            frequency: { seconds: 20 },
            activityFrequency: 'PT2M',
            reconcileFrequency: { minutes: 10 },
            dueTimers: 'false',
            duePollFrequency: '1s',
          },
          notifications: {
            slackWebhookUrl: 'https://hooks.slack.com/services/x',
            timeZone: 'Europe/Paris',
          },
          defaults,
        },
      }),
    );
    expect(config).toEqual({
      aws: {
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:4566',
        instanceArn: 'arn:aws:sso:::instance/ssoins-1',
        identityStoreId: 'd-1',
        limits: {
          maxInFlight: 3,
          callsPerSecond: 4,
          readMaxInFlight: 5,
          readCallsPerSecond: 6,
        },
        organizationRefresh: { minutes: 30 },
        organizationsCallsPerSecond: 7,
        activity,
        endSessions: { enabled: true, onExpiry: false },
      },
      userMapping: 'name',
      roles: { admins: ['group:default/a'], auditors: ['group:default/b'] },
      scheduleFrequency: { seconds: 20 },
      activityFrequency: { minutes: 2 },
      reconcileFrequency: { minutes: 10 },
      dueTimers: false,
      duePollFrequency: { seconds: 1 },
      slackWebhookUrl: 'https://hooks.slack.com/services/x',
      notificationTimeZone: 'Europe/Paris',
      appBaseUrl: 'https://backstage.example.com',
      defaults,
    });
  });

  it('ends no sessions at expiry when ending sessions is off', () => {
    expect(
      readElevatedAccessConfig(
        new ConfigReader({
          elevatedAccess: { aws: { endSessions: { enabled: false } } },
        }),
      ).aws.endSessions,
    ).toEqual({ enabled: false, onExpiry: false });
  });

  it('refuses invalid values naming the whole key', () => {
    const read = (elevatedAccess: object) => () =>
      readElevatedAccessConfig(
        new ConfigReader({ elevatedAccess }, 'app.yaml'),
      );
    expect(read({ aws: { limits: { maxInFlight: 'many' } } })).toThrow(
      "Unable to convert config value for key 'elevatedAccess.aws.limits.maxInFlight' in 'app.yaml' to a number",
    );
    expect(read({ schedule: { frequency: 'often' } })).toThrow(
      "Invalid duration 'often' in config at 'schedule.frequency'",
    );
    expect(read({ aws: { activity: { regions: ['Ireland'] } } })).toThrow(
      "elevatedAccess.aws.activity.regions must be 'all' or a list of AWS region names like eu-west-1; not region names: Ireland",
    );
    expect(read({ defaults: { ticketPattern: 'OPS-(' } })).toThrow(
      /^Invalid config elevatedAccess\.defaults\.ticketPattern: /,
    );
    expect(
      read({ defaults: { ticketPattern: '^OPS-\\d+$', ticketExample: 'X' } }),
    ).toThrow(
      'Invalid config elevatedAccess.defaults.ticketExample: X does not match the ticket pattern ^OPS-\\d+$',
    );
  });
});
