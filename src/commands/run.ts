import type { Command } from 'commander';
import { json, openWorkspace, type Ctx } from '../context.js';
import { runDevServer } from '../ops/environment.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';

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
  else if (res.alreadyRunning) ctx.out(`${name}'s dev server already runs (pid ${res.record.pid}); --restart to restart it\n`);
  else ctx.out(`started ${name}'s dev server${res.record.tmuxWindow ? ' in its tmux window "run"' : ''} (pid ${res.record.pid}); output: git superset logs ${name} --run\n`);
  return 0;
}
