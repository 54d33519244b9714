import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { json, openWorkspace, type Ctx } from '../context.js';
import { resolveCommit } from '../git/branches.js';
import { gitDirsOf, operationInProgress } from '../git/gitdir.js';
import { restoreWorkTree, snapshotOwner, snapshotRef, takeSnapshot } from '../git/snapshots.js';
import { readStatus } from '../git/worktrees.js';
import { requireTask } from '../task/require.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';

export function define(cmd: Command): void {
  cmd
    .argument('<task>', 'task name')
    .argument('[snapshot]', 'a snapshot commit (default: the latest, refs/superset/snapshots/<task>)')
    .option('-f, --force', 'overwrite uncommitted changes in the worktree (they are snapshotted first)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Puts a snapshot's files back into the task's worktree. HEAD, the branch and the index are not
touched: the restored work shows up as uncommitted changes, as it was when the snapshot was taken.

examples:
  git log --oneline refs/superset/snapshots/fix-login     # list the snapshots
  git superset restore fix-login                          # the latest
  git superset restore fix-login refs/superset/snapshots/fix-login~2`,
    );
}

export async function run(ctx: Ctx, name: string, snapshot: string | undefined, opts: { force?: boolean; json?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  ensureWatcherFor(ws.repo);
  const task = await requireTask(ws, name);
  if (!task.worktree) throw new UserError(`task ${name} has no worktree to restore into`);
  const rev = snapshot ?? snapshotRef(name);
  const commit = await resolveCommit(task.worktree, rev);
  if (!commit) {
    throw new UserError(snapshot ? `no such snapshot: ${snapshot}` : `task ${name} has no snapshots yet (they are taken while the watcher runs)`);
  }
  // Never another task's work: a snapshot commit says whose it is.
  const owner = await snapshotOwner(task.worktree, commit);
  if (owner !== null && owner !== name) throw new UserError(`${snapshot ?? rev} is a snapshot of task ${owner || '(unknown)'}, not of ${name}`);
  const dirs = gitDirsOf(task.worktree);
  const busy = dirs && operationInProgress(dirs.gitDir);
  if (busy) throw new UserError(`${busy} is in progress in ${task.worktree}: finish or abort it, then restore`);

  const status = await readStatus(task.worktree);
  // An unreadable status is not a clean one: without --force nothing is overwritten.
  if (!status.ok && !opts.force) throw new UserError(`could not tell whether ${task.worktree} has uncommitted changes (${status.error}); nothing restored`);
  const dirty = status.ok ? status.paths : [];
  let saved: string | null = null;
  if (dirty.length || !status.ok) {
    if (!opts.force) {
      const n = `${dirty.length} uncommitted file${dirty.length === 1 ? '' : 's'}`;
      throw new UserError(`refusing to restore over ${n} in ${task.worktree} (use --force: they are snapshotted first)`);
    }
    // --force still loses nothing: what is overwritten becomes the newest snapshot.
    const res = await takeSnapshot({ worktree: task.worktree, task: name, agent: task.agent ?? 'unknown', scratchDir: ws.repo.stateDir });
    if (res.made) saved = res.commit;
    // the watcher may have saved exactly this state already: then that snapshot is what keeps it
    else if (res.reason === 'unchanged') saved = await resolveCommit(task.worktree, snapshotRef(name));
  }
  await restoreWorkTree(task.worktree, commit);
  if (opts.json) ctx.out(json({ name, worktree: task.worktree, restored: commit, savedFirst: saved }));
  else {
    if (saved) ctx.out(`saved the overwritten changes as snapshot ${saved.slice(0, 12)}\n`);
    ctx.out(`restored ${name} from snapshot ${commit.slice(0, 12)} into ${task.worktree} (uncommitted; HEAD and ${task.branch} unchanged)\n`);
  }
  return 0;
}
