#!/usr/bin/env node
/*
 * Turns Jest's --json report into summary rows for scripts/test:
 * suite<TAB>passed<TAB>failed<TAB>skipped<TAB>seconds, one row per package,
 * with the store tests split out by database (their names carry the database
 * id, e.g. "on SQLITE_3" / "on POSTGRES_15"). A test file that failed to run
 * counts as one failure.
 */
const fs = require('node:fs');
const path = require('node:path');

const [file, seconds = '0'] = process.argv.slice(2);
const report = JSON.parse(fs.readFileSync(file, 'utf8'));
const root = path.resolve(__dirname, '..');
const rows = new Map();
const add = (suite, key) => {
  const row = rows.get(suite) ?? { passed: 0, failed: 0, skipped: 0 };
  row[key]++;
  rows.set(suite, row);
};

for (const result of report.testResults) {
  const rel = path.relative(root, result.name);
  const pkg = rel.split(path.sep).slice(0, 2).join('/');
  if (result.status === 'failed' && result.assertionResults.length === 0) {
    add(`jest: ${pkg} (file failed to run: ${path.basename(rel)})`, 'failed');
    continue;
  }
  for (const test of result.assertionResults) {
    const name = [...test.ancestorTitles, test.title].join(' ');
    let suite = `jest: ${pkg}`;
    if (/POSTGRES\d*/.test(name)) suite = 'store on PostgreSQL';
    else if (/SQLITE_3/.test(name)) suite = 'store on SQLite';
    const key =
      test.status === 'passed'
        ? 'passed'
        : test.status === 'failed'
        ? 'failed'
        : 'skipped';
    add(suite, key);
  }
}

const names = [...rows.keys()].sort();
names.forEach((suite, i) => {
  const r = rows.get(suite);
  // the whole Jest run's time goes on the first row
  console.log(
    [suite, r.passed, r.failed, r.skipped, i === 0 ? seconds : 0].join('\t'),
  );
});
