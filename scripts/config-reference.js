#!/usr/bin/env node
/*
 * Writes the configuration reference of the Elevated Access backend into
 * docs/install.md, between the markers
 *
 *   <!-- config-reference:start -->
 *   <!-- config-reference:end -->
 *
 * from the JSDoc comments of the backend's and the frontend's config.d.ts
 * (plugins/elevated-access-backend, plugins/elevated-access): one table row per key with its type, its default (the comment's
 * "(default …)"), its description and its visibility (`@visibility`).
 *
 * The parser is deliberately small and knows only that file's shape: one
 * property per line (`name?: type;` or `name?: {` … `};`), each preceded by
 * an optional `/** … *\/` comment.
 *
 * Usage:
 *   node scripts/config-reference.js            write docs/install.md
 *   node scripts/config-reference.js --check    exit 1 with a diff when stale
 *   node scripts/config-reference.js --json     print the parsed keys
 *   --config <file> (repeatable) and --doc <file> point at other files (for tests).
 *
 * Plain Node, no dependencies.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const DEFAULT_CONFIGS = [
  path.join(ROOT, 'plugins/elevated-access-backend/config.d.ts'),
  path.join(ROOT, 'plugins/elevated-access/config.d.ts'),
  path.join(ROOT, 'plugins/catalog-backend-module-elevated-access/config.d.ts'),
];
const DEFAULT_DOC = path.join(ROOT, 'docs/install.md');
const START = '<!-- config-reference:start -->';
const END = '<!-- config-reference:end -->';

/** Splits a JSDoc body into description, default and tags. */
function parseDoc(lines) {
  const text = [];
  const tags = {};
  for (const raw of lines) {
    const line = raw.replace(/^\s*\*?\s?/, '').trimEnd();
    const tag = /^@(\w+)\s*(.*)$/.exec(line.trim());
    if (tag) {
      tags[tag[1]] = tag[2].trim() || true;
    } else if (line.trim()) {
      text.push(line.trim());
    }
  }
  let description = text.join(' ');
  let defaultValue;
  const match = /\s*\(default ([^()]*)\)/.exec(description);
  if (match) {
    defaultValue = match[1].trim();
    description = (
      description.slice(0, match.index) +
      description.slice(match.index + match[0].length)
    )
      .replace(/\s+([.,;:])/g, '$1')
      .replace(/\s{2,}/g, ' ')
      .trim();
  }
  return { description, default: defaultValue, tags };
}

/**
 * Parses config.d.ts into rows: `{ key, type, kind: 'object' | 'value',
 * description, default, visibility, deprecated }`, in file order.
 */
function parseConfigSchema(source) {
  const lines = source.split(/\r?\n/);
  const start = lines.findIndex(l => /^export interface Config\s*\{/.test(l));
  if (start < 0)
    throw new Error('config.d.ts has no `export interface Config {`');
  const rows = [];
  const stack = [];
  let doc;
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('//')) continue;
    if (line.startsWith('/**')) {
      const body = [];
      let current = line.slice(3);
      while (!current.includes('*/')) {
        body.push(current);
        i++;
        if (i >= lines.length) throw new Error('Unterminated comment');
        current = lines[i];
      }
      body.push(current.slice(0, current.indexOf('*/')));
      doc = parseDoc(body);
      continue;
    }
    const open = /^(\w+)(\??):\s*\{$/.exec(line);
    if (open) {
      stack.push(open[1]);
      if (doc) rows.push(row(stack, 'object', doc, open[2] === '?'));
      doc = undefined;
      continue;
    }
    const leaf = /^(\w+)(\??):\s*(.+);$/.exec(line);
    if (leaf) {
      rows.push(row([...stack, leaf[1]], leaf[3].trim(), doc, leaf[2] === '?'));
      doc = undefined;
      continue;
    }
    if (/^\};?$/.test(line)) {
      if (!stack.length) break; // the end of `interface Config`
      stack.pop();
      doc = undefined;
      continue;
    }
    throw new Error(
      `config.d.ts line ${i + 1} has an unexpected shape: ${line}`,
    );
  }
  return rows;
}

function row(keys, type, doc, optional) {
  const visibility =
    doc && typeof doc.tags.visibility === 'string'
      ? doc.tags.visibility
      : 'backend';
  return {
    key: keys.join('.'),
    type,
    kind: type === 'object' ? 'object' : 'value',
    optional,
    description: doc ? doc.description : '',
    default: doc ? doc.default : undefined,
    visibility,
    deprecated: Boolean(doc && doc.tags.deprecated),
  };
}

