/*
 * The check's steps: each named, timed and logged to a file of its own under
 * `logs` (its last lines printed when it fails), with the commands and
 * long-running processes it starts (stopped, with their children, by
 * stopAll).
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** A definite failure: the check stops (waiting for readiness too). */
class StepError extends Error {}

const secondsSince = t => Math.round((Date.now() - t) / 1000);

/**
 * The step runner; `defaults` are the working folder and environment of
 * the commands that name none.
 */
function createSteps(logs, defaults) {
  const steps = [];
  const children = [];
  let stepNo = 0;

  function logFile(name) {
    stepNo += 1;
    const slug = name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60);
    return path.join(logs, `${String(stepNo).padStart(2, '0')}-${slug}.log`);
  }

  /** Runs one named step; prints it with its seconds; records it. */
  async function step(name, fn) {
    const t = Date.now();
    const log = logFile(name);
    process.stdout.write(`==> ${name}\n`);
    try {
      const detail = await fn(log);
      const seconds = secondsSince(t);
      steps.push({ name, seconds, ok: true });
      process.stdout.write(
        `    ok, ${seconds} s${detail ? ` (${detail})` : ''}\n`,
      );
    } catch (e) {
      const seconds = secondsSince(t);
      steps.push({ name, seconds, ok: false, error: e.message });
      process.stdout.write(`    FAILED after ${seconds} s: ${e.message}\n`);
      if (fs.existsSync(log)) {
        const tail = fs
          .readFileSync(log, 'utf8')
          .split('\n')
          .filter(l => !l.includes('/.backstage/health/'))
          .slice(-40);
        process.stdout.write(
          `    --- last lines of ${log}\n${tail.join('\n')}\n`,
        );
      }
      throw new StepError(e.message);
    }
  }

  /** Runs a command to completion, output to the step's log. */
  function run(
    cmd,
    cmdArgs,
    { cwd = defaults.cwd, env = defaults.env, log, input } = {},
  ) {
    fs.appendFileSync(log, `$ ${[cmd, ...cmdArgs].join(' ')}  (in ${cwd})\n`);
    const out = fs.openSync(log, 'a');
    const r = spawnSync(cmd, cmdArgs, {
      cwd,
      env,
      input,
      stdio: [input === undefined ? 'ignore' : 'pipe', out, out],
      maxBuffer: 1 << 30,
    });
    fs.closeSync(out);
    if (r.status !== 0) {
      throw new Error(
        `${cmd} ${cmdArgs.join(' ')} exited with ${r.status ?? r.signal}`,
      );
    }
  }

  /** Starts a long-running process; stopped (with its children) at the end. */
  function start(cmd, cmdArgs, { cwd, env, log }) {
    const out = fs.openSync(log, 'a');
    const child = spawn(cmd, cmdArgs, {
      cwd,
      env,
      stdio: ['ignore', out, out],
      detached: true, // own process group, so the whole tree can be stopped
    });
    fs.closeSync(out);
    children.push(child);
    return child;
  }

  async function waitFor(what, seconds, probe, child) {
    const limit = Date.now() + seconds * 1000;
    for (;;) {
      if (child && child.exitCode !== null) {
        throw new Error(`${what}: the process exited (${child.exitCode})`);
      }
      try {
        if (await probe()) return;
      } catch (e) {
        if (e instanceof StepError) throw e; // a definite failure: stop waiting
      }
      if (Date.now() > limit) {
        throw new Error(`${what}: not ready after ${seconds} s`);
      }
      await new Promise(r => setTimeout(r, 500));
    }
  }

  function stopAll() {
    for (const child of children) {
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    }
  }

  return { steps, step, run, start, waitFor, stopAll };
}

module.exports = { StepError, createSteps, secondsSince };
