import type { Workspace } from '../context.js';
import { messageOf } from '../errors.js';
import { requireTasks } from '../task/require.js';
import { TaskStore } from '../task/store.js';
import { LIVE_STATUSES, type TaskStatus } from '../task/state.js';
import { stopAgent } from '../task/stop-agent.js';
import { isPending, transition } from '../task/lifecycle.js';
import { withFileLock } from '../task/lock.js';
import { startLockPath } from '../task/start-task.js';
import { recordOnAnchor } from '../task/queue.js';
import { appendNotes } from '../git/notes.js';
import { tipsOf } from '../git/branches.js';
import { hasSession, killSession } from '../runner/tmux.js';
import type { TaskView } from '../task/catalog.js';
import { runPool } from '../task/pool.js';
import { stopRun } from '../env/dev-server.js';

export interface StopOptions {
  names: string[];
  /** After SIGTERM, SIGKILL once this has passed (default: config stopTimeoutSeconds). */
  timeoutMs?: number;
}

export interface StopOutcome {
  name: string;
  stopped: boolean;
  status: TaskStatus;
  how?: 'not-running' | 'terminated' | 'killed';
  worktree: string | null;
  /** It was queued, never launched: taken out of the queue. */
  dequeued?: boolean;
  /** The `stopped` event could not be written to the notes (the agent is stopped regardless). */
  recordError?: string;
  /** This task's stop failed (one line): the others of the batch were still stopped. */
  error?: string;
}

/** Stops the named tasks' agents (all names are checked first), in parallel; worktrees are kept. */
export async function stopTasks(ws: Workspace, opts: StopOptions): Promise<StopOutcome[]> {
  const store = new TaskStore(ws.repo);
  const timeoutMs = opts.timeoutMs ?? 1000 * ws.config.stopTimeoutSeconds;
  const tasks = await requireTasks(ws, opts.names);
  const stoppedAt = new Map<string, string>();
  // 16 at once: a stop is mostly waiting for an exit, so more than the cores' worth overlap well
  const dequeued: string[] = [];
  const results = await runPool(tasks, 16, async (task): Promise<StopOutcome> => {
    const name = task.name;
    if (isPending(task.status)) {
      // Out of the queue, under its start lock: the watcher cannot be launching it at this moment.
      const at = new Date().toISOString();
      const saved = await withFileLock(startLockPath(store, name), () =>
        store.update(name, (s) => (isPending(s.status) ? transition(s, { type: 'stop-requested', at, reason: 'stopped before it was launched' }) : null)),
      );
      if (saved) {
        dequeued.push(name);
        stoppedAt.set(name, at);
        return { name, stopped: true, status: 'stopped', how: 'not-running', worktree: null, dequeued: true };
      }
      // launched meanwhile: stopped like any running task
      const now = (await requireTasks(ws, [name]))[0]!;
      Object.assign(task, now);
      if (!LIVE_STATUSES.includes(task.status)) return { name, stopped: false, status: task.status, worktree: task.worktree };
    }
    if (!LIVE_STATUSES.includes(task.status)) {
      // a failed agent's pane is kept for reading (remain-on-exit); stop is how it is let go
      if (task.tmuxSession && hasSession(task.tmuxSession)) killSession(task.tmuxSession);
      return { name, stopped: false, status: task.status, worktree: task.worktree };
    }
    // Recorded first, so the exit the wrapper is about to record is read as a stop, not a failure.
    const at = new Date().toISOString();
    await store.update(name, (s) => transition(s, { type: 'stop-requested', at }));
    // the task's dev server (git superset run) ends with its agent
    const [how] = await Promise.all([stopAgent(task.pid, task.tmuxSession, timeoutMs), stopRun(store, name, timeoutMs)]);
    stoppedAt.set(name, at);
    return { name, stopped: true, status: 'stopped', how, worktree: task.worktree };
  });
  // One task asked for: its failure is the answer. A batch: every other task is still stopped and
  // recorded, and each failure is reported with its task (the command makes it a BatchFailed).
  if (tasks.length === 1 && !results[0]!.ok) throw results[0]!.error;
  const outcomes = results.map((r): StopOutcome =>
    r.ok ? r.value! : { name: r.item.name, stopped: false, status: r.item.status, worktree: r.item.worktree, error: messageOf(r.error) },
  );
  const queuedOnes = new Set(dequeued);
  await recordStops(ws, tasks, outcomes.filter((o) => !queuedOnes.has(o.name)), stoppedAt);
  // a task that never launched has no branch: its `stopped` goes on its anchor
  for (const name of dequeued) {
    await recordOnAnchor(ws.repo, { t: stoppedAt.get(name)!, task: name, event: 'stopped', how: 'not-running', queued: true }).catch((e: unknown) => {
      const o = outcomes.find((x) => x.name === name);
      if (o) o.recordError = (e as Error).message;
    });
  }
  return outcomes;
}

/**
 * The `stopped` events of the whole batch as one notes commit (20 stops, one write under the notes
 * lock), each on its branch's tip as it is after the agent's exit and commit-on-exit were recorded.
 */
async function recordStops(ws: Workspace, tasks: TaskView[], outcomes: StopOutcome[], stoppedAt: Map<string, string>): Promise<void> {
  const stopped = outcomes.filter((o) => o.stopped);
  if (stopped.length === 0) return;
  const branchOf = new Map(tasks.map((t) => [t.name, t.branch]));
  try {
    const tips = await tipsOf(ws.repo.root, stopped.map((o) => branchOf.get(o.name)!));
    const entries = stopped.flatMap((o) => {
      const tip = tips.get(branchOf.get(o.name)!);
      return tip ? [{ commit: tip, event: { t: stoppedAt.get(o.name)!, task: o.name, event: 'stopped' as const, how: o.how } }] : [];
    });
    if (entries.length) await appendNotes(ws.repo, entries);
  } catch (e) {
    for (const o of stopped) o.recordError = (e as Error).message;
  }
}
