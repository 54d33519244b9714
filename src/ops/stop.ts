import type { Workspace } from '../context.js';
import { requireTasks } from '../task/require.js';
import { TaskStore } from '../task/store.js';
import { LIVE_STATUSES, type TaskStatus } from '../task/state.js';
import { stopAgent } from '../task/stop-agent.js';
import { transition } from '../task/lifecycle.js';
import { recordOnTip } from '../task/events.js';
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
  /** The `stopped` event could not be written to the notes (the agent is stopped regardless). */
  recordError?: string;
}

/** Stops the named tasks' agents (all names are checked first), in parallel; worktrees are kept. */
export async function stopTasks(ws: Workspace, opts: StopOptions): Promise<StopOutcome[]> {
  const store = new TaskStore(ws.repo);
  const timeoutMs = opts.timeoutMs ?? 1000 * ws.config.stopTimeoutSeconds;
  const tasks = await requireTasks(ws, opts.names);
  const results = await runPool(tasks, 16, async (task): Promise<StopOutcome> => {
    const name = task.name;
    if (!LIVE_STATUSES.includes(task.status)) return { name, stopped: false, status: task.status, worktree: task.worktree };
    // Recorded first, so the exit the wrapper is about to record is read as a stop, not a failure.
    const stoppedAt = new Date().toISOString();
    await store.update(name, (s) => transition(s, { type: 'stop-requested', at: stoppedAt }));
    const [how] = await Promise.all([stopAgent(task.pid, task.tmuxSession, timeoutMs), stopRun(store, name, timeoutMs)]);
    const outcome: StopOutcome = { name, stopped: true, status: 'stopped', how, worktree: task.worktree };
    await recordOnTip(ws.repo, task.branch, { t: stoppedAt, task: name, event: 'stopped', how }).catch((e: unknown) => (outcome.recordError = (e as Error).message));
    return outcome;
  });
  return results.map((r) => {
    if (!r.ok) throw r.error;
    return r.value!;
  });
}
