import { Entity } from '@backstage/catalog-model';
import {
  entitySafeName,
  linkedAccounts,
  organizationEntities,
  ownerRefFromTagValue,
  systemFromTagValue,
} from './entities';
import { OrganizationTree } from './organization';

const settings = {
  ownerTag: 'owner',
  defaultOwner: 'group:default/platform-leads',
  systemTag: 'system',
  sensitiveTag: 'sensitive',
};

const ROOT = 'r-root';

/*
 * Root
 * ├── Workloads (owner=workloads-team)
 * │   ├── Production (sensitive=true)
 * │   │   ├── payments-prod (owner=payments-team, system=payments)
 * │   │   └── data-prod
 * │   └── Development
 * │       └── payments-dev (owner=user:default/erin)
 * ├── Security
 * │   └── audit
 * └── master (management account)
 */
function tree(overrides?: Partial<OrganizationTree>): OrganizationTree {
  return {
    organizationId: 'o-example',
    rootId: ROOT,
    managementAccountId: '000000000000',
    organizationalUnits: [
      {
        id: 'ou-work',
        name: 'Workloads',
        parentId: ROOT,
        tags: { owner: 'workloads-team' },
      },
      {
        id: 'ou-prod',
        name: 'Production',
        parentId: 'ou-work',
        tags: { sensitive: 'true' },
      },
      { id: 'ou-dev', name: 'Development', parentId: 'ou-work', tags: {} },
      { id: 'ou-sec', name: 'Security', parentId: ROOT, tags: {} },
    ],
    accounts: [
      {
        id: '111111111111',
        name: 'payments-prod',
        parentId: 'ou-prod',
        tags: { owner: 'payments-team', system: 'payments' },
      },
      { id: '222222222222', name: 'data-prod', parentId: 'ou-prod', tags: {} },
      {
        id: '333333333333',
        name: 'payments-dev',
        parentId: 'ou-dev',
        tags: { owner: 'user:default/erin' },
      },
      { id: '444444444444', name: 'audit', parentId: 'ou-sec', tags: {} },
      { id: '000000000000', name: 'master', parentId: ROOT, tags: {} },
    ],
    ...overrides,
  };
}

function byTitle(entities: Array<{ entity: Entity }>, title: string): Entity {
  const found = entities.find(e => e.entity.metadata.title === title);
  if (!found) throw new Error(`no entity titled ${title}`);
  return found.entity;
}

describe('entitySafeName', () => {
  it.each([
    ['payments-prod', 'payments-prod'],
    ['Payments Prod', 'payments-prod'],
    ['  Données / Prod  ', 'donnees-prod'],
    ['a -- b', 'a-b'],
    ['_x.y_', 'x.y'],
    ['***', ''],
  ])('%j -> %j', (text, name) => {
    expect(entitySafeName(text)).toBe(name);
  });

  it('cuts to 63 characters and never ends on a separator', () => {
    const name = entitySafeName(`${'a'.repeat(62)}-b`);
    expect(name).toBe('a'.repeat(62));
    expect(entitySafeName('x'.repeat(100))).toHaveLength(63);
  });
});

describe('tag values', () => {
  it('reads a bare owner as a group in the default namespace and keeps refs', () => {
    expect(ownerRefFromTagValue('payments-team')).toBe(
      'group:default/payments-team',
    );
    expect(ownerRefFromTagValue('group:finance/payments')).toBe(
      'group:finance/payments',
    );
    expect(ownerRefFromTagValue('user:default/erin')).toBe('user:default/erin');
    expect(ownerRefFromTagValue('Payments Team')).toBeUndefined();
    expect(ownerRefFromTagValue('')).toBeUndefined();
  });

  it('keeps a bare system as its name and a ref as the ref', () => {
    expect(systemFromTagValue('payments')).toBe('payments');
    expect(systemFromTagValue('system:finance/payments')).toBe(
      'system:finance/payments',
    );
    expect(systemFromTagValue('not a name')).toBeUndefined();
  });
});

