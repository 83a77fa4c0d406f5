#!/usr/bin/env node
/*
 * Builds and packs every public package, then checks each tarball as a
 * registry would serve it:
 * - it holds package.json, README.md, LICENSE, dist/ and the config schema
 *   the package declares (Backstage's prepack compiles config.d.ts into
 *   config.schema.json), and no sources, tests or test utilities that are
 *   not entry points;
 * - its package.json is the published one (no `workspace:` ranges, entry
 *   points in dist/);
 * - the built type declarations of every entry point export what the entry
 *   point's report.api.md says it exports. (A JSDoc comment that contained
 *   `@internal/…` once made TypeScript strip the `/alpha` default export from
 *   the built .d.ts, which nothing inside the monorepo noticed.)
 *
 * Usage: node scripts/pack-packages.js [--out <dir>] [--no-build]
 * Writes <dir>/packages.json: [{ name, version, file }]. Exits 1 on a problem.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outDir = path.resolve(
  outIndex >= 0 ? args[outIndex + 1] : path.join(root, 'dist-packages'),
);
const build = !args.includes('--no-build');

const problems = [];
const problem = (pkg, message) => problems.push(`${pkg}: ${message}`);

function run(cmd, cmdArgs, cwd) {
  return execFileSync(cmd, cmdArgs, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** The names an entry point exports, according to its API report. */
function reportedExports(reportFile) {
  const text = fs.readFileSync(reportFile, 'utf8');
  const names = new Set();
  const declaration =
    /^export (?:declare )?(?:abstract )?(?:const|let|function|class|interface|type|enum|namespace) ([A-Za-z_$][\w$]*)/gm;
  for (const m of text.matchAll(declaration)) names.add(m[1]);
  if (/^export default /m.test(text)) names.add('default');
  for (const m of text.matchAll(/^export \{([^}]*)\}/gm)) {
    for (const part of m[1].split(',')) {
      const alias = part
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (alias) names.add(alias);
    }
  }
  return names;
}

const compilerOptions = {
  noEmit: true,
  skipLibCheck: true,
  types: [],
  jsx: ts.JsxEmit.ReactJSX,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
};

/**
 * The names each module exports, as TypeScript resolves them; one program
 * for all of them, since loading a program is the slow part.
 */
function moduleExports(files) {
  const program = ts.createProgram(files, compilerOptions);
  const checker = program.getTypeChecker();
  return new Map(
    files.map(file => {
      const source = program.getSourceFile(file);
      const symbol = source && checker.getSymbolAtLocation(source);
      const names = symbol
        ? checker.getExportsOfModule(symbol).map(x => x.getName())
        : [];
      return [file, new Set(names)];
    }),
  );
}

/** Every public package's source entry points: `<dir>#<subpath>` → file. */
function sourceEntries() {
  const entries = new Map();
  for (const dirName of fs.readdirSync(path.join(root, 'plugins'))) {
    const dir = path.join(root, 'plugins', dirName);
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const source = JSON.parse(fs.readFileSync(file, 'utf8'));
    const exportsMap = source.exports ?? { '.': source.main };
    for (const [subpath, entry] of Object.entries(exportsMap)) {
      if (typeof entry === 'string' && /\.tsx?$/.test(entry)) {
        entries.set(`${dir}#${subpath}`, path.join(dir, entry));
      }
    }
  }
  return entries;
}

/** `./alpha` → report-alpha.api.md; `.` → report.api.md */
const reportFor = (dir, subpath) =>
  path.join(
    dir,
    subpath === '.' ? 'report.api.md' : `report-${subpath.slice(2)}.api.md`,
  );

function typesOf(entry) {
  if (typeof entry === 'string') return entry.endsWith('.d.ts') ? entry : null;
  if (entry && typeof entry === 'object') {
    return entry.types ?? typesOf(entry.default) ?? null;
  }
  return null;
}

