import { Triple } from '../database/AssignmentLedger';
import { StoredRequest } from '../database/RequestStore';
import { LifecycleStep } from './LifecycleJob';
import { ProvisioningDeps, SYSTEM_ACTOR } from './ProvisioningSteps';

/**
 * Compares the plugin's active grants with the real assignments and repairs
 * drift: a grant whose assignment is missing (deleted by hand, or the target
 * was restored) is re-created; an assignment the plugin made that no request
 * holds any more is deleted. Every repair is an event on the request.
 */
export class ReconcileStep implements LifecycleStep {
  name = 'reconcile';

  constructor(private readonly deps: ProvisioningDeps) {}

  async run(): Promise<void> {
    const { requests, ledger, provider, clock, owner } = this.deps;
    let after: string | undefined;
    for (;;) {
      const page = await requests.active(after, 200);
      for (const r of page) await this.checkGrant(r);
      if (page.length < 200) break;
      after = page[page.length - 1].id;
    }
    const lockOwner = `${owner}/reconcile`;
    for (const triple of await ledger.orphans(clock.now())) {
      const until = new Date(clock.now().getTime() + 60_000);
      if (!(await ledger.lock(triple, lockOwner, clock.now(), until))) continue;
      try {
        if ((await requests.holders(triple, '')).length) continue;
        if (await provider.hasAssignment(triple)) {
          const result = await provider.revoke(triple);
          if (result.status !== 'succeeded') {
            this.deps.logger.warn(
              `Could not remove orphaned assignment: ${result.reason}`,
            );
            continue;
          }
          this.deps.logger.info(
            'Removed an assignment no request holds any more',
            { ...triple },
          );
        }
        await ledger.forget(triple, lockOwner);
      } finally {
        await ledger.unlock(triple, lockOwner);
      }
    }
  }

  private async checkGrant(r: StoredRequest) {
    const { requests, ledger, provider, clock, owner } = this.deps;
    if (!r.principalId) return;
    const triple: Triple = {
      principalId: r.principalId,
      accountId: r.accountId,
      permissionSetArn: r.permissionSetArn,
    };
    if (
      !(await requests.claim(
        r.id,
        'active',
        owner,
        clock.now(),
        new Date(clock.now().getTime() + 60_000),
      ))
    ) {
      return;
    }
    try {
      const lockOwner = `${owner}/${r.id}`;
      if (
        !(await ledger.lock(
          triple,
          lockOwner,
          clock.now(),
          new Date(clock.now().getTime() + 60_000),
        ))
      ) {
        return;
      }
      try {
        if (await provider.hasAssignment(triple)) return;
        const result = await provider.grant(triple);
        await requests.note(
          r.id,
          'reconcile',
          SYSTEM_ACTOR,
          result.status === 'succeeded'
            ? 'Drift repaired: the assignment was missing and has been re-created'
            : `Drift found: the assignment is missing and re-creating it failed: ${result.reason}`,
          clock.now(),
        );
      } finally {
        await ledger.unlock(triple, lockOwner);
      }
    } finally {
      await requests.release(r.id, owner);
    }
  }
}
