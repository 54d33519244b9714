import { spawn } from 'node:child_process';

/**
 * Runs one shell command line from the user's config (setup, teardown, the merge test gate) with
 * /bin/sh in a directory. It is the user's own command line, like an npm script, so a shell is
 * right; task names and prompts reach it only through the environment. Keeps the tail of its
 * combined output; an abort ends it (and, in its own process group, whatever it started).
 */

export interface ShellCommand {
  command: string;
  cwd: string;
  /** The whole environment it gets. */
  env: NodeJS.ProcessEnv;
  /** Characters of combined stdout + stderr to keep (the tail). */
  keep: number;
  /**
   * Lead its own process group, so an abort reaches everything it started. Off where a Ctrl-C at
   * the terminal must reach it directly, because the caller turns no interrupt into an abort.
   */
  ownGroup: boolean;
  /** Every chunk of output as it comes (a log file). */
  onOutput?: (chunk: Buffer) => void;
  signal?: AbortSignal;
}

export interface ShellResult {
  /** null: ended by a signal, or never started (`error`). */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The last `keep` characters of its output. */
  output: string;
  ms: number;
  /** It could not be started. */
  error?: Error;
}

export function runShellCommand(run: ShellCommand): Promise<ShellResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    let output = '';
    const child = spawn('/bin/sh', ['-c', run.command], { cwd: run.cwd, env: run.env, stdio: ['ignore', 'pipe', 'pipe'], detached: run.ownGroup });
    const take = (b: Buffer) => {
      run.onOutput?.(b);
      output += b.toString('utf8');
      if (output.length > 2 * run.keep) output = output.slice(-run.keep);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const onAbort = () => {
      try {
        if (run.ownGroup && child.pid) process.kill(-child.pid, 'SIGTERM');
        else child.kill('SIGTERM');
      } catch {
        /* gone */
      }
    };
    if (run.signal?.aborted) onAbort();
    else run.signal?.addEventListener('abort', onAbort, { once: true });
    let done = false;
    const finish = (r: Omit<ShellResult, 'ms' | 'output'>) => {
      if (done) return;
      done = true;
      run.signal?.removeEventListener('abort', onAbort);
      resolve({ ...r, output: output.slice(-run.keep), ms: Date.now() - started });
    };
    child.on('error', (error) => finish({ code: null, signal: null, error }));
    child.on('close', (code, signal) => finish({ code, signal }));
    // Aborted outside a group of its own, what it left running may hold its output open: done when sh is.
    child.on('exit', (code, signal) => {
      if (!run.ownGroup && run.signal?.aborted) finish({ code, signal });
    });
  });
}
