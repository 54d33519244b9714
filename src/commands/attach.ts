import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { openWorkspace, type Ctx } from '../context.js';
import { requireTask } from '../task/require.js';
import { attachSession, hasSession } from '../runner/tmux.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';
import * as msg from '../messages.js';

export function define(cmd: Command): void {
  cmd.argument('<task>', 'task name').addHelpText('after', '\nDetach again with the tmux prefix key, then d (Ctrl-b d by default).\n\nexample:\n  git superset attach fix-login');
}

export async function run(ctx: Ctx, name: string): Promise<number> {
  const ws = await openWorkspace(ctx);
  ensureWatcherFor(ws.repo);
  const task = await requireTask(ws, name);
  if (!task.tmuxSession) throw new UserError(msg.attach.notTmux(name));
  if (!hasSession(task.tmuxSession)) throw new UserError(msg.attach.noSession(name, task.status));
  return attachSession(task.tmuxSession);
}
