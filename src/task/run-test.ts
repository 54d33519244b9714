import { withoutHookGitVars } from '../git/git.js';
import { runShellCommand } from '../runner/shell-command.js';

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
 * Runs the config's `test` command in dir, in its own process group: merge and compare turn an
 * interrupt into an abort, and that reaches whatever the test started.
 */
export async function runTest(command: string, dir: string, env: Record<string, string>, signal?: AbortSignal): Promise<TestRun> {
  const r = await runShellCommand({ command, cwd: dir, env: { ...withoutHookGitVars(process.env), ...env }, keep: KEEP, ownGroup: true, signal });
  if (r.error) return { passed: false, exitCode: 127, signal: null, ms: r.ms, output: String(r.error.message) };
  return { passed: r.code === 0, exitCode: r.code, signal: r.signal, ms: r.ms, output: r.output };
}
