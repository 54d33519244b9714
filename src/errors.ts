/**
 * The few kinds of failure the CLI knows. `cli.ts` turns them into exit codes in one place:
 * a UserError is one line and exit 2, a GitError is git's own message and exit 1,
 * anything else is a bug (stack trace only with --debug).
 */
export class UserError extends Error {
  override readonly name = 'UserError';
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

export const isUserError = (e: unknown): e is UserError => e instanceof UserError;
export const isGitError = (e: unknown): e is GitError => e instanceof GitError;

/** The one line a user sees for an expected failure (the CLI's stderr, an MCP tool error). */
export function errorLine(e: unknown): string {
  if (isGitError(e)) return e.message;
  return `git superset: ${(e as Error).message ?? String(e)}`;
}
