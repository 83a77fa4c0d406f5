#!/usr/bin/env node
/*
 * A tiny npm registry for the adopter check: it serves the tarballs that
 * `scripts/pack-packages.js` wrote, so a fresh app installs our packages with
 * the install guide's own `yarn add` commands, as an adopter whose private
 * registry has them would.
 *
 *   node tools/adopter-check/registry.js <dir>/packages.json [--port N]
 *
 * GET /<name> (also /@scope%2fname): the packument (every version's manifest
 * as packed, dist.tarball/integrity/shasum, dist-tags.latest, and `time`);
 * GET /<name>/-/<file>.tgz: the tarball. Anything else is a 404, so the app's
 * `.yarnrc.yml` must route only our scope here (npmScopes).
 *
 * `time` is the tarball's real modification time (when it was packed): a
 * fresh build is younger than Yarn's npmMinimalAgeGate, which is why the
 * guide's registry note preapproves the scope instead of faking ages.
 *
 * Prints `registry listening on http://localhost:<port>` once ready; stops
 * on SIGTERM/SIGINT.
 */
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const [listFile, ...rest] = process.argv.slice(2);
if (!listFile) {
  console.error('usage: registry.js <packages.json> [--port N]');
  process.exit(2);
}
const portIndex = rest.indexOf('--port');
const port = portIndex >= 0 ? Number(rest[portIndex + 1]) : 0;

const packages = new Map(); // name -> { versions: Map<version, entry> }
for (const { name, file } of JSON.parse(fs.readFileSync(listFile, 'utf8'))) {
  const data = fs.readFileSync(file);
  const manifest = JSON.parse(
    execFileSync('tar', ['-xzOf', file, 'package/package.json'], {
      encoding: 'utf8',
    }),
  );
  if (manifest.name !== name) {
    throw new Error(`${file} holds ${manifest.name}, not ${name}`);
  }
  const fileName = `${name.split('/').pop()}-${manifest.version}.tgz`;
  const entry = {
    manifest,
    file,
    fileName,
    published: fs.statSync(file).mtime.toISOString(),
    integrity: `sha512-${crypto
      .createHash('sha512')
      .update(data)
      .digest('base64')}`,
    shasum: crypto.createHash('sha1').update(data).digest('hex'),
  };
  if (!packages.has(name)) packages.set(name, { versions: new Map() });
  packages.get(name).versions.set(manifest.version, entry);
}

function packument(name, base) {
  const { versions } = packages.get(name);
  const entries = [...versions.values()];
  const times = entries.map(e => e.published).sort();
  return {
    _id: name,
    name,
    'dist-tags': { latest: entries[entries.length - 1].manifest.version },
    versions: Object.fromEntries(
      entries.map(e => [
        e.manifest.version,
        {
          ...e.manifest,
          _id: `${name}@${e.manifest.version}`,
          dist: {
            tarball: `${base}/${name}/-/${e.fileName}`,
            integrity: e.integrity,
            shasum: e.shasum,
          },
        },
      ]),
    ),
    time: {
      created: times[0],
      modified: times[times.length - 1],
      ...Object.fromEntries(
        entries.map(e => [e.manifest.version, e.published]),
      ),
    },
  };
}

const server = http.createServer((req, res) => {
  const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const send = (status, body, type = 'application/json') => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
    console.log(`${req.method} ${url} ${status}`);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(405, '{"error":"read-only registry"}');
  }
  const tarball = url.match(/^\/(@[^/]+\/[^/]+)\/-\/([^/]+\.tgz)$/);
  if (tarball && packages.has(tarball[1])) {
    const entry = [...packages.get(tarball[1]).versions.values()].find(
      e => e.fileName === tarball[2],
    );
    if (entry) {
      return send(200, fs.readFileSync(entry.file), 'application/octet-stream');
    }
  }
  const name = url.slice(1);
  if (packages.has(name)) {
    const base = `http://${req.headers.host}`;
    return send(200, JSON.stringify(packument(name, base)));
  }
  return send(404, '{"error":"not found"}');
});

// `::` with IPv4 mapped addresses answers both localhost spellings
server.listen({ port, host: '::', ipv6Only: false }, () => {
  console.log(
    `registry listening on http://localhost:${server.address().port} (${
      packages.size
    } packages)`,
  );
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
