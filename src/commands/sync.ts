import type { Command } from 'commander';
import { interruptible, json, openWorkspace, type Ctx } from '../context.js';
import { syncRecord } from '../ops/sync.js';
import { NOTES_REF } from '../git/note-line.js';
import * as msg from '../messages.js';

export function define(cmd: Command): void {
  cmd
    .argument('[remote]', 'remote to sync with', 'origin')
    .option('--branches', 'also push the task branches (never forced)')
    .option('--json', 'print what was done as JSON')
    .addHelpText(
      'after',
      `
Fetches the remote's refs/notes/superset into refs/notes/remotes/<remote>/superset, merges it
into yours with 'git notes merge -s cat_sort_uniq' (lines are events: nothing is lost), and pushes
the result. It never force-pushes: when someone pushed in between, it fetches and merges again.

The same with plain git:
  git fetch origin +refs/notes/superset:refs/notes/remotes/origin/superset
  git notes --ref=superset merge -s cat_sort_uniq refs/notes/remotes/origin/superset
  git push origin refs/notes/superset
  git push origin 'refs/superset/tasks/*:refs/superset/tasks/*'   (the task anchors: prompts)

examples:
  git superset sync
  git superset sync upstream --branches`,
    );
}

export async function run(ctx: Ctx, remote: string, opts: { branches?: boolean; json?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  const result = await interruptible(ctx, (signal) => syncRecord(ws, { remote, branches: opts.branches, signal }));
  if (opts.json) ctx.out(json(result));
  else {
    ctx.out(`${msg.sync.summary(remote, result.merged, result.pushed ? NOTES_REF : null)}\n`);
    if (result.branches) {
      ctx.out(`${msg.sync.branchesPushed(result.branches.pushed.length)}\n`);
      if (result.branches.rejected.length) ctx.err(msg.line(msg.sync.branchesRejected(result.branches.rejected)));
    }
  }
  return result.branches?.rejected.length ? 1 : 0;
}