function checkTarball(dir, source, tarball, sourceExports) {
  const name = source.name;
  const listing = run('tar', ['-tzf', tarball], root)
    .split('\n')
    .filter(Boolean)
    .map(f => f.replace(/^package\//, ''));
  const has = f => listing.includes(f);
  for (const f of ['package.json', 'README.md', 'LICENSE']) {
    if (!has(f)) problem(name, `the tarball has no ${f}`);
  }
  if (!listing.some(f => f.startsWith('dist/'))) {
    problem(name, 'the tarball has no dist/');
  }
  const unwanted = listing.filter(
    f =>
      f.startsWith('src/') ||
      /\.test\.[cm]?[jt]sx?$/.test(f) ||
      /(^|\/)__testUtils__\//.test(f) ||
      /(^|\/)setupTests\./.test(f),
  );
  if (unwanted.length) {
    problem(name, `the tarball holds ${unwanted.slice(0, 5).join(', ')}`);
  }

  const extracted = fs.mkdtempSync(path.join(os.tmpdir(), 'pack-check-'));
  try {
    run('tar', ['-xzf', tarball, '-C', extracted], root);
    const pkgDir = path.join(extracted, 'package');
    const packed = JSON.parse(
      fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'),
    );
    if (packed.private) problem(name, 'the packed package.json is private');
    if (!packed.license || packed.license === 'UNLICENSED') {
      problem(name, 'no open-source licence');
    }
    for (const field of ['dependencies', 'peerDependencies']) {
      for (const [dep, range] of Object.entries(packed[field] ?? {})) {
        if (String(range).startsWith('workspace:')) {
          problem(name, `${field}.${dep} is still ${range}`);
        }
      }
    }
    // Backstage's prepack compiles config.d.ts into config.schema.json
    if (source.configSchema && !has(String(packed.configSchema))) {
      problem(
        name,
        `the config schema (${packed.configSchema}) is not in the tarball`,
      );
    }
    if (
      !String(packed.main ?? '')
        .replace(/^\.\//, '')
        .startsWith('dist/')
    ) {
      problem(name, `main points at ${packed.main}, not dist/`);
    }
    // every entry point: the reported exports must be in the built .d.ts
    const entries = packed.exports
      ? Object.entries(packed.exports).filter(([k]) => k !== './package.json')
      : [['.', { types: packed.types }]];
    for (const [subpath, entry] of entries) {
      const types = typesOf(entry);
      if (!types) {
        problem(name, `entry point ${subpath} declares no types`);
        continue;
      }
      const dts = path.join(pkgDir, types);
      if (!fs.existsSync(dts)) {
        problem(name, `entry point ${subpath}: ${types} is not in the tarball`);
        continue;
      }
      const report = reportFor(dir, subpath);
      if (!fs.existsSync(report)) {
        problem(name, `entry point ${subpath} has no ${path.basename(report)}`);
        continue;
      }
      const declared = moduleExports([dts]).get(dts);
      const reportName = path.basename(report);
      for (const exported of reportedExports(report)) {
        if (!declared.has(exported)) {
          problem(
            name,
            `entry point ${subpath}: ${types} does not export '${exported}', which ${reportName} lists`,
          );
        }
      }
      // The report is made from the same declarations, so it misses a name
      // both lost; the source entry point is the reference.
      const sourceNames = sourceExports.get(`${dir}#${subpath}`);
      for (const exported of sourceNames ?? []) {
        if (!declared.has(exported)) {
          problem(
            name,
            `entry point ${subpath}: ${types} does not export '${exported}', which its source exports`,
          );
        }
      }
    }
  } finally {
    fs.rmSync(extracted, { recursive: true, force: true });
  }
  return listing.length;
}

function main() {
  const started = Date.now();
  if (build) {
    process.stderr.write('building: yarn build:packages\n');
    run('yarn', ['build:packages'], root);
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const entries = sourceEntries();
  const byFile = moduleExports([...entries.values()]);
  const sourceExports = new Map(
    [...entries].map(([key, file]) => [key, byFile.get(file)]),
  );
  const packed = [];
  for (const dirName of fs.readdirSync(path.join(root, 'plugins')).sort()) {
    const dir = path.join(root, 'plugins', dirName);
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const source = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (source.private) {
      problem(source.name, 'is private, so it cannot be published');
      continue;
    }
    const tarball = path.join(
      outDir,
      `${source.name.replace(/^@/, '').replace('/', '-')}-${
        source.version
      }.tgz`,
    );
    try {
      run('yarn', ['pack', '--out', tarball], dir);
    } catch (e) {
      problem(
        source.name,
        `yarn pack failed: ${e.stdout ?? ''}${e.stderr ?? ''}`,
      );
      continue;
    }
    const count = checkTarball(dir, source, tarball, sourceExports);
    process.stderr.write(`packed ${source.name} (${count} files)\n`);
    packed.push({ name: source.name, version: source.version, file: tarball });
  }
  fs.writeFileSync(
    path.join(outDir, 'packages.json'),
    `${JSON.stringify(packed, null, 2)}\n`,
  );
  const seconds = Math.round((Date.now() - started) / 1000);
  if (problems.length) {
    for (const p of problems) console.error(`problem: ${p}`);
    console.error(
      `${problems.length} problem(s) in ${packed.length} package(s) (${seconds} s)`,
    );
    process.exit(1);
  }
  console.log(
    `${packed.length} packages packed and checked in ${seconds} s: ${outDir}`,
  );
}

main();
