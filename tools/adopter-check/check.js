/*
 * The adopter check (run it with scripts/adopter-check; README.md beside this
 * file explains the choices). It installs Elevated Access into a fresh
 * `@backstage/create-app` app by following docs/install.md's marked steps,
 * type-checks and builds the app, runs its backend against the AWS sandbox
 * and opens the Elevated access page in headless Chromium.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const guide = require('./guide');
const {
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
} = require('./settings');
const { StepError, createSteps, secondsSince } = require('./steps');
const { unionLock, writeLockfileAndResolutions } = require('./lockfile');
const { keepBetterSqlitePrebuild } = require('./prebuilds');
const { checkPrerequisites } = require('./prerequisites');

const started = Date.now();
const { steps, step, run, start, waitFor, stopAll } = createSteps(LOGS, {
  cwd: APP,
  env: INSTALL_ENV,
});

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
    await checkPrerequisites([BACKEND_PORT, SANDBOX_PORT]);
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
    for (const command of guide.commandsOf(s.code)) {
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

  keepBetterSqlitePrebuild(APP, PREBUILDS);

  if (flag('--update-lockfile'))
    writeLockfileAndResolutions(HERE, APP, seenLocks);

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
