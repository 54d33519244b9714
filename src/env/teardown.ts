import fs from 'node:fs';
import type { Workspace } from '../context.js';
import type { TaskView } from '../task/catalog.js';
import { TaskStore } from '../task/store.js';
import { agentEnv } from '../runner/launch.js';
import { allReservations, portEnv, releasePorts } from './ports.js';
import { expandEnv } from './task-env.js';
import { runSteps } from './shell-steps.js';
import { stopRun } from './dev-server.js';

/**
 * Before a task's worktree is removed (rm, merge): its dev server is stopped and config
 * `teardown` runs in the worktree with the task's variables. A failing teardown throws StepFailed
 * (which blocks the removal unless forced).
 */
export async function teardownTask(ws: Workspace, task: TaskView): Promise<void> {
  const store = new TaskStore(ws.repo);
  await stopRun(store, task.name);
  if (!ws.config.teardown.length || !task.worktree || !fs.existsSync(task.worktree)) return;
  const base = agentEnv({ task: task.name, branch: task.branch, worktree: task.worktree, base: task.base ?? '', argv: [], runner: 'headless', repoId: ws.repo.id });
  const vars = { ...base, ...portEnv(allReservations(ws.repo)[task.name] ?? {}) };
  store.ensureDirs();
  await runSteps({ step: 'teardown', commands: ws.config.teardown, cwd: task.worktree, env: { ...vars, ...expandEnv(ws.config.env, vars) }, logFile: store.logFile(task.name) });
}

/** After removal: the task's ports go back to the pool. */
export const releaseTaskPorts = (ws: Workspace, task: string): Promise<void> => releasePorts(ws.repo, task);
