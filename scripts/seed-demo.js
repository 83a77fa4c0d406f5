#!/usr/bin/env node
/*
 * Seeds the demo's policies (DESIGN.md §7) through the Elevated Access API, as
 * dave (admin), when none exist yet:
 *   - developers may request ReadOnlyAccess on every account under Workloads
 *     without approval (max 8 h), and PowerUserAccess there with approval (max 4 h);
 *   - in an emergency, PowerUserAccess on production accounts without approval
 *     (break-glass, narrow: production only, max 1 h, ticket, reviewed afterwards);
 *   - platform-leads approve everything under Workloads;
 *   - owners approve production (issue 17): the owner group of each production
 *     account's catalog entity (payments-team for payments-prod) besides the leads.
 * The policies are those the backend's tests use too (demoOrganization.json),
 * written with OU, account and permission set names; their ids come from
 * GET /targets, i.e. from AWS (the sandbox).
 * Usage: node scripts/seed-demo.js [backendUrl]
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const demo = require('../plugins/elevated-access-backend/src/__testUtils__/demoOrganization.json');

const backend =
  process.argv[2] ?? process.env.BACKEND_URL ?? 'http://localhost:7007';
const api = `${backend}/api/elevated-access`;

function token(persona) {
  return execFileSync(path.join(__dirname, 'token'), [persona], {
    env: { ...process.env, BACKEND_URL: backend },
    encoding: 'utf8',
  }).trim();
}

async function call(method, route, body, bearer) {
  const res = await fetch(`${api}${route}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      'content-type': 'application/json',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = res.status === 204 ? undefined : await res.json();
  if (!res.ok) {
    throw new Error(
      `${method} ${route}: ${res.status} ${json?.error?.message}`,
    );
  }
  return json;
}

async function main() {
  const dave = token('dave');
  const existing = await call('GET', '/policies/eligibility', undefined, dave);
  if (existing.items.length) {
    console.log(
      `demo policies already present (${existing.items.length} eligibility policies)`,
    );
    return;
  }
  const targets = await call('GET', '/targets', undefined, dave);
  const ou = name => {
    const found = targets.organizationalUnits.find(o => o.name === name);
    if (!found) throw new Error(`OU ${name} not found in the organisation`);
    return found.id;
  };
  const ps = name => {
    const found = targets.permissionSets.find(p => p.name === name);
    if (!found) throw new Error(`permission set ${name} not found`);
    return found.arn;
  };
  const account = name => {
    const found = targets.accounts.find(a => a.name === name);
    if (!found)
      throw new Error(`account ${name} not found in the organisation`);
    return found.id;
  };
  const resolved = policy => ({
    ...policy,
    accounts: policy.accounts.map(account),
    ous: policy.ous.map(ou),
    permissionSets: policy.permissionSets.map(ps),
  });
  for (const policy of Object.values(demo.eligibilityPolicies)) {
    await call('POST', '/policies/eligibility', resolved(policy), dave);
  }
  for (const policy of Object.values(demo.approverPolicies)) {
    await call('POST', '/policies/approval', resolved(policy), dave);
  }
  console.log('seeded the demo policies');
}

main().catch(error => {
  console.error(`seeding the demo failed: ${error.message}`);
  process.exit(1);
});
