import type { Workspace } from '../context.js';
import { loadTasks, type TaskView } from '../task/catalog.js';
import { byUrgency } from '../task/format.js';
import { requireTask } from '../task/require.js';
import { readNotes, type NoteRecord } from '../git/notes.js';

/** Every task as `ls` shows it, those waiting for the user first. */
export async function listTasks(ws: Workspace): Promise<TaskView[]> {
  return (await loadTasks(ws.repo, ws.config)).sort(byUrgency);
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
