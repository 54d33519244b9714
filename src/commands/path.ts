import type { Command } from 'commander';
import { openWorkspace, type Ctx } from '../context.js';
import { taskPath } from '../ops/environment.js';

export function define(cmd: Command): void {
  cmd.argument('<task>', 'task name').addHelpText('after', '\nexample:\n  cd "$(git superset path fix-login)"');
}

export async function run(ctx: Ctx, name: string): Promise<number> {
  ctx.out(`${await taskPath(await openWorkspace(ctx), name)}\n`);
  return 0;
}
