import type { Command } from 'commander';
import { openWorkspace, type Ctx } from '../context.js';
import { TaskStore } from '../task/store.js';
import { applyExit, LIVE_STATUSES } from '../task/state.js';

// Internal: run by the agent wrapper (src/runner/agent-run.sh) right after the agent exits.
export function define(cmd: Command): void {
  cmd.argument('<task>');
}

export async function run(ctx: Ctx, name: string): Promise<number> {
  const { repo } = await openWorkspace(ctx);
  const store = new TaskStore(repo);
  const exit = store.readExit(name);
  if (!exit) return 0;
  await store.update(name, (s) => (LIVE_STATUSES.includes(s.status) || s.status === 'stopped' ? applyExit(s, exit) : null));
  return 0;
}
