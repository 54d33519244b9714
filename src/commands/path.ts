import type { Command } from 'commander';
import { openWorkspace, type Ctx } from '../context.js';
import { taskPath } from '../ops/environment.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';

export function define(cmd: Command): void {
  cmd.argument('<task>', 'task name').addHelpText('after', '\nexample:\n  cd "$(git superset path fix-login)"');
}

export async function run(ctx: Ctx, name: string): Promise<number> {
  const ws = await openWorkspace(ctx);
  ensureWatcherFor(ws.repo);
  ctx.out(`${await taskPath(ws, name)}\n`);
  return 0;
}
