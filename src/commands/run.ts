import type { Command } from 'commander';
import { json, openWorkspace, type Ctx } from '../context.js';
import { runDevServer } from '../ops/environment.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';
import * as msg from '../messages.js';

export function define(cmd: Command): void {
  cmd
    .argument('<task>', 'task name')
    .option('--restart', 'stop the running dev server first')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nRuns config "run" (e.g. "npm run dev -- --port $PORT") in the task\'s worktree with its ports and env:\na window of its tmux session, or detached with a log. stop, rm and merge stop it.\n\nexample:\n  git superset run fix-login && git superset logs fix-login --run');
}

export async function run(ctx: Ctx, name: string, opts: { restart?: boolean; json?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  ensureWatcherFor(ws.repo);
  const res = await runDevServer(ws, name, { restart: opts.restart });
  if (opts.json) ctx.out(json(res));
  else if (res.alreadyRunning) ctx.out(`${msg.env.alreadyRunning(name, res.record.pid)}\n`);
  else ctx.out(`${msg.env.devServerStarted(name, Boolean(res.record.tmuxWindow), res.record.pid)}\n`);
  return 0;
}
