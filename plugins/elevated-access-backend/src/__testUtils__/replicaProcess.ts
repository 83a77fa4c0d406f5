import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** When a replica of the chaos scenario came and went, and its stderr. */
export interface ChaosReplica {
  name: string;
  instanceId: string;
  /** epoch ms */
  spawnedAt: number;
  readyAt?: number;
  exitedAt?: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last 64 KB of its stderr (the plugin's warnings). */
  stderr: string;
}

/** A replica process (replicaWorker.ts) and what it said. */
export class ReplicaProcess {
  readonly info: ChaosReplica;
  readonly ready: Promise<void>;
  readonly exited: Promise<void>;
  private readonly child: ChildProcess;

  constructor(name: string, instanceId: string, env: Record<string, string>) {
    this.child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        path.join(__dirname, 'replicaWorker.ts'),
      ],
      {
        env: { ...process.env, ...env, REPLICA_ID: instanceId },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.info = {
      name,
      instanceId,
      spawnedAt: Date.now(),
      code: null,
      signal: null,
      stderr: '',
    };
    this.child.stderr!.on('data', chunk => {
      this.info.stderr = (this.info.stderr + chunk).slice(-65_536);
    });
    this.exited = new Promise(resolve => {
      this.child.once('exit', (code, signal) => {
        Object.assign(this.info, { code, signal, exitedAt: Date.now() });
        resolve();
      });
    });
    const lines = readline.createInterface({ input: this.child.stdout! });
    this.ready = new Promise((resolve, reject) => {
      lines.on('line', line => {
        let message: { event?: string } = {};
        try {
          message = JSON.parse(line);
        } catch {
          // not ours
        }
        if (message.event === 'ready') {
          this.info.readyAt = Date.now();
          resolve();
        }
      });
      this.exited.then(() =>
        reject(
          new Error(
            `replica ${name} exited before it was ready (code ${this.info.code}, signal ${this.info.signal}):\n${this.info.stderr}`,
          ),
        ),
      );
    });
    this.ready.catch(() => {});
  }

  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals) {
    if (this.running) this.child.kill(signal);
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 30_000) {
    if (!this.running) return;
    this.kill('SIGTERM');
    const done = await Promise.race([
      this.exited.then(() => true),
      sleep(graceMs).then(() => false),
    ]);
    if (!done) {
      this.kill('SIGKILL');
      await this.exited;
    }
  }
}
