import fs from 'node:fs';
import type { Repo } from '../git/repo.js';
import { branchExists, deleteBranch } from '../git/branches.js';
import { archiveSnapshots } from '../git/snapshots.js';
import { discardWorktree } from '../git/worktrees.js';
import { uninstallWorktreeHooks } from '../hooks/install.js';
import { killSession } from '../runner/tmux.js';
import { recordOnTip } from './events.js';
import type { RemovalPlan } from './removal-facts.js';
import type { Verdict } from './removal.js';
import { stopAgent } from './stop-agent.js';
import type { TaskStore } from './store.js';

export interface Removed {
  name: string;
  /** The worktree removed, or null when start's worktree was already gone. */
  worktree: string | null;
  branch: string;
  /** False for an adopted branch (--branch) and for one checked out where rm does not remove. */
  branchDeleted: boolean;
  /** Why the task's own branch was kept anyway (checked out in a worktree start did not make). */
  branchKept: string | null;
  /** Where the task's snapshots were moved (refs/superset/removed/<task>/<time>), or null. */
  snapshots: string | null;
  /** The `removed` event could not be written to the notes (the task is removed regardless). */
  recordError?: string;
}

/**
 * Removes one task that was judged (or forced): ends what runs in it, then removes only what
 * start made — its worktree at start's path, its own branch — and moves its snapshots aside.
 * A worktree made by hand on the branch is left, and so is the branch checked out there.
 */
export async function removeTask(repo: Repo, store: TaskStore, plan: RemovalPlan, verdict: Verdict, opts: { stopTimeoutMs: number; via?: string }): Promise<Removed> {
  const { task, facts } = plan;
  // The record's agent, any live session of the task, and processes that say they are the task's:
  // a task whose record was lost must not run on in a deleted directory.
  await Promise.all([
    // a finished task's pid may belong to someone else by now: only a live record's is signalled
    stopAgent(facts.recordLive ? task.pid : null, task.tmuxSession, opts.stopTimeoutMs),
    ...plan.taskProcesses.map((p) => stopAgent(p.pid, null, opts.stopTimeoutMs)),
  ]);
  if (facts.liveSession) killSession(facts.liveSession);

  const wt = facts.worktree;
  if (wt) {
    if (wt.present) await uninstallWorktreeHooks(repo, wt.path).catch(() => {});
    // judged (or forced) already: also a locked one, one whose directory is gone, one git refuses
    await discardWorktree(repo.root, repo.commonDir, wt.path);
  }
  // before the branch goes: a new task of this name must not find them
  const snapshots = await archiveSnapshots(repo.root, task.name);
  const deleteIt = facts.deletesBranch && !verdict.keepBranch;
  // on the tip, before the branch goes: the notes keep the history after it
  let recordError: string | undefined;
  await recordOnTip(repo, task.branch, { task: task.name, event: 'removed', branchDeleted: deleteIt, ...(opts.via ? { via: opts.via } : {}) }).catch((e: unknown) => (recordError = (e as Error).message));
  if (deleteIt && (await branchExists(repo.root, task.branch))) await deleteBranch(repo.root, task.branch);
  store.remove(task.name);
  return {
    name: task.name,
    worktree: wt?.path ?? null,
    branch: task.branch,
    branchDeleted: deleteIt,
    branchKept: facts.deletesBranch ? verdict.keepBranch : null,
    snapshots,
    ...(recordError ? { recordError } : {}),
  };
}

/** The worktrees directory goes with its last worktree: only when empty, only the one we use. */
export function removeIfEmpty(dir: string): void {
  try {
    if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  } catch {
    /* not there, or not empty any more */
  }
}
