import * as msg from '../messages.js';
import { UserError } from '../errors.js';
import type { Workspace } from '../context.js';
import { loadTasks, type TaskView } from './catalog.js';
import { assertTaskName } from './name.js';
import { isPending } from './lifecycle.js';

/**
 * The named tasks, read with one loadTasks whatever their number, or a one-line error naming the
 * first that does not exist. Every name is checked before the caller touches any task.
 */
export async function requireTasks(ws: Workspace, names: readonly string[]): Promise<TaskView[]> {
  for (const name of names) assertTaskName(name);
  const byName = new Map((await loadTasks(ws.repo, ws.config, { ahead: false })).map((t) => [t.name, t]));
  return names.map((name) => {
    const task = byName.get(name);
    if (!task) throw new UserError(msg.task.noSuch(name));
    return task;
  });
}

export async function requireTask(ws: Workspace, name: string): Promise<TaskView> {
  return (await requireTasks(ws, [name]))[0]!;
}

/** A task that has started: a queued or blocked one (no worktree, no branch yet) is refused in one line. */
export async function requireStartedTask(ws: Workspace, name: string): Promise<TaskView> {
  const task = await requireTask(ws, name);
  if (isPending(task.status) && !task.worktree) throw new UserError(msg.task.notStarted(name, task.status));
  return task;
}
