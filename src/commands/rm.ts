import type { Command } from 'commander';
import { json, openWorkspace, type Ctx } from '../context.js';
import { BatchFailed } from '../errors.js';
import { removeTasks } from '../ops/remove.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';
import * as msg from '../messages.js';

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
  const { removed, refused, teardownFailed, failed } = await removeTasks(ws, { names, force: opts.force });
  // After the op: the tasks it ended need no watcher, the others may.
  ensureWatcherFor(ws.repo);
  for (const v of refused) ctx.err(msg.line(v.message));
  for (const t of teardownFailed) ctx.err(msg.line(msg.rm.teardownFailed(t.name, t.message, t.forced)));
  const recordError = removed.find((r) => r.recordError)?.recordError;
  if (recordError) ctx.err(msg.line(msg.rm.notRecorded(recordError.split('\n')[0]!)));
  if (opts.json) {
    ctx.out(json({ removed: removed.map(({ recordError: _e, ...r }) => r), refused: refused.map(({ message: _m, ...v }) => v), ...(failed.length ? { failed } : {}) }));
  } else {
    for (const r of removed) {
      ctx.out(`${msg.rm.removed(r.name, r.branch, r.branchDeleted, r.branchKept, r.snapshots)}\n`);
    }
  }
  if (failed.length) throw new BatchFailed(failed.map((f) => ({ name: f.name, error: f.message })));
  return refused.length || teardownFailed.some((t) => !t.forced) ? 2 : 0;
}
