import { shortEntityRef } from './refs';

describe('shortEntityRef', () => {
  it('leaves out the kind of a user, and the namespace when it is default', () => {
    expect(shortEntityRef('user:default/alice')).toBe('alice');
    expect(shortEntityRef('User:Default/alice')).toBe('alice');
    expect(shortEntityRef('user:alice')).toBe('alice');
    expect(shortEntityRef('user:ops/bob')).toBe('ops/bob');
  });

  it('keeps refs of other kinds, and text that is not a ref, as given', () => {
    expect(shortEntityRef('group:default/platform-leads')).toBe(
      'group:default/platform-leads',
    );
    expect(shortEntityRef('component:default/x')).toBe('component:default/x');
    expect(shortEntityRef('alice')).toBe('alice');
    expect(shortEntityRef('')).toBe('');
  });

  it('shortens the kinds it is given', () => {
    const kinds = ['user', 'group'];
    expect(shortEntityRef('group:default/platform-leads', kinds)).toBe(
      'platform-leads',
    );
    expect(shortEntityRef('group:ops/leads', kinds)).toBe('ops/leads');
    expect(shortEntityRef('user:default/alice', kinds)).toBe('alice');
    expect(shortEntityRef('component:default/x', kinds)).toBe(
      'component:default/x',
    );
  });
});
