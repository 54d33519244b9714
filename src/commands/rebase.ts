import type { Command } from 'commander';
import { json, openWorkspace, type Ctx } from '../context.js';
import { rebaseTask } from '../ops/rebase.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';

export function define(cmd: Command): void {
  cmd
    .argument('<task>', 'task name')
    .option('-f, --force', 'rebase even while the agent runs')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nRebases the task branch onto the newest base inside its worktree. On conflict the worktree\nis left mid-rebase for the agent or you (git rebase --continue / --abort there); exit 1.\n\nexample:\n  git superset rebase fix-login');
}

export async function run(ctx: Ctx, name: string, opts: { force?: boolean; json?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  ensureWatcherFor(ws.repo);
  const r = await rebaseTask(ws, { task: name, force: opts.force });
  if (opts.json) ctx.out(json(r));
  else if (r.result === 'up-to-date') ctx.out(`${name} is already on top of ${r.onto}\n`);
  else if (r.result === 'rebased') ctx.out(`rebased ${name} onto ${r.onto} (${r.from.slice(0, 12)} -> ${r.to.slice(0, 12)})\n`);
  else {
    ctx.err(
      `${name}: rebase onto ${r.onto} stopped on a conflict in ${r.files.join(', ') || '(see git status)'}\n` +
        `  the worktree ${r.worktree} is left mid-rebase: resolve, then git rebase --continue (or --abort)\n` +
        `  or: git superset send ${name} "resolve the rebase conflict in ${r.files[0] ?? 'the conflicting files'} and continue the rebase"\n`,
    );
  }
  return r.result === 'conflict' ? 1 : 0;
}
