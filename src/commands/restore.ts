import type { Command } from 'commander';
import { interruptible, json, openWorkspace, type Ctx } from '../context.js';
import { restoreSnapshot } from '../ops/restore.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';
import * as msg from '../messages.js';

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
  const r = await interruptible(ctx, (signal) => restoreSnapshot(ws, { task: name, snapshot, force: opts.force, signal }));
  if (opts.json) ctx.out(json({ name: r.name, worktree: r.worktree, restored: r.restored, savedFirst: r.savedFirst }));
  else {
    if (r.savedFirst) ctx.out(`${msg.restore.savedFirst(r.savedFirst)}\n`);
    ctx.out(`${msg.restore.restored(r)}\n`);
  }
  return 0;
}
