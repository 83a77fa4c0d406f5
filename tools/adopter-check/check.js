/*
 * The adopter check (run it with scripts/adopter-check; README.md beside this
 * file explains the choices). It installs Elevated Access into a fresh
 * `@backstage/create-app` app by following docs/install.md's marked steps,
 * type-checks and builds the app, runs its backend against the AWS sandbox
 * and opens the Elevated access page in headless Chromium.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromiumExecutablePath } = require('../../e2e/chromium');
const guide = require('./guide');

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

const started = Date.now();
const steps = [];
const children = [];
let stepNo = 0;
const secondsSince = t => Math.round((Date.now() - t) / 1000);

function logFile(name) {
  stepNo += 1;
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);
  return path.join(LOGS, `${String(stepNo).padStart(2, '0')}-${slug}.log`);
}

class StepError extends Error {}

/** Runs one named step; prints it with its seconds; records it. */
async function step(name, fn) {
  const t = Date.now();
  const log = logFile(name);
  process.stdout.write(`==> ${name}\n`);
  try {
    const detail = await fn(log);
    const seconds = secondsSince(t);
    steps.push({ name, seconds, ok: true });
    process.stdout.write(
      `    ok, ${seconds} s${detail ? ` (${detail})` : ''}\n`,
    );
  } catch (e) {
    const seconds = secondsSince(t);
    steps.push({ name, seconds, ok: false, error: e.message });
    process.stdout.write(`    FAILED after ${seconds} s: ${e.message}\n`);
    if (fs.existsSync(log)) {
      const tail = fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .filter(l => !l.includes('/.backstage/health/'))
        .slice(-40);
      process.stdout.write(
        `    --- last lines of ${log}\n${tail.join('\n')}\n`,
      );
    }
    throw new StepError(e.message);
  }
}

