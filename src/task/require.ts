import { UserError } from '../errors.js';
import type { Workspace } from '../context.js';
import { findTask, type TaskView } from './catalog.js';
import { assertTaskName } from './name.js';

/** The named task, or a one-line error that says how to see the tasks there are. */
export async function requireTask(ws: Workspace, name: string): Promise<TaskView> {
  assertTaskName(name);
  const task = await findTask(ws.repo, ws.config, name);
  if (!task) throw new UserError(`no such task: ${name} (see git superset ls)`);
  return task;
}
