import { spawn } from 'node:child_process';
import { withoutHookGitVars } from '../git/git.js';

export interface TestRun {
  passed: boolean;
  exitCode: number | null;
  signal: string | null;
  ms: number;
  /** Combined stdout and stderr (the last 256 KB). */
  output: string;
}

const KEEP = 256 * 1024;

/**
 * Runs the config's `test` command in dir. It is the user's own shell command line (like an npm
 * script), so sh runs it; the task's name reaches it only through the environment.
 */
export function runTest(command: string, dir: string, env: Record<string, string>, signal?: AbortSignal): Promise<TestRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    let output = '';
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: dir,
      env: { ...withoutHookGitVars(process.env), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const add = (b: Buffer) => {
      output += b.toString('utf8');
      if (output.length > 2 * KEEP) output = output.slice(-KEEP);
    };
    child.stdout.on('data', add);
    child.stderr.on('data', add);
    // The test leads its own process group, so an interrupt reaches whatever it started.
    const onAbort = () => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* gone */
      }
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      signal?.removeEventListener('abort', onAbort);
      resolve({ passed: false, exitCode: 127, signal: null, ms: Date.now() - started, output: String(e.message) });
    });
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', onAbort);
      resolve({ passed: code === 0, exitCode: code, signal: sig, ms: Date.now() - started, output: output.slice(-KEEP) });
    });
  });
}
