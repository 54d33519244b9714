import type { Command } from 'commander';
import { json, openWorkspace, type Ctx } from '../context.js';
import { requireTasks } from '../task/require.js';
import { TaskStore } from '../task/store.js';
import { LIVE_STATUSES } from '../task/state.js';
import { stopAgent } from '../task/stop-agent.js';
import { bestEffort, recordOnTip } from '../task/events.js';

export function define(cmd: Command): void {
  cmd
    .argument('<tasks...>', 'task names')
    .option('--timeout <seconds>', 'seconds to wait after SIGTERM before SIGKILL (config stopTimeoutSeconds)')
    .option('--json', 'print the result as JSON');
}

export async function run(ctx: Ctx, names: string[], opts: { timeout?: string; json?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  const store = new TaskStore(ws.repo);
  const timeoutMs = 1000 * (opts.timeout !== undefined ? Number(opts.timeout) : ws.config.stopTimeoutSeconds);
  const results = [];
  for (const task of await requireTasks(ws, names)) {
    const name = task.name;
    if (!LIVE_STATUSES.includes(task.status)) {
      results.push({ name, stopped: false, status: task.status });
      if (!opts.json) ctx.out(`${name} is not running (${task.status})\n`);
      continue;
    }
    // Recorded first, so the exit the wrapper is about to record is read as a stop, not a failure.
    const stoppedAt = new Date().toISOString();
    await store.update(name, (s) => ({ ...s, status: 'stopped', endedAt: stoppedAt }));
    const how = await stopAgent(task.pid, task.tmuxSession, timeoutMs);
    await bestEffort('the stop', () => recordOnTip(ws.repo, task.branch, { t: stoppedAt, task: name, event: 'stopped', how }), ctx.err);
    results.push({ name, stopped: true, status: 'stopped', how });
    if (!opts.json) ctx.out(`stopped ${name}${how === 'killed' ? ' (killed after timeout)' : ''}; worktree kept at ${task.worktree}\n`);
  }
  if (opts.json) ctx.out(json(results));
  return 0;
}
