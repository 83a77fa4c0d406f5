#!/usr/bin/env node
/*
 * Seeds the demo's policies (DESIGN.md §7) through the Elevated Access API, as
 * dave (admin), when none exist yet:
 *   - developers may request ReadOnlyAccess on every account under Workloads
 *     without approval (max 8 h), and PowerUserAccess there with approval (max 4 h);
 *   - in an emergency, PowerUserAccess on production accounts without approval
 *     (break-glass, max 1 h, ticket, reviewed afterwards);
 *   - platform-leads approve everything under Workloads.
 * OU and permission set ids come from GET /targets, i.e. from AWS (the sandbox).
 * Usage: node scripts/seed-demo.js [backendUrl]
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

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
  const workloads = ou('Workloads');
  await call(
    'POST',
    '/policies/eligibility',
    {
      name: 'Developers: read-only on workloads',
      principals: ['group:default/developers'],
      accounts: [],
      ous: [workloads],
      permissionSets: [ps('ReadOnlyAccess')],
      maxDurationMinutes: 8 * 60,
      approvalRequired: false,
      ticketRequired: false,
    },
    dave,
  );
  await call(
    'POST',
    '/policies/eligibility',
    {
      name: 'Developers: power user on workloads',
      principals: ['group:default/developers'],
      accounts: [],
      ous: [workloads],
      permissionSets: [ps('PowerUserAccess')],
      maxDurationMinutes: 4 * 60,
      approvalRequired: true,
      ticketRequired: true,
    },
    dave,
  );
  // break-glass is narrow: production only, an hour, reviewed afterwards
  await call(
    'POST',
    '/policies/eligibility',
    {
      name: 'Developers: break-glass power user on production',
      principals: ['group:default/developers'],
      accounts: [],
      ous: [ou('Production')],
      permissionSets: [ps('PowerUserAccess')],
      maxDurationMinutes: 60,
      approvalRequired: true,
      ticketRequired: true,
      breakGlass: true,
    },
    dave,
  );
  await call(
    'POST',
    '/policies/approval',
    {
      name: 'Platform leads approve workloads',
      accounts: [],
      ous: [workloads],
      permissionSets: [],
      approvers: ['group:default/platform-leads'],
      minApprovals: 1,
    },
    dave,
  );
  // owners approve (issue 17): the owner group of each production account's
  // catalog entity (payments-team for payments-prod) besides the leads
  await call(
    'POST',
    '/policies/approval',
    {
      name: 'Owners approve production',
      accounts: [],
      ous: [ou('Production')],
      permissionSets: [],
      approvers: ['owner'],
      minApprovals: 1,
    },
    dave,
  );
  console.log('seeded the demo policies');
}

main().catch(error => {
  console.error(`seeding the demo failed: ${error.message}`);
  process.exit(1);
});
