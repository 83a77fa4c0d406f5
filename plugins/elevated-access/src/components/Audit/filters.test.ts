import { targets } from '../../__testUtils__/fixtures';
import { instantRange, parseFilters, personRef } from './filters';
import {
  accountOptions,
  matchOptions,
  personOption,
  resolveTyped,
} from './pickers';
import { people } from './__testUtils__/audit';

describe('audit filters in the address', () => {
  it('reads what it understands and names what it does not', () => {
    const { filters, ignored } = parseFilters(
      new URLSearchParams(
        'requester=Alice&approver=bob smith&account=111111111111&status=active,pending&used=maybe&from=2026-11-01&to=2026-02-30&decision=reject',
      ),
      ['requester', 'approver', 'account', 'status', 'used', 'from', 'to'],
    );
    expect(filters).toEqual({
      requester: 'user:default/alice',
      account: '111111111111',
      status: ['active', 'pending'],
      from: '2026-11-01',
    });
    // decision is not a filter of this view: neither read nor reported
    expect(ignored).toEqual(['approver', 'used', 'to']);
  });

  it('spells a person in full, and refuses what is not a person', () => {
    expect(personRef('alice')).toBe('user:default/alice');
    expect(personRef('User:Default/Alice')).toBe('user:default/alice');
    expect(personRef('user:team-a/bob')).toBe('user:team-a/bob');
    expect(personRef('group:default/developers')).toBeUndefined();
    expect(personRef('Alice Liddell')).toBeUndefined();
    expect(personRef('')).toBeUndefined();
  });

  it('applies no dates while To is before From', () => {
    expect(
      instantRange({ status: [], from: '2026-11-10', to: '2026-11-01' }),
    ).toEqual({});
    const range = instantRange({
      status: [],
      from: '2026-11-01',
      to: '2026-11-01',
    });
    expect(Date.parse(range.to!) - Date.parse(range.from!)).toBe(
      24 * 3600 * 1000,
    );
  });
});

describe('type-ahead options', () => {
  const options = people.map(p => personOption(p as never));

  it('finds people by part of their user name, display name or email', () => {
    const labels = (text: string) =>
      matchOptions(options, text).map(o => o.label);
    expect(labels('ali')).toEqual(['Alice Liddell']);
    expect(labels('LIDD')).toEqual(['Alice Liddell']);
    expect(labels('bob@example')).toEqual(['Bob Approver']);
    expect(labels('example.com')).toEqual([
      'Alice Liddell',
      'Bob Approver',
      'dave',
    ]);
    expect(options.find(o => o.label === 'Alice Liddell')).toMatchObject({
      value: 'user:default/alice',
      detail: 'alice · alice@example.com',
    });
  });

  it('finds accounts by name, id and the names of their OUs', () => {
    const accounts = accountOptions(targets);
    const values = (text: string) =>
      matchOptions(accounts, text).map(o => o.value);
    expect(values('workloads')).toEqual(['111111111111']);
    expect(values('prod')).toEqual(['111111111111']);
    expect(values('5555')).toEqual(['555555555555']);
    expect(accounts.find(a => a.value === '111111111111')?.detail).toBe(
      'OU: Workloads / Production',
    );
    expect(accounts.find(a => a.value === '555555555555')?.detail).toBe(
      'Organisation root',
    );
  });

  it('takes typed text only when it names one option, or when it is a value', () => {
    expect(resolveTyped('alice', options)).toBe('user:default/alice');
    expect(resolveTyped('ALICE@example.com', options)).toBe(
      'user:default/alice',
    );
    // "example" matches three people: nothing is guessed
    expect(resolveTyped('example', options)).toBeUndefined();
    expect(resolveTyped('zed', options)).toBeUndefined();
    const accounts = accountOptions(targets);
    const accountId = (t: string) => (/^\d{12}$/.test(t) ? t : undefined);
    expect(resolveTyped('999999999999', accounts, accountId)).toBe(
      '999999999999',
    );
    expect(resolveTyped('payments', accounts, accountId)).toBe('111111111111');
    expect(resolveTyped('12345', accounts, accountId)).toBeUndefined();
  });
});
