/*
 * The lockfile of the fresh app: the committed one's entries put back before
 * each of the guide's commands, and with --update-lockfile, the new one and
 * the resolutions written for the next runs.
 */
const fs = require('node:fs');
const path = require('node:path');

/**
 * The entries of several lockfiles in one (a later one wins). Our own
 * packages are left out unless keepOurs: their checksums change with every
 * build.
 */
function unionLock(locks, { keepOurs = false } = {}) {
  const entries = new Map();
  let header = '';
  for (const lock of locks.filter(Boolean)) {
    for (const entry of lock.trim().split(/\n\n+/)) {
      if (entry.startsWith('#') || entry.startsWith('__metadata:')) {
        header = entry.startsWith('#') ? entry : `${header}\n\n${entry}`;
        continue;
      }
      const key = entry.split('\n')[0];
      if (!keepOurs && /^"?@elevated-access\//.test(key)) continue;
      entries.set(key, entry);
    }
  }
  const keys = [...entries.keys()].sort((a, b) =>
    a.replace(/"/g, '').localeCompare(b.replace(/"/g, '')),
  );
  return `${[header, ...keys.map(k => entries.get(k))].join('\n\n')}\n`;
}

/**
 * Writes tools/adopter-check/yarn.lock and resolutions.json (in `here`) from
 * the fresh app's lockfiles (`seenLocks`) and its resolutions.
 */
function writeLockfileAndResolutions(here, app, seenLocks) {
  // The fresh app's lockfile and the one after the guide's commands, in
  // one file: Yarn takes what it needs from it and drops the rest. Our own
  // packages change with every build: only their dependencies are kept.
  fs.writeFileSync(path.join(here, 'yarn.lock'), unionLock(seenLocks));
  const pkg = JSON.parse(
    fs.readFileSync(path.join(app, 'package.json'), 'utf8'),
  );
  const {
    '@types/react': _r,
    '@types/react-dom': _d,
    ...pins
  } = pkg.resolutions;
  fs.writeFileSync(
    path.join(here, 'resolutions.json'),
    `${JSON.stringify(pins, null, 2)}\n`,
  );
  console.log('    wrote tools/adopter-check/yarn.lock and resolutions.json');
}

module.exports = { unionLock, writeLockfileAndResolutions };
