import * as msg from './messages.js';

/**
 * The kinds of failure the CLI expects. `cli.ts` turns them into exit codes in one place
 * (exitCodeFor): a UserError is one line and exit 2, a GitError is git's own message and exit 1,
 * a TmuxError / LockTimeout one line and exit 1, Interrupted one line and exit 130, BatchFailed one
 * line per failed task and exit 1; anything else is a bug (stack trace only with --debug).
 * Pure: no I/O here (messages.ts is pure too).
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

export class GitError extends Error {
  override readonly name = 'GitError';
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    super(stderr.trim() || `git ${args.join(' ')} exited with ${exitCode}`);
  }
}

/** A tmux call failed (no server could be made, no such session...): tmux's own first line of stderr. */
export class TmuxError extends Error {
  override readonly name = 'TmuxError';
  constructor(
    /** What we asked of tmux: `new-session`, `new-window`... */
    readonly command: string,
    readonly code: number,
    readonly stderr: string,
  ) {
    super(msg.errors.tmux(command, firstLine(stderr) || `exit ${code}`));
  }
}

/** Another live process held a lock for the whole wait: busy, not broken. */
export class LockTimeout extends UserError {
  override readonly name = 'LockTimeout';
  constructor(
    readonly lockPath: string,
    /** The pid the lock file names, if it could be read. */
    readonly holder = '',
  ) {
    super(msg.errors.lockTimeout(lockPath, holder), 1);
  }
}

/** Ctrl-C (or an AbortSignal) ended the work; what was finished stays finished. */
export class Interrupted extends UserError {
  override readonly name = 'Interrupted';
  constructor() {
    super(msg.errors.interrupted, 130);
  }
}

/** Throws Interrupted once the signal has fired: ops call it between steps, never halfway through one. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Interrupted();
}

/** Some tasks of a batch failed (the others were done and reported): one line per failure. */
export class BatchFailed extends Error {
  override readonly name = 'BatchFailed';
  constructor(readonly failures: readonly { name: string; error: unknown }[]) {
    super(failures.map((f) => `${f.name}: ${messageOf(f.error)}`).join('\n'));
  }

  /** Each failure as the line the user sees (its prefix included). */
  lines(): string[] {
    return this.failures.map((f) => `${f.name}: ${messageOf(f.error)}`);
  }
}

const firstLine = (text: string): string => text.trim().split('\n')[0]?.trim() ?? '';

/** A failure's text on one line: git's stderr, our message; never a stack. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return firstLine(e.message) || e.name;
  return String(e);
}

export const isUserError = (e: unknown): e is UserError => e instanceof UserError;
export const isGitError = (e: unknown): e is GitError => e instanceof GitError;

/** Whether this failure is one we expect (reported in a line), not a bug. */
export const isExpected = (e: unknown): boolean => e instanceof UserError || e instanceof GitError || e instanceof TmuxError || e instanceof BatchFailed;

/** The line(s) a user sees for an expected failure (the CLI's stderr, an MCP tool error). */
export function errorLine(e: unknown): string {
  if (isGitError(e)) return e.message;
  if (e instanceof BatchFailed) return e.lines().map((l) => `${msg.PREFIX} ${l}`).join('\n');
  return `${msg.PREFIX} ${(e as Error).message ?? String(e)}`;
}
