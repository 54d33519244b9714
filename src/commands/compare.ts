import type { Command } from 'commander';
import { interruptible, json, openWorkspace, type Ctx } from '../context.js';
import { compareVariants, type VariantRow } from '../ops/compare.js';
import { clip } from '../task/format.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';

export function define(cmd: Command): void {
  cmd
    .argument('<task>', 'the group name given to start <task> --agents a,b,c')
    .option('--no-test', 'do not run the config `test` in the variants')
    .option('--json', 'print one object per variant')
    .addHelpText(
      'after',
      `
One row per variant of a best-of-N group: status, commits, files and lines changed against the
base, and, when config "test" is set, its result in each variant's worktree (run in parallel,
at most one per core). Then merge the winner and rm the rest.

example:
  git superset start parser --agents claude,codex --prompt "Rewrite the parser"
  git superset compare parser`,
    );
}

/** Pure: the table. */
export function compareTable(rows: readonly VariantRow[]): string {
  const header = ['VARIANT', 'AGENT', 'STATUS', 'COMMITS', 'FILES', 'LINES', 'TEST'];
  const body = rows.map((r) => [
    r.task,
    clip(r.agent ?? '-'),
    r.status,
    String(r.commits),
    String(r.files),
    `+${r.insertions} -${r.deletions}`,
    r.test ? `${r.test.passed ? 'pass' : `fail (${r.test.exitCode ?? 'signal'})`} ${r.test.seconds.toFixed(1)}s` : '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  return [header, ...body].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}

export async function run(ctx: Ctx, task: string, opts: { test?: boolean; json?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  ensureWatcherFor(ws.repo);
  const rows = await interruptible(ctx, (signal) => compareVariants(ws, { task, test: opts.test, signal }));
  ctx.out(opts.json ? json(rows) : compareTable(rows));
  return 0;
}
