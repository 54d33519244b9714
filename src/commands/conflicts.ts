import type { Command } from 'commander';
import { json, openWorkspace, type Ctx } from '../context.js';
import { findConflicts, type ConflictPair } from '../ops/conflicts.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';

export function define(cmd: Command): void {
  cmd
    .argument('[tasks...]', 'only pairs involving these tasks (default: every unmerged task)')
    .option('--json', 'print { conflicts: [{ a, b, withBase, files }], tasks, merges } as JSON')
    .addHelpText(
      'after',
      `
Predicts which task branches will conflict with each other and with their base, without touching
any worktree, index or ref (git merge-tree). Only pairs that change a common path are merged.
Exit status: 0 when nothing conflicts, 1 when something does.

example:
  git superset conflicts && git superset merge --ready`,
    );
}

export function conflictLine(c: ConflictPair): string {
  return `${c.a} x ${c.b}: conflict in ${c.files.join(', ') || '(no file named by git)'}\n`;
}

export async function run(ctx: Ctx, names: string[], opts: { json?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  ensureWatcherFor(ws.repo);
  const result = await findConflicts(ws, { tasks: names });
  if (opts.json) ctx.out(json(result));
  else for (const c of result.conflicts) ctx.out(conflictLine(c));
  return result.conflicts.length ? 1 : 0;
}
