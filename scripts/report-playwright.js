#!/usr/bin/env node
/*
 * Turns Playwright's JSON report into one summary row for scripts/test.
 * A missing report (the demo did not start) counts as one failure.
 */
const fs = require('node:fs');

const [file, seconds = '0'] = process.argv.slice(2);
if (!fs.existsSync(file)) {
  console.log(
    ['browser walkthrough (did not run)', 0, 1, 0, seconds].join('\t'),
  );
  process.exit(0);
}
const { stats } = JSON.parse(fs.readFileSync(file, 'utf8'));
console.log(
  [
    'browser walkthrough (Chromium)',
    stats.expected + stats.flaky,
    stats.unexpected,
    stats.skipped,
    seconds,
  ].join('\t'),
);
