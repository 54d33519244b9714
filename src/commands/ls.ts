import type { Command } from 'commander';
import { json, openWorkspace, type Ctx } from '../context.js';
import { listTasks } from '../ops/list.js';
import { taskTable } from '../task/format.js';

export function define(cmd: Command): void {
  cmd
    .option('--json', 'print an array of task objects (see README for the schema)')
    .addHelpText('after', '\nTasks waiting for you come first, then failed ones.\n\nexample:\n  git superset ls --json | jq -r \'.[] | select(.status=="done") | .name\'');
}

export async function run(ctx: Ctx, opts: { json?: boolean }): Promise<number> {
  const tasks = await listTasks(await openWorkspace(ctx));
  if (opts.json) ctx.out(json(tasks));
  else if (tasks.length === 0) ctx.out("no tasks yet: start one with 'git superset start <task> --agent <agent> --prompt <prompt>'\n");
  else ctx.out(taskTable(tasks));
  return 0;
}
