import { spawn } from 'node:child_process';
import path from 'node:path';
import type { LoadResult, LoadSpec } from './httpLoad';

/**
 * Runs one load (httpLoad.ts) in a Node process of its own, so the clients
 * do not share the server's event loop, and returns what it measured.
 */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        path.join(__dirname, 'httpLoad.ts'),
        JSON.stringify(spec),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', chunk => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('exit', code => {
      if (code !== 0) {
        reject(new Error(`The load process exited with code ${code}`));
        return;
      }
      resolve(JSON.parse(out.trim().split('\n').pop()!));
    });
  });
}
