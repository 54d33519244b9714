import type { Workspace } from '../context.js';
import { UserError, isGitError, throwIfAborted } from '../errors.js';
import { resolveCommit } from '../git/branches.js';
import { gitDirsOf, operationInProgress } from '../git/gitdir.js';
import { restoreWorkTree, snapshotOwner, snapshotRef, takeSnapshot } from '../git/snapshots.js';
import { readStatus } from '../git/worktrees.js';
import { requireStartedTask } from '../task/require.js';
import * as msg from '../messages.js';

export interface RestoreOptions {
  task: string;
  /** A snapshot commit (default: the latest, refs/superset/snapshots/<task>). */
  snapshot?: string;
  /** Overwrite uncommitted changes; they are snapshotted first, so nothing is lost. */
  force?: boolean;
  /** Checked before the work tree is touched; a restore that began is finished. */
  signal?: AbortSignal;
}

export interface RestoreResult {
  name: string;
  worktree: string;
  branch: string;
  /** The snapshot commit put back. */
  restored: string;
  /** With force over uncommitted changes: the snapshot that keeps them. */
  savedFirst: string | null;
}

/**
 * Puts a snapshot's files back into the task's worktree (HEAD, branch and index untouched). Refuses,
 * before anything changes: another task's snapshot, a git operation in progress, uncommitted changes
 * without force, and a status git could not read (never taken for a clean one).
 */
export async function restoreSnapshot(ws: Workspace, opts: RestoreOptions): Promise<RestoreResult> {
  const name = opts.task;
  const task = await requireStartedTask(ws, name);
  if (!task.worktree) throw new UserError(msg.restore.noWorktree(name));
  const rev = opts.snapshot ?? snapshotRef(name);
  const commit = await resolveCommit(task.worktree, rev);
  if (!commit) throw new UserError(opts.snapshot ? msg.restore.noSuchSnapshot(opts.snapshot) : msg.restore.noSnapshots(name));
  // Never another task's work: a snapshot commit says whose it is.
  const owner = await snapshotOwner(task.worktree, commit);
  if (owner !== null && owner !== name) throw new UserError(msg.restore.othersSnapshot(opts.snapshot ?? rev, owner, name));
  const dirs = gitDirsOf(task.worktree);
  const busy = dirs && operationInProgress(dirs.gitDir);
  if (busy) throw new UserError(msg.restore.operationInProgress(busy, task.worktree));

  const status = await readStatus(task.worktree);
  // An unreadable status is not a clean one: without --force nothing is overwritten.
  if (!status.ok && !opts.force) throw new UserError(msg.restore.statusUnknown(task.worktree, status.error));
  const dirty = status.ok ? status.paths : [];
  throwIfAborted(opts.signal);
  let saved: string | null = null;
  if (dirty.length || !status.ok) {
    if (!opts.force) throw new UserError(msg.restore.dirty(dirty.length, task.worktree));
    // --force still loses nothing: what is overwritten becomes the newest snapshot.
    const req = { worktree: task.worktree, task: name, agent: task.agent ?? 'unknown', scratchDir: ws.repo.stateDir };
    // The watcher may write a snapshot of the same changes at this very moment: our compare-and-swap
    // then fails, and a second look finds its snapshot (unchanged) or makes the next one.
    const res = await takeSnapshot(req).catch((e: unknown) => {
      if (isGitError(e) && /cannot lock ref|but expected/.test(e.message)) return takeSnapshot(req);
      throw e;
    });
    if (res.made) saved = res.commit;
    // the watcher may have saved exactly this state already: then that snapshot is what keeps it
    else if (res.reason === 'unchanged') saved = await resolveCommit(task.worktree, snapshotRef(name));
  }
  await restoreWorkTree(task.worktree, commit);
  return { name, worktree: task.worktree, branch: task.branch, restored: commit, savedFirst: saved };
}
