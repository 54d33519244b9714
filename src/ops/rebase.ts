import fs from 'node:fs';
import type { Workspace } from '../context.js';
import { UserError } from '../errors.js';
import { git, gitResult } from '../git/git.js';
import { currentBranch, resolveCommit } from '../git/branches.js';
import { operationInProgress } from '../git/gitdir.js';
import { uncommittedPaths } from '../git/worktrees.js';
import { worktreeGitDir } from '../hooks/install.js';
import { requireStartedTask } from '../task/require.js';
import { LIVE_STATUSES } from '../task/state.js';
import { resolveBase } from '../task/start-task.js';
import { taskBaseRef } from './conflicts.js';
import * as msg from '../messages.js';

export interface RebaseOptions {
  task: string;
  /** Rebase while the agent runs. */
  force?: boolean;
}

export type RebaseResult =
  | { task: string; result: 'rebased'; onto: string; from: string; to: string }
  | { task: string; result: 'up-to-date'; onto: string }
  | { task: string; result: 'conflict'; onto: string; worktree: string; files: string[] };

/**
 * Rebases the task branch onto the newest base, in the task's own worktree. On conflict the
 * worktree is left mid-rebase, for the agent or the user to resolve (`git rebase --continue`).
 */
export async function rebaseTask(ws: Workspace, opts: RebaseOptions): Promise<RebaseResult> {
  const task = await requireStartedTask(ws, opts.task);
  if (LIVE_STATUSES.includes(task.status) && !opts.force) throw new UserError(msg.rebase.stillRunning(task.name));
  const wt = task.worktree;
  if (!wt || !fs.existsSync(wt)) throw new UserError(msg.rebase.noWorktree(task.name));
  const gitDir = worktreeGitDir(wt);
  const busy = gitDir ? operationInProgress(gitDir) : null;
  if (busy) throw new UserError(msg.rebase.midOperation(task.name, busy));
  if ((await currentBranch(wt)) !== task.branch) throw new UserError(msg.rebase.notCheckedOut(task.name, task.branch));
  const dirty = (await uncommittedPaths(wt)).length;
  if (dirty) throw new UserError(msg.rebase.dirty(task.name, dirty));
  const onto = await taskBaseRef(task, async () => (await resolveBase(ws.repo, ws.config.base)).ref);
  const ontoCommit = await resolveCommit(ws.repo.root, onto);
  if (!ontoCommit) throw new UserError(msg.rebase.unknownBase(onto, task.name));
  const from = (await git(['rev-parse', 'HEAD'], { cwd: wt })).trim();
  if ((await gitResult(['merge-base', '--is-ancestor', ontoCommit, from], { cwd: wt })).code === 0) return { task: task.name, result: 'up-to-date', onto };
  const res = await gitResult(['rebase', '--quiet', ontoCommit], { cwd: wt });
  if (res.code === 0) return { task: task.name, result: 'rebased', onto, from, to: (await git(['rev-parse', 'HEAD'], { cwd: wt })).trim() };
  const unmerged = await gitResult(['diff', '--name-only', '-z', '--diff-filter=U'], { cwd: wt });
  const files = unmerged.stdout.split('\0').filter(Boolean).sort();
  if (!gitDir || !operationInProgress(gitDir)) throw new UserError(msg.rebase.failed(wt, res.stderr.trim().split('\n')[0] ?? ''));
  return { task: task.name, result: 'conflict', onto, worktree: wt, files };
}
