import { spawn, spawnSync } from 'node:child_process';
import { BIN, testEnv } from './repo.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real built CLI, as a user would, in cwd. */
export function cli(cwd: string, args: string[], env: Record<string, string> = {}): CliResult {
  const res = spawnSync(process.execPath, [BIN, ...args], { cwd, env: testEnv(env), encoding: 'utf8', timeout: 60_000 });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/** The same, without blocking the test's event loop (for running many at once). */
export function cliAsync(cwd: string, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: testEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Polls until fn returns a truthy value, or fails after timeoutMs. */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
