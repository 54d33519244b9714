import fs from 'node:fs';
import type { Workspace } from '../context.js';
import type { TaskView } from '../task/catalog.js';
import { TaskStore } from '../task/store.js';
import { releasePorts } from './ports.js';
import { existingTaskEnv } from './task-env.js';
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
  store.ensureDirs();
  await runSteps({ step: 'teardown', commands: ws.config.teardown, cwd: task.worktree, env: existingTaskEnv(ws, task, task.worktree), logFile: store.logFile(task.name) });
}

/** After removal: the task's ports go back to the pool. */
export const releaseTaskPorts = (ws: Workspace, task: string): Promise<void> => releasePorts(ws.repo, task);
