import { LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { HumanDuration } from '@backstage/types';
import { AccessProvider } from '@elevated-access/backstage-plugin-elevated-access-node';
import { Duration } from 'luxon';
import { OrgTree } from '../domain/OrgTree';

/** What callers are told when the organisation cannot be read. */
export const ORGANISATION_UNAVAILABLE =
  'The AWS organisation is unavailable; try again shortly';

/**
 * The organisation tree and permission sets, read from the access provider
 * and kept in memory. Requests never wait for a refresh while a tree exists:
 * they answer from the last good tree (a refresh of 5,000 accounts takes
 * about a minute under AWS Organizations' rate limits). The scheduled task
 * refreshes it every `maxAge`; a tree twice that old (the task missed its
 * turn) starts a refresh in the background. A refresh that fails keeps the
 * last good tree (and says so in the log); only with no tree at all do
 * callers wait for the first read, and get a 503 if it fails.
 */
export class TargetsService {
  private current?: { tree: OrgTree; at: number };
  private inflight?: Promise<OrgTree>;
  private stopped = false;
  private readonly maxAgeMs: number;

  constructor(
    private readonly provider: AccessProvider,
    private readonly logger: LoggerService,
    maxAge: HumanDuration,
  ) {
    this.maxAgeMs = Duration.fromObject(maxAge).as('milliseconds');
  }

  async tree(): Promise<OrgTree> {
    if (this.current) {
      if (!this.stopped && Date.now() - this.current.at >= 2 * this.maxAgeMs) {
        // failures are logged by refresh(); callers keep the last good tree
        this.refresh().catch(() => {});
      }
      return this.current.tree;
    }
    try {
      return await this.refresh();
    } catch (error) {
      // The provider's error names the backend's role and account (e.g. an
      // AWS AccessDenied): it goes to the log, callers get a plain 503.
      this.logger.error(
        `The organisation could not be read from ${this.provider.id}: ${error}`,
      );
      throw new ServiceUnavailableError(ORGANISATION_UNAVAILABLE);
    }
  }

  /**
   * Starts no more background refreshes and waits (at most `graceMs`) for
   * the one under way, so no AWS call outlives the plugin.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopped = true;
    if (!this.inflight) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.inflight.catch(() => {}),
      new Promise<void>(resolve => {
        timer = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /**
   * Reads the tree now; concurrent callers share one read. The tree in use
   * changes only when the read succeeds.
   */
  refresh(): Promise<OrgTree> {
    if (!this.inflight) {
      this.inflight = this.provider
        .getTargets({ refresh: true })
        .then(
          targets => {
            const tree = new OrgTree(targets);
            this.current = { tree, at: Date.now() };
            return tree;
          },
          error => {
            if (this.current) {
              this.logger.warn(
                'Could not refresh the organisation tree, so the last good one stays in use',
                { error: String(error) },
              );
            }
            throw error;
          },
        )
        .finally(() => {
          this.inflight = undefined;
        });
    }
    return this.inflight;
  }
}
