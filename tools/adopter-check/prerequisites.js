const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { chromiumExecutablePath } = require('../../e2e/chromium');

const ROOT = path.resolve(__dirname, '../..');

function portFree(port) {
  return new Promise(resolve => {
    const s = require('node:net').createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host: '127.0.0.1' }, () => s.close(() => resolve(true)));
  });
}

/**
 * What the check needs before it starts: Chromium (installed with apt when
 * missing), an AWS sandbox that can start, and its ports free.
 */
async function checkPrerequisites(ports) {
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
  for (const port of ports) {
    if (!(await portFree(port))) throw new Error(`port ${port} is in use`);
  }
}

module.exports = { checkPrerequisites };
