import {
  AccessAssignment,
  AccessOperationResult,
  AccessProvider,
  AccessTargets,
  AccessUser,
} from '@elevated-access/backstage-plugin-elevated-access-node';

const key = (a: AccessAssignment) =>
  `${a.principalId}|${a.accountId}|${a.permissionSetArn}`;

/**
 * An AccessProvider that keeps assignments in memory: what an adopter's own
 * provider plugs into the extension point, here for tests that are not about
 * AWS. Principals are the catalog user names.
 *
 * @public
 */
export class InMemoryAccessProvider implements AccessProvider {
  readonly id = 'in-memory';
  /** The assignments that exist now, as `principal|account|permission set`. */
  readonly assignments = new Set<string>();
  /** Every grant and revoke, in order. */
  readonly calls: Array<{
    op: 'grant' | 'revoke';
    assignment: AccessAssignment;
  }> = [];
  /** Set to make grants fail with this reason. */
  failGrantsWith?: string;
  /** Set to make reading the organisation fail with this error. */
  targetsError?: Error;

  constructor(private targets: AccessTargets) {}

  setTargets(targets: AccessTargets) {
    this.targets = targets;
  }

  async getTargets(): Promise<AccessTargets> {
    if (this.targetsError) throw this.targetsError;
    return this.targets;
  }

  async resolvePrincipal(user: AccessUser) {
    return { principalId: `id-${user.name}`, userName: user.name };
  }

  async grant(assignment: AccessAssignment): Promise<AccessOperationResult> {
    this.calls.push({ op: 'grant', assignment });
    if (this.failGrantsWith)
      return { status: 'failed', reason: this.failGrantsWith };
    this.assignments.add(key(assignment));
    return { status: 'succeeded' };
  }

  async revoke(assignment: AccessAssignment): Promise<AccessOperationResult> {
    this.calls.push({ op: 'revoke', assignment });
    this.assignments.delete(key(assignment));
    return { status: 'succeeded' };
  }

  async hasAssignment(assignment: AccessAssignment): Promise<boolean> {
    return this.assignments.has(key(assignment));
  }
}
