import type { Command } from 'commander';
import type { Ctx } from '../context.js';
import { openWorkspace } from '../context.js';
import { taskDiff, type DiffResult } from '../ops/diff.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';

export function define(cmd: Command): void {
  cmd
    .argument('<task>', 'task name')
    .argument('[git-diff-args...]', 'git diff options (--stat, --name-only, --word-diff, ...), then -- and paths')
    .option('--committed', 'only what is committed on the branch (base...branch)')
    .allowUnknownOption()
    .addHelpText(
      'after',
      `
Shows what the task committed against its base (git diff <base>...<branch>), then what is still
uncommitted in its worktree (git diff HEAD there, and untracked files by name), each part labelled.
Colour and pager as git diff would use them on a terminal.

examples:
  git superset diff fix-login --stat
  git superset diff fix-login --committed -- src/`,
    );
}

/** Pure: the text shown, each part under a label when both are shown. */
export function formatDiff(r: DiffResult): string {
  if (!r.uncommitted) return r.committed.output;
  const parts: string[] = [];
  if (r.committed.output) parts.push(`# committed on the branch (${r.committed.range})\n${r.committed.output}`);
  if (r.uncommitted.output) parts.push(`# uncommitted in ${r.uncommitted.worktree} (against HEAD)\n${r.uncommitted.output}`);
  if (r.uncommitted.untracked.length) parts.push(`# untracked in ${r.uncommitted.worktree}: ${r.uncommitted.untracked.join(', ')}\n`);
  return parts.join('');
}

export async function run(ctx: Ctx, task: string, args: string[], opts: { committed?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  ensureWatcherFor(ws.repo);
  const { gitWantsColor, page } = await import('../runner/pager.js');
  const color = ctx.isTTY && (await gitWantsColor(ws.repo.root));
  const result = await taskDiff(ws, { task, args, committed: opts.committed, color });
  const text = formatDiff(result);
  if (ctx.isTTY && text) await page(ctx.cwd, text, ctx.out);
  else ctx.out(text);
  return result.exitCode;
}
