import { ConfigReader } from '@backstage/config';
import fs from 'node:fs';
import path from 'node:path';
import { readElevatedAccessConfig } from '../config';

/**
 * The IAM documents in docs/iam cover every AWS action the backend's code
 * (and the catalog module's, for its own document) calls, and no action it
 * does not.
 */

const SRC = path.resolve(__dirname, '..');
/** The catalog module reads the organisation with a principal of its own. */
const CATALOG_MODULE_SRC = path.resolve(
  __dirname,
  '../../../catalog-backend-module-elevated-access/src',
);
const CATALOG_MODULE_DOCUMENT = 'catalog-module-policy.json';
const IAM_DIR = path.resolve(__dirname, '../../../../docs/iam');

/** The IAM service prefix of each AWS SDK client package the code may use. */
const IAM_PREFIX: Record<string, string> = {
  '@aws-sdk/client-sso-admin': 'sso',
  '@aws-sdk/client-identitystore': 'identitystore',
  '@aws-sdk/client-organizations': 'organizations',
  '@aws-sdk/client-sts': 'sts',
  '@aws-sdk/client-cloudtrail': 'cloudtrail',
  '@aws-sdk/client-ec2': 'ec2',
};

/**
 * Credential providers of the AWS SDK that call AWS themselves: the IAM
 * action each one's call needs.
 */
const CREDENTIAL_PROVIDER_ACTION: Record<string, string> = {
  fromTemporaryCredentials: 'sts:AssumeRole',
};

/**
 * Actions that AWS checks on the caller's behalf although the code never
 * calls them, each with the reason. Keep this list short and explained.
 *
 * It is empty on purpose. IAM Identity Center provisions the
 * `AWSReservedSSO_*` roles of an account assignment in a *member* account
 * with its own service-linked role there (AWSServiceRoleForSSO), not with
 * the caller's permissions. Only assignments in the *management* account
 * are provisioned in the caller's name, which then needs iam:CreateRole,
 * iam:AttachRolePolicy, iam:PutRolePolicy, iam:GetRole, iam:ListRolePolicies,
 * iam:ListAttachedRolePolicies, iam:DeleteRole, iam:DetachRolePolicy,
 * iam:DeleteRolePolicy, iam:UpdateSAMLProvider, … on
 * `role/aws-reserved/sso.amazonaws.com/*` and `saml-provider/AWSSSO_*` (AWS
 * TEAM's grant and revoke roles carry them for that reason, see TEAM issue
 * #596). Elevated Access never grants access to the management account (it
 * is listed but never eligible), so granting those IAM actions would only
 * let the backend's principal rewrite the management account's Identity
 * Center roles: a privilege-escalation path with no use.
 *
 * Add an entry here (and to docs/iam/elevated-access-backend-policy.json)
 * only when AWS documents a dependent action for a call the code makes.
 */
const REQUIRED_BY_AWS_ON_OUR_BEHALF: Record<string, string> = {};

/** Which document each action belongs in (the principal that needs it). */
const DOCUMENT_OF_PREFIX: Record<string, string> = {
  sso: 'elevated-access-backend-policy.json',
  identitystore: 'elevated-access-backend-policy.json',
  organizations: 'elevated-access-backend-policy.json',
  sts: 'elevated-access-backend-policy.json',
  iam: 'elevated-access-backend-policy.json',
};
const DOCUMENT_OF_ACTION: Record<string, string> = {
  // called with the activity reader role's credentials in each member account
  'cloudtrail:LookupEvents': 'activity-reader-role-policy.json',
  // the regions an account has enabled, read in that account the same way
  'ec2:DescribeRegions': 'activity-reader-role-policy.json',
  // called by the backend's principal for the `lake` activity source
  'cloudtrail:StartQuery': 'cloudtrail-lake-policy.json',
  'cloudtrail:GetQueryResults': 'cloudtrail-lake-policy.json',
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return entry.name === '__testUtils__' ? [] : sourceFiles(full);
    }
    return entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.test.ts') &&
      !entry.name.endsWith('.d.ts')
      ? [full]
      : [];
  });
}