describe('organizationEntities', () => {
  it('writes one Resource per account and per OU, all at the organisation location', () => {
    const { entities, linked } = organizationEntities(tree(), settings);
    expect(entities.map(e => e.entity.metadata.name).sort()).toEqual([
      'audit',
      'data-prod',
      'master',
      'ou-development',
      'ou-production',
      'ou-security',
      'ou-workloads',
      'payments-dev',
      'payments-prod',
    ]);
    expect(linked).toEqual([]);
    for (const { entity, locationKey } of entities) {
      expect(locationKey).toBe('elevated-access-aws-organization:o-example');
      expect(entity.metadata.annotations).toMatchObject({
        'backstage.io/managed-by-location':
          'elevated-access-aws-organization:o-example',
        'backstage.io/managed-by-origin-location':
          'elevated-access-aws-organization:o-example',
      });
    }
  });

  it('describes an account: id, OU id and path, type, owner, system and its OU', () => {
    const entity = byTitle(
      organizationEntities(tree(), settings).entities,
      'payments-prod',
    );
    expect(entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: 'payments-prod',
        title: 'payments-prod',
        description: 'AWS account 111111111111 in Workloads/Production',
        annotations: {
          'backstage.io/managed-by-location':
            'elevated-access-aws-organization:o-example',
          'backstage.io/managed-by-origin-location':
            'elevated-access-aws-organization:o-example',
          'aws.amazon.com/account-id': '111111111111',
          'aws.amazon.com/organizational-unit-id': 'ou-prod',
          'aws.amazon.com/organizational-unit-path': 'Workloads/Production',
          'elevated-access/sensitive': 'true',
        },
      },
      spec: {
        type: 'aws-account',
        owner: 'group:default/payments-team',
        system: 'payments',
        dependsOn: ['resource:default/ou-production'],
      },
    });
  });

  it('takes the owner from the account tag, else the nearest OU tag, else the default', () => {
    const { entities } = organizationEntities(tree(), settings);
    const owner = (title: string) => byTitle(entities, title).spec?.owner;
    expect(owner('payments-prod')).toBe('group:default/payments-team');
    expect(owner('payments-dev')).toBe('user:default/erin');
    expect(owner('data-prod')).toBe('group:default/workloads-team');
    expect(owner('audit')).toBe('group:default/platform-leads');
    expect(owner('master')).toBe('group:default/platform-leads');
    expect(owner('Production')).toBe('group:default/workloads-team');
    expect(owner('Workloads')).toBe('group:default/workloads-team');
    expect(owner('Security')).toBe('group:default/platform-leads');
  });

  it('uses the configured tag names, an invalid owner falling back with a warning', () => {
    const t = tree();
    t.accounts[3].tags = { Team: 'Not A Ref', Service: 'audit-system' };
    t.organizationalUnits[3].tags = { team: 'security-team' };
    const { entities, warnings } = organizationEntities(t, {
      ...settings,
      ownerTag: 'team',
      systemTag: 'service',
    });
    const audit = byTitle(entities, 'audit');
    expect(audit.spec?.owner).toBe('group:default/security-team');
    expect(audit.spec?.system).toBe('audit-system');
    expect(warnings).toEqual([
      'The team tag of audit (444444444444) is not a valid entity ref: Not A Ref',
    ]);
    // payments-prod and Workloads carry `owner`, which is not the owner tag now
    expect(byTitle(entities, 'payments-prod').spec?.owner).toBe(
      'group:default/platform-leads',
    );
  });

  it('marks accounts and OUs sensitive from their own tag or an OU above them', () => {
    const t = tree();
    t.accounts[3].tags = { sensitive: 'TRUE' };
    t.accounts[4].tags = { sensitive: 'false' };
    const { entities } = organizationEntities(t, settings);
    const sensitive = entities
      .filter(e => e.entity.metadata.annotations?.['elevated-access/sensitive'])
      .map(e => e.entity.metadata.title)
      .sort();
    expect(sensitive).toEqual([
      'Production',
      'audit',
      'data-prod',
      'payments-prod',
    ]);
  });

  it('marks the management account, at the root with no OU to depend on', () => {
    const { entities } = organizationEntities(tree(), settings);
    const master = byTitle(entities, 'master');
    expect(master.metadata.annotations).toMatchObject({
      'aws.amazon.com/management-account': 'true',
      'aws.amazon.com/organizational-unit-id': ROOT,
      'aws.amazon.com/organizational-unit-path': '',
    });
    expect(master.metadata.description).toBe(
      'The management account 000000000000 at the organisation root',
    );
    expect(master.spec?.dependsOn).toBeUndefined();
    expect(
      byTitle(entities, 'audit').metadata.annotations?.[
        'aws.amazon.com/management-account'
      ],
    ).toBeUndefined();
  });

  it('gives OUs their id, their own path and the parent OU to depend on', () => {
    const { entities } = organizationEntities(tree(), settings);
    const production = byTitle(entities, 'Production');
    expect(production.spec).toEqual({
      type: 'aws-organizational-unit',
      owner: 'group:default/workloads-team',
      dependsOn: ['resource:default/ou-workloads'],
    });
    expect(production.metadata.annotations).toMatchObject({
      'aws.amazon.com/organizational-unit-id': 'ou-prod',
      'aws.amazon.com/organizational-unit-path': 'Workloads/Production',
    });
    expect(byTitle(entities, 'Workloads').spec?.dependsOn).toBeUndefined();
  });

  it('appends the id to every name that two accounts or OUs would share', () => {
    const t = tree();
    t.accounts[1].name = 'Payments Prod';
    t.organizationalUnits[3].name = 'Development';
    const { entities } = organizationEntities(t, settings);
    const names = entities.map(e => e.entity.metadata.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'payments-prod-111111111111',
        'payments-prod-222222222222',
        'ou-development-ou-dev',
        'ou-development-ou-sec',
        'audit',
      ]),
    );
    expect(new Set(names).size).toBe(names.length);
    // the account in the renamed OU depends on the OU's new name
    expect(byTitle(entities, 'payments-dev').spec?.dependsOn).toEqual([
      'resource:default/ou-development-ou-dev',
    ]);
  });

  it('uses the root id in the location when the organisation id is unknown', () => {
    const { entities } = organizationEntities(
      tree({ organizationId: undefined }),
      settings,
    );
    expect(entities[0].locationKey).toBe(
      'elevated-access-aws-organization:r-root',
    );
  });

  it('leaves out accounts that other entities already stand for', () => {
    const existing: Entity[] = [
      resource('payments-prod-yaml', {
        'aws.amazon.com/account-id': '111111111111',
      }),
      resource('from-aws-module', {
        'amazonaws.com/account-id': '444444444444',
        'backstage.io/managed-by-location': 'url:https://example.com/x',
      }),
      // ours from an earlier run: not a link
      resource('data-prod', {
        'aws.amazon.com/account-id': '222222222222',
        'backstage.io/managed-by-location':
          'elevated-access-aws-organization:o-example',
      }),
      // a component naming the account is about it, not the account itself
      {
        ...resource('payments-service', {
          'aws.amazon.com/account-id': '333333333333',
        }),
        kind: 'Component',
      },
    ];
    const { entities, linked } = organizationEntities(
      tree(),
      settings,
      existing,
    );
    const titles = entities.map(e => e.entity.metadata.title);
    expect(titles).not.toContain('payments-prod');
    expect(titles).not.toContain('audit');
    expect(titles).toEqual(
      expect.arrayContaining(['data-prod', 'payments-dev', 'Production']),
    );
    expect(linked).toEqual([
      {
        accountId: '111111111111',
        accountName: 'payments-prod',
        entityRefs: ['resource:default/payments-prod-yaml'],
      },
      {
        accountId: '444444444444',
        accountName: 'audit',
        entityRefs: ['resource:default/from-aws-module'],
      },
    ]);
  });
});

describe('linkedAccounts', () => {
  it('reads comma-separated ids and several entities per account', () => {
    const linked = linkedAccounts([
      resource('a', {
        'aws.amazon.com/account-id': '111111111111, 222222222222',
      }),
      resource('b', { 'amazonaws.com/account-id': '111111111111' }),
      resource('c', { 'aws.amazon.com/account-id': 'not-an-id' }),
    ]);
    expect(Object.fromEntries(linked)).toEqual({
      '111111111111': ['resource:default/a', 'resource:default/b'],
      '222222222222': ['resource:default/a'],
    });
  });
});

function resource(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name, annotations },
    spec: { type: 'aws-account', owner: 'group:default/someone' },
  };
}
