import {
  FINAL_STATUSES,
  findTransition,
  isLegalTransition,
  LIFECYCLE_TRANSITIONS,
  statusesAllowing,
} from './lifecycle';
import { REQUEST_STATUSES } from './status';

describe('lifecycle', () => {
  it('reaches every status from creation, and nothing leaves a final status', () => {
    const reached = new Set<string>();
    const queue: Array<string | null> = [null];
    while (queue.length) {
      const from = queue.shift()!;
      for (const t of LIFECYCLE_TRANSITIONS.filter(x => x.from === from)) {
        if (!reached.has(t.to)) {
          reached.add(t.to);
          queue.push(t.to);
        }
      }
    }
    expect([...reached].sort()).toEqual([...REQUEST_STATUSES].sort());
    for (const status of FINAL_STATUSES) {
      expect(LIFECYCLE_TRANSITIONS.filter(t => t.from === status)).toEqual([]);
    }
  });

  it('lets only the system provision, and people only decide, cancel and revoke', () => {
    const systemActions = [
      'start-grant',
      'grant-succeeded',
      'grant-failed',
      'end',
      'revoke-succeeded',
      'revoke-failed',
      'expire',
      'window-elapsed',
      'ineligible',
    ];
    const actorsOf = (systemOnly: boolean) =>
      LIFECYCLE_TRANSITIONS.filter(
        t => systemActions.includes(t.action) === systemOnly,
      ).map(t => t.actors);
    expect(actorsOf(true).every(a => a.length === 1 && a[0] === 'system')).toBe(
      true,
    );
    expect(actorsOf(false).some(a => a.includes('system'))).toBe(false);
    expect(actorsOf(false).length).toBeGreaterThan(5);
  });

  it('answers legality questions', () => {
    expect(isLegalTransition('pending', 'approved')).toBe(true);
    expect(isLegalTransition('expired', 'approved')).toBe(false);
    expect(isLegalTransition('pending', 'active')).toBe(false);
    expect(findTransition('active', 'revoke')?.to).toBe('revoking');
    expect(statusesAllowing('cancel').sort()).toEqual(['approved', 'pending']);
    expect(statusesAllowing('revoke').sort()).toEqual([
      'active',
      'approved',
      'error',
      'granting',
    ]);
  });
});
