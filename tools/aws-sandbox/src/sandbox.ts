import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

/** What the demo seed created, with the ids the sandbox gave them. */
export interface SandboxSeed {
  region: string;
  instanceArn: string;
  identityStoreId: string;
  managementAccountId: string;
  rootId: string;
  /** OU name to OU id. */
  ous: Record<string, string>;
  /** Account name to account id (includes the management account, `master`). */
  accounts: Record<string, string>;
  /** Permission set name to ARN. */
  permissionSets: Record<string, string>;
  /** Identity Center user name to user id. */
  users: Record<string, string>;
}

/** Fault modes of the sandbox; everything is off unless set. */
export interface SandboxFaults {
  /** Fraction (0..1) of calls answered with ThrottlingException. */
  throttleRate?: number;
  /** Fraction (0..1) of calls answered with a 500. */
  serverErrorRate?: number;
  /** Operations the two rates apply to (default: every AWS call). */
  operations?: string[];
  /** Regions the two rates apply to (default: every region). */
  regions?: string[];
  /** Every call in these regions is denied, as a region-deny SCP does. */
  denyRegions?: string[];
  /** Latency added to every AWS call. */
  latencyMs?: number;
  /** Assignment creation/deletion and provisioning status stay IN_PROGRESS for this many polls. */
  inProgressPolls?: number;
  /** Assignment creation fails with this reason. */
  failCreationReason?: string;
  /** Assignment deletion fails with this reason. */
  failDeletionReason?: string;
  /** Permission set provisioning fails with this reason. */
  failProvisioningReason?: string;
  /** Limit the failure modes to one permission set. */
  failPermissionSetArn?: string;
  /** Limit the failure modes to one account. */
  failAccountId?: string;
  /** Identity Center write/status calls per second; more are throttled. */
  identityCenterCallsPerSecond?: number;
  /** Identity Center write/status calls in flight at once; more are throttled. */
  identityCenterMaxInFlight?: number;
  /** CloudTrail LookupEvents calls per second per account and region. */
  lookupEventsPerSecond?: number;
  /**
   * AWS Organizations calls per second to each API operation per calling
   * account; more are answered with TooManyRequestsException (HTTP 400).
   */
  organizationsCallsPerSecond?: number;
  /** Calls one Organizations operation may burst to (default: the rate). */
  organizationsBurst?: number;
}

/** OUs and accounts to add to the sandbox's organisation in one control call. */
export interface SandboxOrganizationBulk {
  /**
   * Created in order. A parent is 'root', an existing OU id, or `#<n>`: the
   * n-th OU of this same list.
   */
  organizationalUnits?: Array<{ name: string; parent: string }>;
  accounts?: Array<{ name: string; email?: string; parent: string }>;
}

/** One AWS call the sandbox received. */
export interface SandboxCall {
  time: number;
  service: string | null;
  operation: string;
  region: string | null;
  accessKeyId: string | null;
  params: Record<string, any>;
  status: number;
  error?: string;
}

/** A CloudTrail event to seed (LookupEvents shape; times as ISO strings or epoch seconds). */
export interface SandboxCloudTrailEvent {
  EventId?: string;
  EventName: string;
  EventSource: string;
  EventTime?: string | number;
  Username?: string;
  ReadOnly?: 'true' | 'false';
  AccessKeyId?: string;
  Resources?: Array<{ ResourceType?: string; ResourceName?: string }>;
  /** Merged into the raw CloudTrail event JSON (e.g. sourceIPAddress, userAgent, errorCode). */
  Detail?: Record<string, unknown>;
  RequestParameters?: Record<string, unknown>;
}

export const SANDBOX_ROOT = path.dirname(
  require.resolve('@internal/aws-sandbox/package.json'),
);
const LAUNCHER = path.join(SANDBOX_ROOT, 'bin', 'aws-sandbox');

/** Credentials and endpoint for AWS SDK clients talking to the sandbox. */
export interface SandboxClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** Controls a running sandbox: its URL, the seed, faults, the call record. */
export class SandboxControl {
  constructor(readonly url: string, readonly region = 'us-east-1') {}

