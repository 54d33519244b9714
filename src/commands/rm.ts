import type { Command } from 'commander';
import { json, openWorkspace, type Ctx } from '../context.js';
import { removeTasks } from '../ops/remove.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';

export function define(cmd: Command): void {
  cmd
    .argument('<tasks...>', 'task names')
    .option('-f, --force', 'also remove running tasks, uncommitted changes and commits no other branch has')
    .option('--json', 'print the result as JSON: {"removed": [...], "refused": [{"name", "reasons", ...}]}')
    .addHelpText(
      'after',
      `
Without --force, rm refuses when it would lose work or cannot tell, and says why, for every task
named (nothing is removed then): something still running in the task (stop it first), uncommitted
files, commits that no other branch, tag or the task's base commit has (on the branch or on the
worktree's HEAD), a git call that failed. Only what start made is removed: a worktree you made on
the task branch is left, and the branch with it. Snapshots move to refs/superset/removed/<task>/<time>.

examples:
  git superset rm fix-login
  git superset rm lint docs --force`,
    );
}

export async function run(ctx: Ctx, names: string[], opts: { force?: boolean; json?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  const { removed, refused, teardownFailed } = await removeTasks(ws, { names, force: opts.force });
  // After the op: the tasks it ended need no watcher, the others may.
  ensureWatcherFor(ws.repo);
  for (const v of refused) ctx.err(`git superset: ${v.message}\n`);
  for (const t of teardownFailed) ctx.err(`git superset: ${t.name}: ${t.message}${t.forced ? '\n(removed anyway: --force)' : '\n(kept: fix the teardown, or rm --force)'}\n`);
  const recordError = removed.find((r) => r.recordError)?.recordError;
  if (recordError) ctx.err(`git superset: could not record the removal: ${recordError.split('\n')[0]}\n`);
  if (opts.json) {
    ctx.out(json({ removed: removed.map(({ recordError: _e, ...r }) => r), refused: refused.map(({ message: _m, ...v }) => v) }));
  } else {
    for (const r of removed) {
      const branch = `branch ${r.branch} ${r.branchDeleted ? 'deleted' : r.branchKept ? `kept: ${r.branchKept}` : 'kept'}`;
      ctx.out(`removed ${r.name} (${branch})${r.snapshots ? `; its snapshots are kept at ${r.snapshots}` : ''}\n`);
    }
  }
  return refused.length || teardownFailed.some((t) => !t.forced) ? 2 : 0;
}
