import type { Command } from 'commander';
import { json, openWorkspace, type Ctx } from '../context.js';
import { rebaseTask } from '../ops/rebase.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';
import * as msg from '../messages.js';

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
  else if (r.result === 'up-to-date') ctx.out(`${msg.rebase.upToDate(name, r.onto)}\n`);
  else if (r.result === 'rebased') ctx.out(`${msg.rebase.rebased(name, r.onto, r.from, r.to)}\n`);
  else ctx.err(`${msg.rebase.conflict(name, r.onto, r.files, r.worktree)}\n`);
  return r.result === 'conflict' ? 1 : 0;
}
