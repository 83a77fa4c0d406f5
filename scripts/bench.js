#!/usr/bin/env node
/*
 * `yarn bench [name…]`: runs the benchmarks (never part of the tests) and
 * prints their figures. Benchmarks live in <package>/bench/*.bench.ts and run
 * with the Backstage CLI's TypeScript transform. Benchmarks that need a
 * running stack (a browser against the demo) are scripts named
 * scripts/bench-<name>, run as they are. With names, only benchmarks whose
 * file name contains one of them run.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const filters = process.argv.slice(2);
const files = [];
for (const dir of ['plugins', 'packages', 'tools']) {
  for (const pkg of fs.readdirSync(path.join(root, dir))) {
    const bench = path.join(root, dir, pkg, 'bench');
    if (!fs.existsSync(bench)) continue;
    for (const f of fs.readdirSync(bench).sort()) {
      if (
        f.endsWith('.bench.ts') &&
        (!filters.length || filters.some(x => f.includes(x)))
      ) {
        files.push(path.join(bench, f));
      }
    }
  }
}
const scripts = fs
  .readdirSync(path.join(root, 'scripts'))
  .filter(f => f.startsWith('bench-'))
  .filter(f => !filters.length || filters.some(x => f.includes(x)))
  .sort()
  .map(f => path.join(root, 'scripts', f));
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${path.relative(root, file)}`);
  const run = spawnSync(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      file,
    ],
    { stdio: 'inherit', cwd: path.dirname(path.dirname(file)) },
  );
  if (run.status !== 0) failed++;
}
for (const script of scripts) {
  console.log(`\n=== ${path.relative(root, script)}`);
  const run = spawnSync(script, [], { stdio: 'inherit', cwd: root });
  if (run.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
