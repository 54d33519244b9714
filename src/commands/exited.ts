import type { Command } from 'commander';
import { openWorkspace, type Ctx } from '../context.js';
import { TaskStore } from '../task/store.js';
import { applyExit, LIVE_STATUSES } from '../task/state.js';
import { recordExit } from '../task/commit-on-exit.js';

// Internal: run by the agent wrapper (src/runner/agent-run.sh) right after the agent exits.
export function define(cmd: Command): void {
  cmd.argument('<task>').argument('[exitCode]').argument('[endedAt]');
}

export async function run(ctx: Ctx, name: string, exitCode?: string, endedAt?: string): Promise<number> {
  const { repo, config } = await openWorkspace(ctx);
  const store = new TaskStore(repo);
  const exit = exitCode !== undefined ? { exitCode: Number(exitCode), endedAt: endedAt ?? new Date().toISOString() } : store.readExit(name);
  if (!exit || !Number.isInteger(exit.exitCode)) return 0;
  // A `done` the agent signalled itself (its SessionEnd hook) still takes the real exit code.
  const open = (s: { status: string; exitCode?: number | null }) => LIVE_STATUSES.includes(s.status as never) || s.status === 'stopped' || (s.status === 'done' && s.exitCode === undefined);
  const current = store.read(name);
  // The leftovers go on the branch (even when someone else already settled the status) before the
  // task reads done: whoever sees `done` finds all the work in `git log`. Meanwhile the wrapper
  // that runs us is alive, so the task still reads as running.
  if (current) await recordExit(repo, config, applyExit(current, exit), ctx.err);
  await store.update(name, (s) => (open(s) ? applyExit(s, exit) : null));
  return 0;
}
