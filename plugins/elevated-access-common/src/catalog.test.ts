import { accountIdsOfEntity, isMarkedSensitive } from './catalog';
import { approverPolicyInputSchema } from './schemas';

const entity = (annotations: Record<string, string>) => ({
  metadata: { name: 'x', annotations },
});

describe('catalog annotations', () => {
  it('reads account ids from either annotation, lists included, junk left out', () => {
    expect(
      accountIdsOfEntity(
        entity({
          'aws.amazon.com/account-id': '111111111111, 222222222222,not-an-id',
          'amazonaws.com/account-id': '222222222222',
        }),
      ),
    ).toEqual(['111111111111', '222222222222']);
    expect(
      accountIdsOfEntity(
        entity({ 'amazonaws.com/account-id': '333333333333' }),
      ),
    ).toEqual(['333333333333']);
    expect(accountIdsOfEntity({ metadata: { name: 'x' } })).toEqual([]);
  });

  it('treats only "true" as sensitive', () => {
    expect(
      isMarkedSensitive(entity({ 'elevated-access/sensitive': 'True ' })),
    ).toBe(true);
    expect(
      isMarkedSensitive(entity({ 'elevated-access/sensitive': 'yes' })),
    ).toBe(false);
    expect(isMarkedSensitive(entity({}))).toBe(false);
  });
});

describe('approver policy input', () => {
  const base = { name: 'Owners', ous: ['ou-1234-abcdefgh'] };

  it('takes owner and system-owner besides refs, as lower-case tokens', () => {
    const parsed = approverPolicyInputSchema.parse({
      ...base,
      approvers: ['Owner', ' system-owner', 'group:default/leads'],
    });
    expect(parsed.approvers).toEqual([
      'owner',
      'system-owner',
      'group:default/leads',
    ]);
  });

  it('refuses other words and a sensitive threshold below the minimum', () => {
    const bad = approverPolicyInputSchema.safeParse({
      ...base,
      approvers: ['owners!'],
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toMatch(/owner or system-owner/);
    const low = approverPolicyInputSchema.safeParse({
      ...base,
      approvers: ['owner'],
      minApprovals: 2,
      sensitiveMinApprovals: 1,
    });
    expect(low.success).toBe(false);
    expect(low.error?.issues[0].path).toEqual(['sensitiveMinApprovals']);
  });
});