/** Local name → AWS SDK package, from a file's import statements. */
function awsImports(source: string): Map<string, string> {
  const names = new Map<string, string>();
  const importRe =
    /import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"](@aws-sdk\/client-[\w-]+)['"]/g;
  for (const [, importedNames, pkg] of source.matchAll(importRe)) {
    for (const item of importedNames.split(',')) {
      const parts = item
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/);
      const local = (parts[1] ?? parts[0]).trim();
      const exported = parts[0].trim();
      if (local) names.set(local, `${pkg}#${exported}`);
    }
  }
  return names;
}

interface CodeAction {
  action: string;
  file: string;
}

/**
 * Every `new XCommand(` and `paginateX(` of an AWS SDK client, and every
 * credential provider that calls AWS, as IAM actions.
 */
function actionsCalledByCode(root = SRC): {
  actions: CodeAction[];
  problems: string[];
} {
  const actions: CodeAction[] = [];
  const problems: string[] = [];
  for (const file of sourceFiles(root)) {
    const source = fs.readFileSync(file, 'utf8');
    const imports = awsImports(source);
    const rel = path.relative(root, file);
    const uses = [
      ...[...source.matchAll(/new\s+(\w+Command)\s*\(/g)].map(m => ({
        local: m[1],
        operation: (exported: string) => exported.replace(/Command$/, ''),
      })),
      ...[...source.matchAll(/\b(paginate\w+)\s*\(/g)].map(m => ({
        local: m[1],
        operation: (exported: string) => exported.replace(/^paginate/, ''),
      })),
    ];
    const providers = [
      ...source.matchAll(
        /import\s+\{([^}]*)\}\s*from\s*['"]@aws-sdk\/credential-providers['"]/g,
      ),
    ].flatMap(([, names]) => names.split(',').map(n => n.trim()));
    for (const provider of providers.filter(Boolean)) {
      const action = CREDENTIAL_PROVIDER_ACTION[provider];
      if (!action) {
        problems.push(
          `${rel}: ${provider} has no IAM action in this test; add it to CREDENTIAL_PROVIDER_ACTION`,
        );
      } else if (new RegExp(`\\b${provider}\\s*\\(`).test(source)) {
        actions.push({ action, file: rel });
      }
    }
    for (const use of uses) {
      const origin = imports.get(use.local);
      if (!origin) {
        problems.push(
          `${rel}: ${use.local} is not imported from an @aws-sdk/client-* package`,
        );
        continue;
      }
      const [pkg, exported] = origin.split('#');
      const prefix = IAM_PREFIX[pkg];
      if (!prefix) {
        problems.push(
          `${rel}: ${pkg} has no IAM prefix in this test; add it to IAM_PREFIX`,
        );
        continue;
      }
      actions.push({
        action: `${prefix}:${use.operation(exported)}`,
        file: rel,
      });
    }
  }
  return { actions, problems };
}

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: string | string[];
  Principal?: unknown;
  NotAction?: unknown;
  NotResource?: unknown;
}

function readDocument(name: string): {
  Version: string;
  Statement: Statement[];
} {
  return JSON.parse(fs.readFileSync(path.join(IAM_DIR, name), 'utf8'));
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const documents = fs
  .readdirSync(IAM_DIR)
  .filter(name => name.endsWith('.json'))
  .sort();

describe('IAM policy documents', () => {
  it('are the five documents the install guide names', () => {
    expect(documents).toEqual([
      'activity-reader-role-policy.json',
      'activity-reader-role-trust.json',
      CATALOG_MODULE_DOCUMENT,
      'cloudtrail-lake-policy.json',
      'elevated-access-backend-policy.json',
    ]);
  });

  /** The actions of the code that `documentNames` do not grant, and the ones they grant but the code never calls. */
  function coverage(
    { actions, problems }: ReturnType<typeof actionsCalledByCode>,
    documentNames: string[],
    requiredByAws: Record<string, string>,
  ) {
    expect(problems).toEqual([]);
    const expected = new Set([
      ...actions.map(a => a.action),
      ...Object.keys(requiredByAws),
    ]);
    const documented = new Set(
      documentNames.flatMap(name =>
        readDocument(name).Statement.flatMap(s => list(s.Action)),
      ),
    );
    const where = (action: string) =>
      requiredByAws[action]
        ? 'required by AWS'
        : actions
            .filter(a => a.action === action)
            .map(a => a.file)
            .filter((f, i, all) => all.indexOf(f) === i)
            .join(', ');
    const missing = [...expected]
      .filter(a => !documented.has(a))
      .sort()
      .map(a => `${a} (called in ${where(a)})`);
    const extra = [...documented].filter(a => !expected.has(a)).sort();
    return { missing, extra };
  }

  it('cover every AWS action the code calls, and no action it does not', () => {
    const backend = actionsCalledByCode();
    // the scan finds the calls at all (guards against a broken scanner)
    expect(backend.actions.length).toBeGreaterThan(10);
    expect(
      coverage(
        backend,
        documents.filter(name => name !== CATALOG_MODULE_DOCUMENT),
        REQUIRED_BY_AWS_ON_OUR_BEHALF,
      ),
    ).toEqual({ missing: [], extra: [] });

    const catalogModule = actionsCalledByCode(CATALOG_MODULE_SRC);
    expect(catalogModule.actions.length).toBeGreaterThan(3);
    expect(coverage(catalogModule, [CATALOG_MODULE_DOCUMENT], {})).toEqual({
      missing: [],
      extra: [],
    });
  });

  it('put each action in the document of the principal that needs it', () => {
    const misplaced: string[] = [];
    // the catalog module's document holds exactly its code's calls (above)
    for (const name of documents.filter(
      n => !n.endsWith('-trust.json') && n !== CATALOG_MODULE_DOCUMENT,
    )) {
      for (const statement of readDocument(name).Statement) {
        for (const action of list(statement.Action)) {
          const want =
            DOCUMENT_OF_ACTION[action] ??
            DOCUMENT_OF_PREFIX[action.split(':')[0]];
          if (want !== name)
            misplaced.push(`${action} in ${name}, not ${want}`);
        }
      }
    }
    expect(misplaced).toEqual([]);
  });

  it('are least-privilege: named statements, no wildcards or negations', () => {
    for (const name of documents) {
      const doc = readDocument(name);
      expect({ name, version: doc.Version }).toEqual({
        name,
        version: '2012-10-17',
      });
      const sids = doc.Statement.map(s => s.Sid);
      expect({ name, sids }).toEqual({
        name,
        sids: sids.map(() => expect.stringMatching(/^[A-Z][A-Za-z]{10,}$/)),
      });
      expect(new Set(sids).size).toBe(sids.length);
      for (const statement of doc.Statement) {
        expect({ name, sid: statement.Sid, effect: statement.Effect }).toEqual({
          name,
          sid: statement.Sid,
          effect: 'Allow',
        });
        expect(statement.NotAction).toBeUndefined();
        expect(statement.NotResource).toBeUndefined();
        for (const action of list(statement.Action)) {
          expect(action).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z]+$/);
        }
      }
    }
  });

  it('let the backend assume exactly the configured activity reader role', () => {
    const { roleName } = readElevatedAccessConfig(new ConfigReader({})).aws
      .activity;
    const assume = readDocument(
      'elevated-access-backend-policy.json',
    ).Statement.filter(s => list(s.Action).includes('sts:AssumeRole'));
    expect(assume).toHaveLength(1);
    expect(list(assume[0].Action)).toEqual(['sts:AssumeRole']);
    expect(list(assume[0].Resource)).toEqual([
      `arn:aws:iam::*:role/${roleName}`,
    ]);

    const trust = readDocument('activity-reader-role-trust.json').Statement;
    expect(trust).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: {
          AWS: 'arn:aws:iam::111111111111:role/elevated-access-backend',
        },
        Action: ['sts:AssumeRole'],
      }),
    ]);
  });

  it('scope Identity Center writes and Lake queries to their resource types', () => {
    const writes = readDocument(
      'elevated-access-backend-policy.json',
    ).Statement.find(s =>
      list(s.Action).includes('sso:CreateAccountAssignment'),
    )!;
    expect(list(writes.Resource)).toEqual([
      'arn:aws:sso:::instance/*',
      'arn:aws:sso:::permissionSet/*/*',
      'arn:aws:sso:::account/*',
    ]);
    const lake = readDocument('cloudtrail-lake-policy.json').Statement;
    for (const statement of lake) {
      expect(list(statement.Resource)).toEqual([
        expect.stringMatching(
          /^arn:aws:cloudtrail:[a-z0-9-]+:\d{12}:eventdatastore\/[\w-]+$/,
        ),
      ]);
    }
  });
});
