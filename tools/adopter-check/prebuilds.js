const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/**
 * Keeps a better-sqlite3 the app's install built from source as a prebuild
 * in `prebuilds`, where the next run's install finds it
 * (npm_config_better_sqlite3_local_prebuilds): built once, not every run.
 */
function keepBetterSqlitePrebuild(app, prebuilds) {
  const sqlite = path.join(app, 'node_modules/better-sqlite3');
  if (fs.existsSync(path.join(sqlite, 'build/Release/better_sqlite3.node'))) {
    const version = JSON.parse(
      fs.readFileSync(path.join(sqlite, 'package.json'), 'utf8'),
    ).version;
    const prebuild = path.join(
      prebuilds,
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
        `    kept better-sqlite3 ${version} as a prebuild in ${prebuilds}`,
      );
    }
  }
}

module.exports = { keepBetterSqlitePrebuild };