/** Markdown table cell: one line, pipes escaped. */
function cell(text) {
  return String(text).replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function renderTable(rows) {
  const out = [
    '| Key | Type | Default | Description | Visibility |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    const type = r.kind === 'object' ? 'object' : `\`${r.type}\``;
    const def =
      r.kind === 'object' ? '' : r.default === undefined ? '—' : r.default;
    const visibility = r.visibility === 'secret' ? '**secret**' : r.visibility;
    const description = `${r.deprecated ? '**Deprecated.** ' : ''}${
      r.description
    }`;
    out.push(
      `| \`${r.key}\` | ${cell(type)} | ${cell(def)} | ${cell(
        description,
      )} | ${visibility} |`,
    );
  }
  return out.join('\n');
}

function renderBlock(rows, configPaths) {
  const from = configPaths
    .map(p => path.relative(ROOT, p).split(path.sep).join('/'))
    .join(' and ');
  return [
    START,
    `<!-- Generated from ${from} by scripts/config-reference.js; do not edit by hand. -->`,
    '<!-- prettier-ignore-start -->',
    renderTable(rows),
    '<!-- prettier-ignore-end -->',
    '', // prettier separates the two comment blocks with a blank line
    END,
  ].join('\n');
}

/** The document with its reference block replaced. */
function updateDocument(doc, block) {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) {
    throw new Error(`The document has no ${START} … ${END} markers`);
  }
  return doc.slice(0, start) + block + doc.slice(end + END.length);
}

/** A small line diff (longest common subsequence), `-` old and `+` new. */
function diffLines(before, after) {
  const a = before.split('\n');
  const b = after.split('\n');
  const lcs = Array.from({ length: a.length + 1 }, () =>
    new Array(b.length + 1).fill(0),
  );
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] =
        a[i] === b[j]
          ? lcs[i + 1][j + 1] + 1
          : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      i++;
      j++;
    } else if (
      j < b.length &&
      (i >= a.length || lcs[i][j + 1] >= lcs[i + 1][j])
    ) {
      out.push(`+ ${b[j++]}`);
    } else {
      out.push(`- ${a[i++]}`);
    }
  }
  return out.join('\n');
}

function argValues(args, name) {
  return args
    .map((arg, i) => (arg === name && args[i + 1] ? args[i + 1] : undefined))
    .filter(Boolean)
    .map(p => path.resolve(p));
}

/**
 * The rows of several config.d.ts files as one list: a key both declare (the
 * shared `elevatedAccess` object) appears once, as the first file has it.
 */
function mergeRows(lists) {
  const seen = new Set();
  return lists.flat().filter(r => !seen.has(r.key) && seen.add(r.key));
}

function argValue(args, name, fallback) {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? path.resolve(args[at + 1]) : fallback;
}

function main(args) {
  const given = argValues(args, '--config');
  const configPaths = given.length ? given : DEFAULT_CONFIGS;
  const docPath = argValue(args, '--doc', DEFAULT_DOC);
  const rows = mergeRows(
    configPaths.map(p => parseConfigSchema(fs.readFileSync(p, 'utf8'))),
  );
  if (args.includes('--json')) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  const doc = fs.readFileSync(docPath, 'utf8');
  const updated = updateDocument(doc, renderBlock(rows, configPaths));
  const docName = path.relative(process.cwd(), docPath) || docPath;
  if (args.includes('--check')) {
    if (updated === doc) {
      process.stdout.write(
        `${docName} is up to date with its config.d.ts files\n`,
      );
      return 0;
    }
    process.stdout.write(
      `${docName} is out of date; run node scripts/config-reference.js\n` +
        `${diffLines(doc, updated)}\n`,
    );
    return 1;
  }
  if (updated !== doc) {
    fs.writeFileSync(docPath, updated);
    process.stdout.write(`Wrote the config reference to ${docName}\n`);
  } else {
    process.stdout.write(`${docName} was already up to date\n`);
  }
  return 0;
}

module.exports = {
  parseConfigSchema,
  mergeRows,
  renderTable,
  renderBlock,
  updateDocument,
  diffLines,
};

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`config-reference: ${error.message}\n`);
    process.exitCode = 2;
  }
}
