import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { json, openWorkspace, type Ctx } from '../context.js';
import { stopTasks } from '../ops/stop.js';

export function define(cmd: Command): void {
  cmd
    .argument('<tasks...>', 'task names')
    .option('--timeout <seconds>', 'seconds to wait after SIGTERM before SIGKILL (config stopTimeoutSeconds)')
    .option('--json', 'print the result as JSON');
}

export async function run(ctx: Ctx, names: string[], opts: { timeout?: string; json?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  let timeoutMs: number | undefined;
  if (opts.timeout !== undefined) {
    const seconds = Number(opts.timeout);
    if (!Number.isFinite(seconds) || seconds < 0) throw new UserError(`--timeout takes a number of seconds, not ${JSON.stringify(opts.timeout)}`);
    timeoutMs = 1000 * seconds;
  }
  const results = await stopTasks(ws, { names, timeoutMs });
  for (const r of results) if (r.recordError) ctx.err(`git-superset: could not record the stop: ${r.recordError.split('\n')[0]}\n`);
  if (opts.json) ctx.out(json(results.map(({ recordError: _e, worktree: _w, ...r }) => r)));
  else
    for (const r of results)
      ctx.out(r.stopped ? `stopped ${r.name}${r.how === 'killed' ? ' (killed after timeout)' : ''}; worktree kept at ${r.worktree}\n` : `${r.name} is not running (${r.status})\n`);
  return 0;
}
