import {
  AccessAssignment,
  AccessOperationResult,
  AccessProvider,
  AccessTargets,
  AccessUser,
} from '@internal/backstage-plugin-elevated-access-node';

const key = (a: AccessAssignment) =>
  `${a.principalId}|${a.accountId}|${a.permissionSetArn}`;

/** An access provider that keeps assignments in memory (no AWS). */
export class InMemoryAccessProvider implements AccessProvider {
  readonly id = 'in-memory';
  private readonly assignments = new Set<string>();

  constructor(private readonly targets: AccessTargets) {}

  async getTargets(): Promise<AccessTargets> {
    return this.targets;
  }

  async resolvePrincipal(user: AccessUser) {
    return { principalId: `id-${user.name}`, userName: user.name };
  }

  async grant(assignment: AccessAssignment): Promise<AccessOperationResult> {
    this.assignments.add(key(assignment));
    return { status: 'succeeded' };
  }

  async revoke(assignment: AccessAssignment): Promise<AccessOperationResult> {
    this.assignments.delete(key(assignment));
    return { status: 'succeeded' };
  }

  async hasAssignment(assignment: AccessAssignment): Promise<boolean> {
    return this.assignments.has(key(assignment));
  }
}
