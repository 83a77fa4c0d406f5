/*
 * Serves the app's production build (packages/app/dist) for `yarn bench
 * picker`, as an adopter's static host or app-backend would: the files as
 * they are, and index.html for every other path (the app routes in the
 * browser). The build holds its config, read at build time.
 *
 *   serveApp.ts <port>
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const DIST = path.resolve(__dirname, '../packages/app/dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

const port = Number(process.argv[2]);
http
  .createServer((req, res) => {
    const urlPath = decodeURIComponent(
      new URL(req.url ?? '/', 'http://x').pathname,
    );
    const asked = path.resolve(DIST, `.${urlPath}`);
    const file =
      asked.startsWith(DIST) &&
      fs.existsSync(asked) &&
      fs.statSync(asked).isFile()
        ? asked
        : path.join(DIST, 'index.html');
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    });
    fs.createReadStream(file).pipe(res);
  })
  .listen(port);
