import type { Command } from 'commander';
import { BatchFailed, UserError } from '../errors.js';
import { json, openWorkspace, type Ctx } from '../context.js';
import { stopTasks } from '../ops/stop.js';
import * as msg from '../messages.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';

export function define(cmd: Command): void {
  cmd
    .argument('<tasks...>', 'task names')
    .option('--timeout <seconds>', 'seconds to wait after SIGTERM before SIGKILL (config stopTimeoutSeconds)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nThe tasks are stopped in parallel; their worktrees and branches stay.\n\nexample:\n  git superset stop lint docs tests --timeout 2');
}

export async function run(ctx: Ctx, names: string[], opts: { timeout?: string; json?: boolean }): Promise<number> {
  let timeoutMs: number | undefined;
  if (opts.timeout !== undefined) {
    const seconds = Number(opts.timeout);
    if (!Number.isFinite(seconds) || seconds < 0) throw new UserError(msg.stop.badTimeout(opts.timeout));
    timeoutMs = 1000 * seconds;
  }
  const ws = await openWorkspace(ctx);
  const results = await stopTasks(ws, { names, timeoutMs });
  // After the op: the tasks it ended need no watcher, the others may.
  ensureWatcherFor(ws.repo);
  const recordError = results.find((r) => r.recordError)?.recordError;
  if (recordError) ctx.err(msg.line(msg.stop.notRecorded(recordError.split('\n')[0]!)));
  if (opts.json) ctx.out(json(results.map(({ recordError: _e, worktree: _w, ...r }) => r)));
  else for (const r of results) if (!r.error) ctx.out(`${r.stopped ? msg.stop.stopped(r.name, r.how === 'killed', r.worktree, r.dequeued) : msg.stop.notRunning(r.name, r.status)}\n`);
  const failed = results.filter((r) => r.error);
  if (failed.length) throw new BatchFailed(failed.map((r) => ({ name: r.name, error: r.error })));
  return 0;
}
