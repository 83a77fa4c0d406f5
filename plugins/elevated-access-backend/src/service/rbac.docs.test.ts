import fs from 'node:fs';
import path from 'node:path';
import {
  RBAC_CONDITIONAL_POLICIES_YAML,
  RBAC_POLICY_CSV,
} from '../__testUtils__/rbacTestBackend';

/*
 * The CSV and conditional policies in docs/rbac, which the RBAC tests
 * (rbac.*.test.ts) load, are the ones docs/install.md § 4c shows adopters.
 */

const ROOT = path.resolve(__dirname, '../../../..');

describe('the RBAC files in docs/rbac', () => {
  it('are quoted verbatim by docs/install.md § 4c', () => {
    const guide = fs.readFileSync(path.join(ROOT, 'docs/install.md'), 'utf8');
    const start = guide.indexOf('### 4c. The community RBAC plugin');
    const end = guide.indexOf('\n## 5.', start);
    expect(start).toBeGreaterThan(0);
    const section = guide.slice(start, end);
    const csv = fs.readFileSync(path.join(ROOT, RBAC_POLICY_CSV), 'utf8');
    const yaml = fs.readFileSync(
      path.join(ROOT, RBAC_CONDITIONAL_POLICIES_YAML),
      'utf8',
    );
    expect(section).toContain(`\`\`\`csv\n${csv}\`\`\``);
    expect(section).toContain(`\`\`\`yaml\n${yaml}\`\`\``);
  });
});
