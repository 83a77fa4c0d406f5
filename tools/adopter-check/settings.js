/*
 * The adopter check's settings: its command line, where it works (a fresh
 * folder per run, the cache kept between runs, the results), its ports and
 * the environments of the installs and of the running backend. Reading it
 * prepares the folders (and answers --help).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const HERE = __dirname;
const CREATE_APP = '@backstage/create-app@0.9.2';
const CLI_COMMON = '@backstage/cli-common@0.3.1'; // 0.3.2 needs a missing @backstage/errors
const GUEST = 'user:default/guest'; // the template's examples/org.yaml user

const args = process.argv.slice(2);
const flag = name => args.includes(name);
const option = name => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
if (flag('--help')) {
  console.log(`usage: scripts/adopter-check [--keep] [--packages <dir>] [--update-lockfile]
  --keep             keep the work folder (the fresh app) for a look afterwards
  --packages <dir>   use tarballs packed before (pack-packages.js --out <dir>)
  --update-lockfile  run the resolutions fix-up loop on the fresh app and write
                     tools/adopter-check/{yarn.lock,resolutions.json} afterwards
env: ADOPTER_BACKEND_PORT (7117), ADOPTER_SANDBOX_PORT (4617),
     ADOPTER_REGISTRY_PORT (any free one), ADOPTER_CHECK_CACHE, CHROMIUM_PATH`);
  process.exit(0);
}

const RESULTS = path.join(ROOT, 'test-results');
const LOGS = path.join(RESULTS, 'adopter-check');
fs.rmSync(LOGS, { recursive: true, force: true });
fs.mkdirSync(LOGS, { recursive: true });
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'elevated-access-adopter.'));
const APP = path.join(WORK, 'app');
const CACHE =
  process.env.ADOPTER_CHECK_CACHE ||
  path.join(
    process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'),
    'elevated-access-adopter-check',
  );
const PREBUILDS = path.join(CACHE, 'prebuilds');
fs.mkdirSync(PREBUILDS, { recursive: true });
const BACKEND_PORT = Number(process.env.ADOPTER_BACKEND_PORT || 7117);
const SANDBOX_PORT = Number(process.env.ADOPTER_SANDBOX_PORT || 4617);
const REGISTRY_PORT = Number(process.env.ADOPTER_REGISTRY_PORT || 0);
const BACKEND_URL = `http://localhost:${BACKEND_PORT}`;

// Installs in the fresh app: Yarn as configured by the template, plus
// - no build-from-source for everything (scripts/setup-env.sh sets it for the
//   monorepo): packages with bundled prebuilds use them, as anywhere else;
// - better-sqlite3's binary from the check's prebuild cache when one was kept
//   (a machine online downloads it from GitHub; here the first run builds it
//   from source and keeps it);
// - files hard-linked from Yarn's global store (nmMode hardlinks-global):
//   the same packages, laid out in a fraction of the time.
const INSTALL_ENV = {
  ...process.env,
  npm_config_build_from_source: 'false',
  npm_config_better_sqlite3_local_prebuilds: PREBUILDS,
  YARN_NM_MODE: 'hardlinks-global',
  // the check's registry is plain http on localhost (the guide's note says so)
  YARN_UNSAFE_HTTP_WHITELIST: 'localhost',
  YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
  YARN_ENABLE_PROGRESS_BARS: 'false',
  CI: '',
  GIT_AUTHOR_NAME: process.env.GIT_AUTHOR_NAME || 'adopter-check',
  GIT_AUTHOR_EMAIL: process.env.GIT_AUTHOR_EMAIL || 'adopter-check@example.com',
  GIT_COMMITTER_NAME: process.env.GIT_COMMITTER_NAME || 'adopter-check',
  GIT_COMMITTER_EMAIL:
    process.env.GIT_COMMITTER_EMAIL || 'adopter-check@example.com',
};
// The backend talks to the local sandbox only: dummy credentials.
const RUN_ENV = {
  ...INSTALL_ENV,
  AWS_ACCESS_KEY_ID: 'sandbox',
  AWS_SECRET_ACCESS_KEY: 'sandbox',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
};
for (const v of [
  'AWS_PROFILE',
  'AWS_SESSION_TOKEN',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
]) {
  delete RUN_ENV[v];
}

module.exports = {
  ROOT,
  HERE,
  CREATE_APP,
  CLI_COMMON,
  GUEST,
  flag,
  option,
  RESULTS,
  LOGS,
  WORK,
  APP,
  CACHE,
  PREBUILDS,
  BACKEND_PORT,
  SANDBOX_PORT,
  REGISTRY_PORT,
  BACKEND_URL,
  INSTALL_ENV,
  RUN_ENV,
};
