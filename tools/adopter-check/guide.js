/*
 * Reads the steps the adopter check follows out of docs/install.md, and
 * applies the guide's code to a fresh app's files.
 *
 * A step is a fenced code block preceded by a marker comment:
 *
 *   <!-- adopter-check: run -->      ```sh   commands, run as written in the app root
 *   <!-- adopter-check: yarnrc -->   ```yaml merged into the app's .yarnrc.yml
 *   <!-- adopter-check: backend -->  ```ts   backend.add(import('…')) lines added to
 *                                            packages/backend/src/index.ts;
 *                                            `// remove: backend.add(import('…'))`
 *                                            lines taken out of it
 *   <!-- adopter-check: app -->      ```tsx  imports and `features: [...]` entries
 *                                            added to packages/app/src/App.tsx
 *   <!-- adopter-check: config -->   ```yaml merged into app-config.local.yaml
 *
 * Blocks without a marker are explanation (alternatives, legacy apps) and are
 * not followed.
 */
const fs = require('node:fs');
const path = require('node:path');

const KINDS = ['run', 'yarnrc', 'backend', 'app', 'config'];

/** The marked blocks of a guide, in document order, with their line numbers. */
function readSteps(markdown) {
  const steps = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const marker = lines[i].match(
      /^<!--\s*adopter-check:\s*([\w-]+)\s*-->\s*$/,
    );
    if (!marker) continue;
    const kind = marker[1];
    if (!KINDS.includes(kind)) {
      throw new Error(`docs/install.md:${i + 1}: unknown step kind '${kind}'`);
    }
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === '') j++;
    const fence = (lines[j] ?? '').match(/^(```+)(\w*)\s*$/);
    if (!fence) {
      throw new Error(
        `docs/install.md:${
          i + 1
        }: the '${kind}' marker is not followed by a code block`,
      );
    }
    const start = j + 1;
    let end = start;
    while (end < lines.length && lines[end] !== fence[1]) end++;
    steps.push({
      kind,
      lang: fence[2],
      line: start,
      code: lines.slice(start, end).join('\n'),
      section: sectionOf(lines, i),
    });
    i = end;
  }
  return steps;
}

function sectionOf(lines, index) {
  for (let i = index; i >= 0; i--) {
    const heading = lines[i].match(/^#{2,3} (.*)/);
    if (heading) return heading[1];
  }
  return '';
}

/** The `backend.add(import('x'))` module names of a code text. */
function backendAdds(code) {
  return [
    ...code
      .replace(/^\s*\/\/.*$/gm, '')
      .matchAll(/backend\.add\(\s*import\(\s*'([^']+)'\s*\)\s*,?\s*\)/g),
  ].map(m => m[1]);
}

/** The modules a `// remove: backend.add(import('x'))` line names. */
function backendRemoves(code) {
  return [
    ...code.matchAll(
      /^\s*\/\/\s*remove:.*backend\.add\(\s*import\(\s*'([^']+)'\s*\)/gm,
    ),
  ].map(m => m[1]);
}

const escape = s => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Applies a `backend` step to packages/backend/src/index.ts. */
function applyBackend(appDir, code) {
  const file = path.join(appDir, 'packages/backend/src/index.ts');
  let text = fs.readFileSync(file, 'utf8');
  const changes = [];
  for (const name of backendRemoves(code)) {
    const statement = new RegExp(
      `^[ \\t]*backend\\.add\\(\\s*import\\(\\s*'${escape(
        name,
      )}'\\s*\\)\\s*,?\\s*\\);[ \\t]*\\n`,
      'm',
    );
    if (statement.test(text)) {
      text = text.replace(statement, '');
      changes.push(`- ${name}`);
    }
  }
  const present = new Set(backendAdds(text));
  for (const name of backendAdds(code)) {
    if (present.has(name)) continue;
    if (!/^backend\.start\(\);/m.test(text)) {
      throw new Error(`${file} has no backend.start();`);
    }
    text = text.replace(
      /^backend\.start\(\);/m,
      `backend.add(import('${name}'));\n\nbackend.start();`,
    );
    present.add(name);
    changes.push(`+ ${name}`);
  }
  fs.writeFileSync(file, text);
  return changes;
}

/** Import declarations of a code text, with the module each imports from. */
function imports(code) {
  return [...code.matchAll(/^import\s[\s\S]*?from\s+'([^']+)';?[ \t]*$/gm)].map(
    m => ({ statement: m[0].trim(), from: m[1] }),
  );
}

/** The entries of the first `features: [ ... ]` of a code text. */
function features(code) {
  const m = code.match(/features:\s*\[([\s\S]*?)\]/);
  if (!m) return null;
  return m[1]
    .replace(/\/\/.*$/gm, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
}

/** Applies an `app` step to packages/app/src/App.tsx (new frontend system). */
function applyApp(appDir, code) {
  const file = path.join(appDir, 'packages/app/src/App.tsx');
  let text = fs.readFileSync(file, 'utf8');
  const changes = [];
  const existing = new Set(imports(text).map(i => i.from));
  const missing = imports(code).filter(i => !existing.has(i.from));
  if (missing.length) {
    const last = imports(text).pop();
    const at = last ? text.indexOf(last.statement) + last.statement.length : 0;
    text = `${text.slice(0, at)}\n${missing
      .map(i => i.statement)
      .join('\n')}${text.slice(at)}`;
    changes.push(...missing.map(i => `+ import from ${i.from}`));
  }
  const wanted = features(code) ?? [];
  const have = features(text);
  if (wanted.length && !have) {
    throw new Error(
      `${file} has no features: [...] (not a new-frontend-system app?)`,
    );
  }
  const add = wanted.filter(f => !have.includes(f));
  if (add.length) {
    text = text.replace(/features:\s*\[([\s\S]*?)\]/, (_all, inner) => {
      const body = inner.replace(/,?\s*$/, '');
      return `features: [${body}${body.trim() ? ', ' : ''}${add.join(', ')}]`;
    });
    changes.push(...add.map(f => `+ feature ${f}`));
  }
  fs.writeFileSync(file, text);
  return changes;
}

function isObject(v) {
  return v && typeof v === 'object' && !Array.isArray(v);
}

/** Deep merge for config: objects merge, arrays are unions, scalars replace. */
function merge(a, b) {
  if (Array.isArray(a) && Array.isArray(b)) {
    return [
      ...a,
      ...b.filter(x => !a.some(y => JSON.stringify(y) === JSON.stringify(x))),
    ];
  }
  if (isObject(a) && isObject(b)) {
    const out = { ...a };
    for (const [k, v] of Object.entries(b))
      out[k] = k in a ? merge(a[k], v) : v;
    return out;
  }
  return b === null || b === undefined ? a : b;
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

module.exports = {
  readSteps,
  commandsOf,
  applyBackend,
  applyApp,
  merge,
  backendAdds,
  backendRemoves,
  features,
  imports,
};
