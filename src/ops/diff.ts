import fs from 'node:fs';
import type { Workspace } from '../context.js';
import { gitResult } from '../git/git.js';
import { GitError } from '../errors.js';
import { requireStartedTask } from '../task/require.js';
import { resolveBase } from '../task/start-task.js';
import { taskBaseRef } from './conflicts.js';

export interface DiffOptions {
  task: string;
  /** git diff options, then optionally `--` and paths; passed to git as they are. */
  args: readonly string[];
  /** Only what is committed on the branch (`base...branch`). */
  committed?: boolean;
  /** Ask git for colour (the caller knows whether it writes to a terminal). */
  color?: boolean;
}

export interface DiffPart {
  /** What git compared: `main...superset/x`, or `HEAD` + the work tree. */
  range: string;
  output: string;
}

export interface DiffResult {
  task: string;
  committed: DiffPart;
  /** null with `committed`, or when the task has no worktree. */
  uncommitted: (DiffPart & { worktree: string; untracked: string[] }) | null;
  /** Like git diff's: 1 when `--exit-code`/`--quiet` found differences. */
  exitCode: number;
}

/** Pure: the options before `--`, and the paths after it. */
export function splitDiffArgs(args: readonly string[]): { options: string[]; paths: string[] } {
  const at = args.indexOf('--');
  return at < 0 ? { options: [...args], paths: [] } : { options: args.slice(0, at), paths: args.slice(at + 1) };
}

async function gitDiff(cwd: string, args: string[]): Promise<{ output: string; code: number }> {
  const res = await gitResult(args, { cwd });
  if (res.code !== 0 && res.code !== 1) throw new GitError(args, res.code, res.stderr);
  return { output: res.stdout, code: res.code };
}

/**
 * What a task changed: the branch against its merge base with the base (`base...branch`), and what
 * is still uncommitted in its worktree (staged and unstaged against HEAD; untracked files named).
 */
export async function taskDiff(ws: Workspace, opts: DiffOptions): Promise<DiffResult> {
  const task = await requireStartedTask(ws, opts.task);
  const base = await taskBaseRef(task, async () => (await resolveBase(ws.repo, ws.config.base)).ref);
  const { options, paths } = splitDiffArgs(opts.args);
  const userColor = options.some((o) => /^--(no-)?colou?r(=|$)/.test(o));
  const color = opts.color && !userColor ? ['--color=always'] : [];
  const range = `${base}...${task.branch}`;
  const committed = await gitDiff(ws.repo.root, ['diff', ...color, ...options, range, '--', ...paths]);
  let uncommitted: DiffResult['uncommitted'] = null;
  let exitCode = committed.code;
  if (!opts.committed && task.worktree && fs.existsSync(task.worktree)) {
    const wt = await gitDiff(task.worktree, ['diff', ...color, ...options, 'HEAD', '--', ...paths]);
    const others = await gitResult(['ls-files', '--others', '--exclude-standard', '-z', '--', ...paths], { cwd: task.worktree });
    const untracked = others.code === 0 ? others.stdout.split('\0').filter(Boolean) : [];
    uncommitted = { range: 'HEAD', output: wt.output, worktree: task.worktree, untracked };
    exitCode = Math.max(exitCode, wt.code, untracked.length && options.some((o) => o === '--exit-code' || o === '--quiet') ? 1 : 0);
  }
  return { task: task.name, committed: { range, output: committed.output }, uncommitted, exitCode };
}
