import { entityRefOf, linkedRequest } from './linkedRequest';

describe('linkedRequest', () => {
  it('reads the account, permission set and entity a link asks for', () => {
    expect(
      linkedRequest(
        new URLSearchParams(
          'accountId=%20111111111111%20&permissionSetArn=arn:aws:sso:::permissionSet/ssoins-1/ps-1&entity=component:payments',
        ),
      ),
    ).toEqual({
      accountId: '111111111111',
      permissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1',
      entityRef: 'component:default/payments',
    });
  });

  it('leaves out what the link does not give', () => {
    expect(linkedRequest(new URLSearchParams('accountId=%20'))).toEqual({
      accountId: undefined,
      permissionSetArn: undefined,
      entityRef: undefined,
    });
  });
});

describe('entityRefOf', () => {
  it('writes an entity ref in full', () => {
    expect(entityRefOf(' component:payments ')).toBe(
      'component:default/payments',
    );
  });

  it('is undefined for no text or text that is no entity ref', () => {
    expect(entityRefOf(null)).toBeUndefined();
    expect(entityRefOf('')).toBeUndefined();
    expect(entityRefOf('payments')).toBeUndefined();
  });
});
