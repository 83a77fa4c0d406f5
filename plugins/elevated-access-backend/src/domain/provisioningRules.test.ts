import { planRetry, statusAfterRevocation } from './provisioningRules';

describe('provisioning rules', () => {
  it('ends a revoked request as revoked and an expired one as ended', () => {
    expect(statusAfterRevocation({ revokedBy: 'user:default/bob' })).toBe(
      'revoked',
    );
    expect(statusAfterRevocation({})).toBe('ended');
  });

  const now = new Date('2026-11-21T10:00:00Z');

  it('grants a failed grant again while its window is open', () => {
    expect(
      planRetry({
        lastErrorAction: 'grant-failed',
        endTime: '2026-11-21T11:00:00Z',
        now,
      }),
    ).toEqual({ ok: true, to: 'granting', action: 'retry-grant' });
  });

  it('refuses to grant again once the window has ended', () => {
    const plan = planRetry({
      lastErrorAction: 'grant-failed',
      endTime: '2026-11-21T10:00:00Z',
      now,
    });
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.reason).toMatch(/window ended at 2026-11-21T10:00/);
  });

  it('revokes again after a failed revocation, and when the failure is unknown', () => {
    for (const lastErrorAction of ['revoke-failed', undefined]) {
      expect(
        planRetry({ lastErrorAction, endTime: '2026-11-21T09:00:00Z', now }),
      ).toEqual({ ok: true, to: 'revoking', action: 'retry-revoke' });
    }
  });
});