/** Runs a command to completion, output to the step's log. */
function run(cmd, cmdArgs, { cwd = APP, env = INSTALL_ENV, log, input } = {}) {
  fs.appendFileSync(log, `$ ${[cmd, ...cmdArgs].join(' ')}  (in ${cwd})\n`);
  const out = fs.openSync(log, 'a');
  const r = spawnSync(cmd, cmdArgs, {
    cwd,
    env,
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', out, out],
    maxBuffer: 1 << 30,
  });
  fs.closeSync(out);
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${cmdArgs.join(' ')} exited with ${r.status ?? r.signal}`,
    );
  }
}

/** Starts a long-running process; stopped (with its children) at the end. */
function start(cmd, cmdArgs, { cwd, env, log }) {
  const out = fs.openSync(log, 'a');
  const child = spawn(cmd, cmdArgs, {
    cwd,
    env,
    stdio: ['ignore', out, out],
    detached: true, // own process group, so the whole tree can be stopped
  });
  fs.closeSync(out);
  children.push(child);
  return child;
}

async function waitFor(what, seconds, probe, child) {
  const limit = Date.now() + seconds * 1000;
  for (;;) {
    if (child && child.exitCode !== null) {
      throw new Error(`${what}: the process exited (${child.exitCode})`);
    }
    try {
      if (await probe()) return;
    } catch (e) {
      if (e instanceof StepError) throw e; // a definite failure: stop waiting
    }
    if (Date.now() > limit) {
      throw new Error(`${what}: not ready after ${seconds} s`);
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

function portFree(port) {
  return new Promise(resolve => {
    const s = require('node:net').createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '127.0.0.1' }, () => s.close(() => resolve(true)));
  });
}

function requireFrom(pkg, ...chain) {
  let from = ROOT;
  for (const link of chain) {
    from = path.dirname(
      require.resolve(`${link}/package.json`, { paths: [from] }),
    );
  }
  return require(require.resolve(pkg, { paths: [from] }));
}
const YAML = requireFrom('yaml', '@backstage/cli');

function readYaml(file) {
  return fs.existsSync(file)
    ? YAML.parse(fs.readFileSync(file, 'utf8')) ?? {}
    : {};
}

/** A `sh` block's commands: continuation lines joined, comments left out. */
function commandsOf(code) {
  return code
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map(l => l.trim())
    .filter(l => l && !l.startsWith('#'))
    .map(l => l.replace(/\s+/g, ' '));
}

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

function stopAll() {
  for (const child of children) {
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}

async function main() {
  const markdown = fs.readFileSync(path.join(ROOT, 'docs/install.md'), 'utf8');
  const steps_ = guide.readSteps(markdown);
  const of = kind => steps_.filter(s => s.kind === kind);
  for (const kind of ['run', 'backend', 'app', 'config']) {
    if (!of(kind).length) {
      throw new StepError(`docs/install.md marks no '${kind}' step`);
    }
  }
  console.log(
    `docs/install.md: ${steps_.length} marked steps (${steps_
      .map(s => `${s.kind} in "${s.section}"`)
      .join('; ')})`,
  );

  await step('prerequisites (Chromium, AWS sandbox, free ports)', async () => {
    const chromium = chromiumExecutablePath;
    if (!fs.existsSync(chromium) && !process.env.CHROMIUM_PATH) {
      // as scripts/test does: Debian's package, never a downloaded browser
      const sudo = process.getuid() === 0 ? [] : ['sudo'];
      const apt = (...a) =>
        spawnSync(
          sudo[0] ?? 'apt-get',
          [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...a],
          {
            stdio: 'ignore',
          },
        ).status === 0;
      if (!apt('install', '-y', '-qq', 'chromium')) {
        apt('update', '-qq');
        apt('install', '-y', '-qq', 'chromium');
      }
    }
    if (!fs.existsSync(chromium)) throw new Error(`no Chromium at ${chromium}`);
    const sandbox = spawnSync(
      path.join(ROOT, 'tools/aws-sandbox/bin/aws-sandbox'),
      ['--help'],
      { stdio: 'ignore' },
    );
    if (sandbox.status !== 0) {
      throw new Error('the AWS sandbox cannot start (python3 with moto)');
    }
    for (const port of [BACKEND_PORT, SANDBOX_PORT]) {
      if (!(await portFree(port))) throw new Error(`port ${port} is in use`);
    }
    return `work folder ${WORK}`;
  });

  let packagesDir = option('--packages');
  if (packagesDir) {
    packagesDir = path.resolve(packagesDir);
    console.log(`==> using the tarballs in ${packagesDir}`);
  } else {
    packagesDir = path.join(WORK, 'packages');
    await step(
      'build and pack the packages (scripts/pack-packages.js)',
      log => {
        run('node', ['scripts/pack-packages.js', '--out', packagesDir], {
          cwd: ROOT,
          env: process.env,
          log,
        });
      },
    );
  }
  const packed = JSON.parse(
    fs.readFileSync(path.join(packagesDir, 'packages.json'), 'utf8'),
  );

  let registryUrl;
  await step('start the local npm registry with the tarballs', async log => {
    const child = start(
      'node',
      [
        path.join(HERE, 'registry.js'),
        path.join(packagesDir, 'packages.json'),
        '--port',
        String(REGISTRY_PORT),
      ],
      { cwd: WORK, env: process.env, log },
    );
    await waitFor(
      'registry',
      20,
      () => {
        const m = fs
          .readFileSync(log, 'utf8')
          .match(/listening on (http:\/\/localhost:\d+)/);
        registryUrl = m?.[1];
        return Boolean(m);
      },
      child,
    );
    return `${registryUrl}, ${packed.length} packages`;
  });

  await step(`create the app (${CREATE_APP})`, log => {
    const tool = path.join(CACHE, 'create-app-0.9.2');
    const bin = path.join(tool, 'node_modules/.bin/backstage-create-app');
    if (!fs.existsSync(bin)) {
      fs.rmSync(tool, { recursive: true, force: true });
      fs.mkdirSync(tool, { recursive: true });
      fs.writeFileSync(path.join(tool, 'package.json'), '{"private":true}\n');
      run(
        'npm',
        [
          'install',
          '--no-save',
          '--no-audit',
          '--no-fund',
          CREATE_APP,
          CLI_COMMON,
        ],
        { cwd: tool, log },
      );
    }
    // The app name is read from stdin; --skip-install: the next steps install.
    run(bin, ['--skip-install'], { cwd: WORK, log, input: 'app\n' });
    const release = JSON.parse(
      fs.readFileSync(path.join(APP, 'backstage.json'), 'utf8'),
    ).version;
    return `Backstage ${release}`;
  });

  await step(
    'apply the committed lockfile and resolutions (the mirror lacks some versions)',
    () => {
      const pkgFile = path.join(APP, 'package.json');
      const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
      const resolutions = JSON.parse(
        fs.readFileSync(path.join(HERE, 'resolutions.json'), 'utf8'),
      );
      for (const name of Object.keys(resolutions)) {
        if (name.startsWith('@elevated-access/')) {
          throw new Error(`resolutions.json must not pin ${name}`);
        }
      }
      pkg.resolutions = { ...pkg.resolutions, ...resolutions };
      fs.writeFileSync(pkgFile, `${JSON.stringify(pkg, null, 2)}\n`);
      if (!flag('--update-lockfile')) {
        fs.copyFileSync(
          path.join(HERE, 'yarn.lock'),
          path.join(APP, 'yarn.lock'),
        );
      }
      return `${Object.keys(resolutions).length} resolutions`;
    },
  );

  let baseLock;
  if (flag('--update-lockfile')) {
    await step(
      'resolutions fix-up loop (scripts/fix-missing-versions.js)',
      log => {
        run('node', [path.join(ROOT, 'scripts/fix-missing-versions.js')], {
          log,
        });
      },
    );
    baseLock = fs.readFileSync(path.join(APP, 'yarn.lock'), 'utf8');
  }

  for (const s of of('yarnrc')) {
    await step(
      `guide, ${s.section}: .yarnrc.yml (registry for @elevated-access)`,
      () => {
        const block = YAML.parse(s.code);
        for (const scope of Object.values(block.npmScopes ?? {})) {
          scope.npmRegistryServer = registryUrl; // the guide shows a placeholder
        }
        const file = path.join(APP, '.yarnrc.yml');
        fs.writeFileSync(
          file,
          YAML.stringify(guide.merge(readYaml(file), block)),
        );
        return Object.keys(block).join(', ');
      },
    );
  }

  // The guide's commands, one at a time, as written. Yarn drops the lockfile
  // entries nothing uses yet after every command, so before each one the
  // committed lockfile's entries go back in: third-party packages resolve as
  // recorded there, not to whatever the registry has today.
  const seed = flag('--update-lockfile')
    ? undefined
    : fs.readFileSync(path.join(HERE, 'yarn.lock'), 'utf8');
  const seenLocks = [baseLock];
  for (const s of of('run')) {
    for (const command of commandsOf(s.code)) {
      const lockFile = path.join(APP, 'yarn.lock');
      if (seed) {
        const current = fs.readFileSync(lockFile, 'utf8');
        fs.writeFileSync(
          lockFile,
          unionLock([seed, current], { keepOurs: true }),
        );
      }
      const shown = command.replace(
        /@elevated-access\/backstage-plugin-/g,
        '@elevated-access/…',
      );
      await step(`guide, ${s.section}: ${shown}`, log => {
        run('bash', ['-euo', 'pipefail', '-c', command], { log });
      });
      seenLocks.push(fs.readFileSync(lockFile, 'utf8'));
    }
  }

  // A better-sqlite3 built from source here is kept for the next run.
  const sqlite = path.join(APP, 'node_modules/better-sqlite3');
  if (fs.existsSync(path.join(sqlite, 'build/Release/better_sqlite3.node'))) {
    const version = JSON.parse(
      fs.readFileSync(path.join(sqlite, 'package.json'), 'utf8'),
    ).version;
    const prebuild = path.join(
      PREBUILDS,
      `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`,
    );
    if (!fs.existsSync(prebuild)) {
      spawnSync('tar', [
        'czf',
        prebuild,
        '-C',
        sqlite,
        'build/Release/better_sqlite3.node',
      ]);
      console.log(
        `    kept better-sqlite3 ${version} as a prebuild in ${PREBUILDS}`,
      );
    }
  }

  if (flag('--update-lockfile')) {
    // The fresh app's lockfile and the one after the guide's commands, in
    // one file: Yarn takes what it needs from it and drops the rest. Our own
    // packages change with every build: only their dependencies are kept.
    fs.writeFileSync(path.join(HERE, 'yarn.lock'), unionLock(seenLocks));
    const pkg = JSON.parse(
      fs.readFileSync(path.join(APP, 'package.json'), 'utf8'),
    );
    const {
      '@types/react': _r,
      '@types/react-dom': _d,
      ...pins
    } = pkg.resolutions;
    fs.writeFileSync(
      path.join(HERE, 'resolutions.json'),
      `${JSON.stringify(pins, null, 2)}\n`,
    );
    console.log('    wrote tools/adopter-check/yarn.lock and resolutions.json');
  }

  for (const s of of('backend')) {
    await step(
      `guide, ${s.section}: packages/backend/src/index.ts`,
      () => guide.applyBackend(APP, s.code).join(', ') || 'nothing to change',
    );
  }
  for (const s of of('app')) {
    await step(
      `guide, ${s.section}: packages/app/src/App.tsx`,
      () => guide.applyApp(APP, s.code).join(', ') || 'nothing to change',
    );
  }
  await step('guide: configuration into app-config.local.yaml', () => {
    let config = {};
    for (const s of of('config'))
      config = guide.merge(config, YAML.parse(s.code));
    fs.writeFileSync(
      path.join(APP, 'app-config.local.yaml'),
      YAML.stringify(config),
    );
    // The check's own ports; the built app is served by the backend.
    const port = `http://127.0.0.1:${SANDBOX_PORT}`;
    fs.writeFileSync(
      path.join(APP, 'app-config.check.yaml'),
      YAML.stringify({
        app: { baseUrl: BACKEND_URL },
        backend: {
          baseUrl: BACKEND_URL,
          listen: { port: BACKEND_PORT },
          cors: { origin: BACKEND_URL },
        },
        elevatedAccess: { aws: { endpoint: port } },
      }),
    );
    return `${of('config')
      .map(s => s.section)
      .join('; ')}`;
  });

  await step('yarn tsc (the app, with our built type declarations)', log => {
    run('yarn', ['tsc'], { log });
  });

  const configArgs = [
    '--config',
    '../../app-config.yaml',
    '--config',
    '../../app-config.local.yaml',
    '--config',
    '../../app-config.check.yaml',
  ];
  await step('yarn workspace app build', log => {
    run('yarn', ['workspace', 'app', 'build', ...configArgs], { log });
  });

  await step(`start the AWS sandbox on :${SANDBOX_PORT}`, async log => {
    const child = start(
      path.join(ROOT, 'tools/aws-sandbox/bin/aws-sandbox'),
      ['--port', String(SANDBOX_PORT), '--seed'],
      { cwd: ROOT, env: RUN_ENV, log },
    );
    await waitFor(
      'sandbox',
      60,
      async () =>
        (
          await fetch(`http://127.0.0.1:${SANDBOX_PORT}/_sandbox/health`)
        ).ok,
      child,
    );
  });

  await step(
    `start the backend (yarn workspace backend start) on :${BACKEND_PORT}`,
    async log => {
      const child = start(
        'yarn',
        ['workspace', 'backend', 'start', ...configArgs],
        {
          cwd: APP,
          env: RUN_ENV,
          log,
        },
      );
      await waitFor(
        'backend',
        180,
        async () => {
          const text = fs.readFileSync(log, 'utf8');
          const failed = text.match(/Backend startup failed[^\n]*\n[^\n]*/);
          if (failed)
            throw new StepError(failed[0].replace(/\x1b\[[0-9;]*m/g, ''));
          return (await fetch(`${BACKEND_URL}/.backstage/health/v1/readiness`))
            .ok;
        },
        child,
      );
      // the guest is a catalog user once the catalog has read examples/org.yaml
      await waitFor(
        'the catalog user behind the guest',
        120,
        async () => {
          const refresh = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`, {
            headers: { 'x-requested-with': 'XMLHttpRequest' },
          });
          const token = (await refresh.json()).backstageIdentity?.token;
          const user = await fetch(
            `${BACKEND_URL}/api/catalog/entities/by-name/user/default/guest`,
            { headers: { authorization: `Bearer ${token}` } },
          );
          return user.ok;
        },
        child,
      );
      const health = await fetch(`${BACKEND_URL}/api/elevated-access/health`);
      if (!health.ok) {
        throw new Error(
          `/api/elevated-access/health answered ${health.status}`,
        );
      }
    },
  );

  await step(
    'headless Chromium: sign in as guest, open /elevated-access',
    log => {
      run(
        'node',
        [
          path.join(HERE, 'browser.js'),
          BACKEND_URL,
          path.join(RESULTS, 'adopter-check-elevated-access.png'),
          GUEST,
        ],
        { cwd: ROOT, env: process.env, log },
      );
      const lines = fs.readFileSync(log, 'utf8').split('\n');
      return lines.filter(l => /^(GET|page:)/.test(l)).join('; ');
    },
  );
}

function finish(ok) {
  stopAll();
  const seconds = secondsSince(started);
  const result = {
    ok,
    seconds,
    steps,
    work: flag('--keep') ? WORK : undefined,
  };
  fs.writeFileSync(
    path.join(RESULTS, 'adopter-check.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  console.log('\nadopter check:');
  for (const s of steps) {
    console.log(
      `  ${s.ok ? 'ok    ' : 'FAILED'} ${String(s.seconds).padStart(4)} s  ${
        s.name
      }`,
    );
  }
  if (flag('--keep')) {
    console.log(`  the fresh app stays in ${APP}`);
  } else {
    // ~150,000 files: removed in the background, the result does not wait
    spawn('rm', ['-rf', WORK], { detached: true, stdio: 'ignore' }).unref();
  }
  console.log(`  total ${seconds} s: ${ok ? 'passed' : 'FAILED'}`);
  process.exit(ok ? 0 : 1);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.log(`\nstopped (${signal})`);
    finish(false);
  });
}

main().then(
  () => finish(true),
  e => {
    if (!(e instanceof StepError)) console.error(e);
    finish(false);
  },
);
