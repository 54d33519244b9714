import fs from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { openWorkspace, type Ctx } from '../context.js';
import { requireTask } from '../task/require.js';
import { TaskStore, isAlive } from '../task/store.js';
import { capturePane, hasSession } from '../runner/tmux.js';
import { runLogFile } from '../env/dev-server.js';
import * as msg from '../messages.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';
import { readFrom } from '../util/read-from.js';

export function define(cmd: Command): void {
  cmd
    .argument('<task>', 'task name')
    .option('-f, --follow', 'keep printing new output until the agent exits (Ctrl-C to stop)')
    .option('--raw', 'for tmux tasks: print the raw terminal log instead of the rendered screen')
    .option('--run', "the dev server's output (git superset run) instead of the agent's")
    .addHelpText(
      'after',
      `
Each launch of the task (start, and each relaunch) begins with a line
"── launch N · <time> · <agent> ──" in the log.

examples:
  git superset logs fix-login
  git superset logs fix-login -f`,
    );
}

export async function run(ctx: Ctx, name: string, opts: { follow?: boolean; raw?: boolean; run?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  ensureWatcherFor(ws.repo);
  const task = await requireTask(ws, name);
  const store = new TaskStore(ws.repo);
  if (opts.run) {
    const runLog = runLogFile(store, name);
    if (!fs.existsSync(runLog)) throw new UserError(msg.logs.noRunOutput(name));
    printFrom(ctx, runLog, 0);
    return 0;
  }
  const file = store.logFile(name);
  // A live tmux pane renders the agent's screen far more readably than its raw escape codes.
  if (task.tmuxSession && !opts.follow && !opts.raw && hasSession(task.tmuxSession)) {
    ctx.out(capturePane(task.tmuxSession));
    return 0;
  }
  if (!fs.existsSync(file)) throw new UserError(msg.logs.none(name, file));
  let offset = printFrom(ctx, file, 0);
  if (!opts.follow) return 0;
  while (task.pid && isAlive(task.pid)) {
    await new Promise((r) => setTimeout(r, 200));
    offset = printFrom(ctx, file, offset);
  }
  printFrom(ctx, file, offset);
  return 0;
}

function printFrom(ctx: Ctx, file: string, offset: number): number {
  const { text, end } = readFrom(file, offset);
  if (text) ctx.out(text);
  return end;
}
