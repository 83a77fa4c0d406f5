#!/usr/bin/env node
/*
 * Maintenance script, run by hand after adding dependencies (never by CI):
 * the npm registry reachable here is a mirror that lacks some versions and many
 * non-linux platform builds. Yarn resolves optional platform packages for every
 * OS, so resolution fails with YN0082. This loops `yarn install
 * --mode=update-lockfile` and pins each missing package to the newest version the
 * registry has, under `resolutions` in the root package.json.
 */
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');

for (let attempt = 0; attempt < 200; attempt++) {
  const run = spawnSync('yarn', ['install', '--mode=update-lockfile'], {
    encoding: 'utf8',
  });
  const out = `${run.stdout}${run.stderr}`;
  const missing = [
    ...out.matchAll(/YN0082: .*?(@?[^\s@]+)@npm:(\S+?): No candidates found/g),
    ...out.matchAll(
      /YN0016: .*?(@?[^\s@]+)@npm:(\S+?): All versions .* quarantined/g,
    ),
  ].map(m => m[1]);
  if (!missing.length) {
    console.log(
      out
        .split('\n')
        .filter(l => /YN00(01|16|82)|Failed|Done/.test(l))
        .join('\n'),
    );
    process.exit(run.status ?? 1);
  }
  const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8'));
  pkg.resolutions ??= {};
  for (const name of new Set(missing)) {
    // Newest stable version that is older than Yarn's npmMinimalAgeGate (3 days).
    const times = JSON.parse(
      execFileSync('npm', ['view', name, 'time', '--json'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
    const gate = Date.now() - 3 * 24 * 3600 * 1000;
    const versions = Object.entries(times)
      .filter(([v, t]) => /^\d+\.\d+\.\d+$/.test(v) && Date.parse(t) < gate)
      .sort((a, b) => Date.parse(a[1]) - Date.parse(b[1]))
      .map(([v]) => v);
    const newest = versions[versions.length - 1];
    pkg.resolutions[name] = newest;
    console.log(`pin ${name} -> ${newest}`);
  }
  fs.writeFileSync('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
}
process.exit(1);
