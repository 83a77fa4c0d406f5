import {
  changesQuerySchema,
  decisionsQuerySchema,
  diffChange,
} from './auditHistory';

describe('diffChange', () => {
  it('lists changed fields, with list items added and removed, without bookkeeping', () => {
    expect(
      diffChange(
        {
          name: 'P',
          version: 1,
          updatedAt: 'a',
          principals: ['x', 'y'],
          max: 60,
          flags: { a: true },
        },
        {
          name: 'P',
          version: 2,
          updatedAt: 'b',
          principals: ['y', 'z'],
          max: 30,
          flags: { a: false },
        },
      ),
    ).toEqual([
      {
        field: 'principals',
        before: ['x', 'y'],
        after: ['y', 'z'],
        added: ['z'],
        removed: ['x'],
      },
      { field: 'max', before: 60, after: 30 },
      { field: 'flags.a', before: true, after: false },
    ]);
  });

  it('lists every field a creation set and a deletion removed', () => {
    expect(diffChange(undefined, { id: '1', name: 'P', max: 60 })).toEqual([
      { field: 'name', before: undefined, after: 'P' },
      { field: 'max', before: undefined, after: 60 },
    ]);
    expect(diffChange({ name: 'P' }, undefined)).toEqual([
      { field: 'name', before: 'P', after: undefined },
    ]);
    expect(diffChange({ a: 1 }, { a: 1 })).toEqual([]);
  });
});

describe('history query schemas', () => {
  it('accept the filters and refuse what is not one', () => {
    expect(
      decisionsQuerySchema.parse({
        approver: 'bob',
        decision: 'reject',
        limit: '5',
      }),
    ).toEqual({ approver: 'bob', decision: 'reject', limit: 5 });
    expect(decisionsQuerySchema.safeParse({ decision: 'maybe' }).success).toBe(
      false,
    );
    expect(decisionsQuerySchema.safeParse({ sort: 'asc' }).success).toBe(false);
    expect(changesQuerySchema.parse({ type: 'settings' })).toEqual({
      type: 'settings',
      limit: 50,
    });
    expect(changesQuerySchema.safeParse({ type: 'request' }).success).toBe(
      false,
    );
  });
});
