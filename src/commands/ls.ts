import type { Command } from 'commander';
import { json, openWorkspace, type Ctx } from '../context.js';
import { listTasks } from '../ops/list.js';
import type { TaskView } from '../task/catalog.js';
import { taskTable } from '../task/format.js';
import * as msg from '../messages.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';

/** Bumped when a field of `ls --json` changes meaning or goes away; new fields do not bump it. */
export const LS_SCHEMA_VERSION = 1;

export function define(cmd: Command): void {
  cmd
    .option('--json', 'print an array of task objects, each with "schemaVersion" (see README for the schema)')
    .option('--wide', 'every column in full (absolute worktree paths, whole agent command lines), whatever the terminal width')
    .addHelpText(
      'after',
      `
The table fits the terminal (COLUMNS, else its width, else 80): long cells are
cut and the least needed columns dropped; --wide and --json have everything.
Tasks waiting for you come first, then failed ones.

examples:
  git superset ls
  git superset ls --json | jq -r '.[] | select(.status=="done") | .name'`,
    );
}

export const jsonTask = (t: TaskView) => ({ schemaVersion: LS_SCHEMA_VERSION, ...t });

export async function run(ctx: Ctx, opts: { json?: boolean; wide?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  const tasks = await listTasks(ws);
  // Any command that reads tasks brings back a watcher that died (kill -9, reboot) while tasks run or wait.
  ensureWatcherFor(ws.repo, tasks);
  if (opts.json) ctx.out(json(tasks.map(jsonTask)));
  else if (tasks.length === 0) ctx.out(`${msg.ls.empty}\n`);
  else ctx.out(taskTable(tasks, { columns: ctx.columns, wide: opts.wide, cwd: ctx.cwd, branchPrefix: ws.config.branchPrefix }));
  return 0;
}
