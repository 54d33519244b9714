import type { Workspace } from '../context.js';
import { loadTasks, type TaskView } from '../task/catalog.js';
import { byUrgency } from '../task/format.js';
import { taskOverlaps, type TaskOverlap } from '../task/overlaps.js';
import { requireTask } from '../task/require.js';
import { readNotes, type NoteRecord } from '../git/notes.js';

/** A task as `ls` shows it, with the unmerged tasks that touch the same files. */
export type ListedTask = TaskView & { overlaps: TaskOverlap[] };

/** Every task as `ls` shows it, those waiting for the user first. */
export async function listTasks(ws: Workspace): Promise<ListedTask[]> {
  const tasks = (await loadTasks(ws.repo, ws.config)).sort(byUrgency);
  // A warning, not a failure: ls still lists the tasks when git cannot say.
  const overlaps = await taskOverlaps(ws, tasks).catch(() => new Map<string, TaskOverlap[]>());
  return tasks.map((t) => ({ ...t, overlaps: overlaps.get(t.name) ?? [] }));
}

export interface TaskStatusResult {
  task: TaskView;
  /** The task's most recent events from refs/notes/superset, oldest first. */
  events: NoteRecord[];
}

/** One task, with its last `recent` events. */
export async function taskStatus(ws: Workspace, name: string, recent = 20): Promise<TaskStatusResult> {
  const task = await requireTask(ws, name);
  const events = (await readNotes(ws.repo)).filter((r) => r.task === name);
  return { task, events: events.slice(-recent) };
}
