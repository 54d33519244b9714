import type { Command } from 'commander';
import { json, openWorkspace, type Ctx } from '../context.js';
import { initRepo } from '../task/init.js';
import * as msg from '../messages.js';

export function define(cmd: Command): void {
  cmd.option('--json', 'print the result as JSON').addHelpText('after', '\nexample:\n  git superset init');
}

export async function run(ctx: Ctx, opts: { json?: boolean }): Promise<number> {
  const { repo } = await openWorkspace(ctx);
  const created = await initRepo(repo);
  if (opts.json) ctx.out(json({ stateDir: repo.stateDir, created }));
  else ctx.out(`${msg.init.done(repo.stateDir, created)}\n`);
  return 0;
}
