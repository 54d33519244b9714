import type { Repo } from '../git/repo.js';
import { readNotes, type NoteRecord } from '../git/notes.js';
import type { TaskView } from './catalog.js';
import { latestEvent } from '../git/note-line.js';
import { statusFromNote, type TaskStatus } from './lifecycle.js';

/**
 * A task's status as the notes tell it, for when the runtime cache has nothing (deleted, or the
 * task came from another machine through `sync`). Pure.
 */
export interface NoteStatus {
  status: TaskStatus;
  exitCode: number | null;
  agent: string | null;
  startedAt: string | null;
  endedAt: string | null;
  /** Ref name the task started from, and the commit its `started` event is on. */
  base: string | null;
  baseCommit: string | null;
  reason: string;
}

/** Every task's status from its latest event (by time), one pass over all records. */
export function statusesFromNotes(records: readonly NoteRecord[]): Map<string, NoteStatus> {
  const byTask = new Map<string, NoteRecord[]>();
  for (const r of records) {
    const list = byTask.get(r.task) ?? [];
    list.push(r);
    byTask.set(r.task, list);
  }
  const result = new Map<string, NoteStatus>();
  for (const [task, events] of byTask) {
    const latest = latestEvent(events)!;
    const started = latestEvent(events, (e) => e.event === 'started');
    const exited = latest.event === 'exited' ? latest : undefined;
    result.set(task, {
      status: statusFromNote(latest),
      exitCode: typeof exited?.exitCode === 'number' ? exited.exitCode : null,
      agent: typeof started?.agent === 'string' ? started.agent : null,
      startedAt: started?.t ?? null,
      endedAt: exited?.t ?? null,
      base: typeof started?.base === 'string' ? started.base : null,
      // written since started events moved to the task's anchor; before, the event sat on the base commit
      baseCommit: typeof started?.baseCommit === 'string' ? started.baseCommit : started && !started.relaunch ? started.on : null,
      reason: `no runtime record; from refs/notes/superset: ${latest.event} at ${latest.t}`,
    });
  }
  return result;
}

/**
 * Fills tasks that have no runtime record from their latest note event: all notes for all tasks
 * in two git processes (`git notes list`, `git cat-file --batch`), never one per task.
 */
export async function fillFromNotes(repo: Repo, tasks: TaskView[]): Promise<void> {
  const statuses = statusesFromNotes(await readNotes(repo).catch(() => []));
  for (const t of tasks) {
    const s = statuses.get(t.name);
    if (!s) continue;
    t.status = s.status;
    t.exitCode = s.exitCode;
    t.agent ??= s.agent;
    t.startedAt ??= s.startedAt;
    t.endedAt ??= s.endedAt;
    t.base ??= s.baseCommit ?? s.base;
    t.reason = s.reason;
  }
}
