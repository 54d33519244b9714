import fs from 'node:fs';
import type { Workspace } from '../context.js';
import { loadTasks, type TaskView } from '../task/catalog.js';
import { requireTasks } from '../task/require.js';
import { TaskStore } from '../task/store.js';
import type { TaskStatus } from '../task/state.js';

export interface WaitOptions {
  names: string[];
  timeoutMs: number;
  signal?: AbortSignal;
  /** Statuses that count as still going; default queued, starting, running and finishing. */
  pending?: readonly TaskStatus[];
}

export interface WaitResult {
  /** Every named task left the pending statuses before the timeout. */
  settled: boolean;
  timedOut: boolean;
  tasks: { name: string; status: TaskStatus; exitCode: number | null; ahead: number | null; reason: string | null }[];
}

// finishing: the agent's session is over and its exit is being recorded; it ends in a moment.
// queued: it starts by itself (a slot frees, its prerequisites are done); blocked waits for the user, so it settles.
const DEFAULT_PENDING: readonly TaskStatus[] = ['queued', 'starting', 'running', 'finishing'];

/**
 * Blocks until the named tasks leave queued/starting/running (done, failed, stopped, blocked,
 * waiting for the user, idle), or the timeout. Woken by changes in the task cache directory, with a slow poll
 * behind it (a wrapper killed outright changes no file).
 */
export async function waitForTasks(ws: Workspace, opts: WaitOptions): Promise<WaitResult> {
  await requireTasks(ws, opts.names);
  const pending = opts.pending ?? DEFAULT_PENDING;
  const wanted = new Set(opts.names);
  const deadline = Date.now() + opts.timeoutMs;
  const dir = new TaskStore(ws.repo).dir;
  let wake: () => void = () => {};
  let watcher: fs.FSWatcher | null = null;
  try {
    watcher = fs.watch(dir, () => wake());
  } catch {
    /* no cache dir yet: the poll still sees changes */
  }
  try {
    for (;;) {
      const tasks = (await loadTasks(ws.repo, ws.config)).filter((t) => wanted.has(t.name));
      const settled = tasks.every((t) => !pending.includes(t.status));
      const timedOut = !settled && Date.now() >= deadline;
      if (settled || timedOut || opts.signal?.aborted) return { settled, timedOut, tasks: tasks.map(summary) };
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(1000, Math.max(0, deadline - Date.now())));
        const onAbort = () => resolve();
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        wake = () => {
          clearTimeout(timer);
          opts.signal?.removeEventListener('abort', onAbort);
          resolve();
        };
      });
    }
  } finally {
    watcher?.close();
  }
}

function summary(t: TaskView): WaitResult['tasks'][number] {
  return { name: t.name, status: t.status, exitCode: t.exitCode, ahead: t.ahead, reason: t.reason };
}

