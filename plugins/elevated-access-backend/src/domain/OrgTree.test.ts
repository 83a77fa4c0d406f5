import { ACCOUNT, OU, ROOT } from '../__testUtils__/fixtures';
import { tree } from '../__testUtils__/demoDomain';

describe('OrgTree', () => {
  it('walks nested OUs up to the root and names the path', () => {
    expect(tree.ancestors(ACCOUNT['payments-prod'])).toEqual([
      OU.Production,
      OU.Workloads,
      ROOT,
    ]);
    expect(tree.ouPath(ACCOUNT['payments-prod']).map(o => o.name)).toEqual([
      'Workloads',
      'Production',
    ]);
    expect(
      tree.covers({ accounts: [], ous: [OU.Workloads] }, ACCOUNT['data-dev']),
    ).toBe(true);
    expect(
      tree.covers({ accounts: [], ous: [OU.Workloads] }, ACCOUNT.audit),
    ).toBe(false);
    expect(
      tree.covers({ accounts: [ACCOUNT.audit], ous: [] }, ACCOUNT.audit),
    ).toBe(true);
    expect(tree.covers({ accounts: [], ous: [ROOT] }, ACCOUNT.audit)).toBe(
      true,
    );
  });
});
