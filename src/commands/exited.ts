import fs from 'node:fs';
import type { Command } from 'commander';
import { openWorkspace, type Ctx } from '../context.js';
import { TaskStore } from '../task/store.js';
import { transition } from '../task/lifecycle.js';
import { recordExit } from '../task/commit-on-exit.js';
import { changedPaths } from '../git/worktrees.js';
import { stateFromGit } from '../task/rebuild-state.js';

// Internal: run by the agent wrapper (src/runner/agent-run.sh) right after the agent exits.
export function define(cmd: Command): void {
  cmd.argument('<task>').argument('[exitCode]').argument('[endedAt]');
}

export async function run(ctx: Ctx, name: string, exitCode?: string, endedAt?: string): Promise<number> {
  // An untrusted JavaScript config (edited since start) must not keep the exit from being recorded.
  const { repo, config } = await openWorkspace(ctx, { untrustedCode: 'ignore' });
  const store = new TaskStore(repo);
  const exit = exitCode !== undefined ? { exitCode: Number(exitCode), endedAt: endedAt ?? new Date().toISOString() } : store.readExit(name);
  if (!exit || !Number.isInteger(exit.exitCode)) return 0;
  let current = store.read(name);
  // .git/superset was deleted while the agent ran: the task is rebuilt from git, so its leftovers
  // are still committed and its exit recorded.
  if (!current && (current = await stateFromGit(repo, config, name))) store.write(current);
  let changedFiles: number | undefined;
  if (current) {
    // The leftovers go on the branch and the `exited` note is written (even when someone else
    // already settled the status) before the task reads done: whoever sees `done` finds all the
    // work in `git log`. Meanwhile the wrapper that runs us is alive: the task reads finishing.
    await recordExit(repo, config, transition(current, { type: 'exited', exit }), ctx.err);
    // What is left uncommitted after the checkpoint, so ls does not show the count from before it.
    if (fs.existsSync(current.worktree)) changedFiles = (await changedPaths(current.worktree).catch(() => null))?.length;
  }
  await store.update(name, (s) => {
    const next = transition(s, { type: 'exited', exit, changedFiles });
    return next === s ? null : next;
  });
  return 0;
}
