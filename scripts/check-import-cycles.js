#!/usr/bin/env node
/*
 * Fails when a package's source has an import cycle (issue 16): modules that
 * import each other, directly or through others, are one module split in
 * two. Relative value imports of non-test .ts/.tsx files are followed;
 * `import type` is left out, as it leaves nothing at run time.
 *
 *   node scripts/check-import-cycles.js [dir ...]   (default: plugins/*\/src)
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const roots = process.argv.slice(2).length
  ? process.argv.slice(2).map(d => path.resolve(d))
  : fs
      .readdirSync(path.join(ROOT, 'plugins'))
      .map(p => path.join(ROOT, 'plugins', p, 'src'))
      .filter(d => fs.existsSync(d));

const files = [];
const walk = dir => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walk(full);
    } else if (
      /\.tsx?$/.test(entry.name) &&
      !/\.test\.tsx?$/.test(entry.name)
    ) {
      files.push(full);
    }
  }
};
roots.forEach(walk);
const known = new Set(files);

const resolve = (from, spec) => {
  const base = path.resolve(path.dirname(from), spec);
  return [
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, 'index.ts'),
    path.join(base, 'index.tsx'),
  ].find(candidate => known.has(candidate));
};

const IMPORT = /(import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'/g;
const graph = new Map(
  files.map(file => {
    const source = fs.readFileSync(file, 'utf8');
    const deps = [...source.matchAll(IMPORT)]
      .filter(m => !m[2])
      .map(m => resolve(file, m[3]))
      .filter(Boolean);
    return [file, deps];
  }),
);

const cycles = [];
const state = new Map(); // 1: on the path, 2: done
const trail = [];
const visit = file => {
  state.set(file, 1);
  trail.push(file);
  for (const dep of graph.get(file)) {
    if (state.get(dep) === 1)
      cycles.push([...trail.slice(trail.indexOf(dep)), dep]);
    else if (!state.get(dep)) visit(dep);
  }
  trail.pop();
  state.set(file, 2);
};
files.forEach(file => state.get(file) || visit(file));

for (const cycle of cycles) {
  console.error(
    `import cycle: ${cycle.map(f => path.relative(ROOT, f)).join(' -> ')}`,
  );
}
console.log(`${files.length} modules, ${cycles.length} import cycles`);
process.exit(cycles.length ? 1 : 0);
