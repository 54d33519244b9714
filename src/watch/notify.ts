import { spawn } from 'node:child_process';
import type { TaskState, TaskStatus } from '../task/state.js';
import * as msg from '../messages.js';

/**
 * Config `notify`: a command (an argv array, never a shell string) the watcher runs when a task
 * becomes waiting, done or failed, with SUPERSET_TASK, SUPERSET_STATUS and SUPERSET_WORKTREE in
 * its environment. Its failure is logged and otherwise ignored: a broken notifier must never stop
 * the watcher from watching.
 */
export const NOTIFY_STATUSES: readonly TaskStatus[] = ['waiting', 'done', 'failed'];

export interface Transition {
  task: string;
  status: TaskStatus;
  worktree: string;
}

/**
 * Pure: the tasks that just became a notify status. A task seen for the first time is not a
 * transition (a restarted watcher would otherwise announce every finished task again).
 */
export function transitions(previous: ReadonlyMap<string, TaskStatus>, states: readonly TaskState[]): Transition[] {
  return states
    .filter((s) => previous.has(s.name) && previous.get(s.name) !== s.status && NOTIFY_STATUSES.includes(s.status))
    .map((s) => ({ task: s.name, status: s.status, worktree: s.worktree }));
}

export class Notifier {
  private readonly last = new Map<string, TaskStatus>();

  constructor(
    private readonly argv: readonly string[] | null,
    private readonly log: (line: string) => void,
    private readonly timeoutMs = 30_000,
  ) {}

  /** Every task as the watcher sees it now; runs the command for each transition. */
  observe(states: readonly TaskState[]): void {
    const due = transitions(this.last, states);
    // A task missing from one look (busy being ended) keeps its last status, so its change still counts.
    for (const s of states) this.last.set(s.name, s.status);
    if (this.argv?.length) for (const t of due) this.run(t);
  }

  private run(t: Transition): void {
    const [cmd, ...args] = this.argv!;
    try {
      const child = spawn(cmd!, args, {
        env: { ...process.env, SUPERSET_TASK: t.task, SUPERSET_STATUS: t.status, SUPERSET_WORKTREE: t.worktree },
        stdio: 'ignore',
        timeout: this.timeoutMs,
      });
      child.on('error', (e) => this.log(msg.watch.notifyFailed(t.task, t.status, cmd!, e.message)));
      child.on('exit', (code, signal) => {
        if (code !== 0) this.log(msg.watch.notifyExited(t.task, t.status, cmd!, signal ?? code));
      });
    } catch (e) {
      this.log(msg.watch.notifyFailed(t.task, t.status, cmd!, (e as Error).message));
    }
  }
}