  /** Config for AWS SDK v3 clients (any credentials work against the sandbox). */
  clientConfig(): SandboxClientConfig {
    return {
      endpoint: this.url,
      region: this.region,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    };
  }

  async health(): Promise<boolean> {
    try {
      const res = await fetch(`${this.url}/_sandbox/health`);
      return res.ok;
    } catch {
      return false;
    }
  }

  /** Wipes everything (moto state, events, faults, call record). */
  async reset(): Promise<void> {
    await this.control('POST', 'reset');
  }

  /** Seeds the demo organisation; idempotent. */
  async seedDemo(): Promise<SandboxSeed> {
    return this.control('POST', 'seed');
  }

  async setFaults(faults: SandboxFaults): Promise<SandboxFaults> {
    return this.control('POST', 'faults', faults);
  }

  async clearFaults(): Promise<void> {
    await this.control('DELETE', 'faults');
  }

  /** The AWS calls received, optionally only some operations or since a time. */
  async calls(filter?: {
    operations?: string[];
    since?: number;
  }): Promise<SandboxCall[]> {
    const query = new URLSearchParams();
    for (const op of filter?.operations ?? []) query.append('operation', op);
    if (filter?.since !== undefined) query.set('since', String(filter.since));
    const body = await this.control('GET', `calls?${query}`);
    return body.calls;
  }

  /**
   * Adds OUs and accounts to the organisation straight into the sandbox's
   * model (thousands in about a second); returns their ids in the order given.
   */
  async bulkOrganization(bulk: SandboxOrganizationBulk): Promise<{
    rootId: string;
    organizationalUnitIds: string[];
    accountIds: string[];
  }> {
    return this.control('POST', 'organizations/bulk', bulk);
  }

  async clearCalls(): Promise<void> {
    await this.control('DELETE', 'calls');
  }

  /** Stores CloudTrail events in one account, as LookupEvents will return them. */
  async putCloudTrailEvents(
    accountId: string,
    events: SandboxCloudTrailEvent[],
    region = this.region,
  ): Promise<number> {
    const body = await this.control('POST', 'cloudtrail/events', {
      accountId,
      region,
      events,
    });
    return body.stored;
  }

  private async control(method: string, action: string, body?: unknown) {
    const res = await fetch(`${this.url}/_sandbox/${action}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : undefined,
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await res.json();
    if (!res.ok) {
      throw new Error(
        `sandbox ${method} ${action} failed: ${res.status} ${JSON.stringify(
          json,
        )}`,
      );
    }
    return json;
  }
}

/** A sandbox process this code started. */
export class RunningSandbox extends SandboxControl {
  constructor(
    url: string,
    readonly seed: SandboxSeed | undefined,
    private readonly child: ChildProcess,
  ) {
    super(url);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await new Promise<void>(resolve => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

/**
 * Starts a sandbox process (moto plus our launcher). Port 0 (the default)
 * picks a free port, so test files can run side by side.
 */
export async function startSandbox(options?: {
  port?: number;
  seed?: boolean;
  timeoutMs?: number;
}): Promise<RunningSandbox> {
  const args = ['--port', String(options?.port ?? 0)];
  if (options?.seed ?? true) args.push('--seed');
  const child = spawn(LAUNCHER, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', chunk => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const lines = readline.createInterface({ input: child.stdout! });
  const timeoutMs = options?.timeoutMs ?? 30_000;

  return new Promise<RunningSandbox>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`AWS sandbox did not start in ${timeoutMs} ms:\n${stderr}`),
      );
    }, timeoutMs);
    child.once('exit', code => {
      clearTimeout(timer);
      reject(new Error(`AWS sandbox exited with code ${code}:\n${stderr}`));
    });
    lines.once('line', line => {
      clearTimeout(timer);
      try {
        const ready = JSON.parse(line);
        child.removeAllListeners('exit');
        resolve(
          new RunningSandbox(ready.url, ready.seeded ?? undefined, child),
        );
      } catch (e) {
        child.kill('SIGKILL');
        reject(new Error(`AWS sandbox said something unexpected: ${line}`));
      }
    });
  });
}
