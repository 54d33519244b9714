/** What the runtime cache holds for one task. Everything here is rebuildable from git and tmux. */
export type TaskStatus = 'starting' | 'running' | 'idle' | 'waiting' | 'done' | 'failed' | 'stopped';

export const LIVE_STATUSES: readonly TaskStatus[] = ['starting', 'running', 'idle', 'waiting'];

export interface TaskState {
  v: 1;
  name: string;
  branch: string;
  worktree: string;
  /** Agent as the user named it (preset name or command line). */
  agent: string;
  argv: string[];
  runner: 'tmux' | 'headless';
  base: string;
  baseCommit: string;
  prompt?: string;
  startedAt: string;
  status: TaskStatus;
  pid?: number;
  tmuxSession?: string;
  exitCode?: number | null;
  signal?: string | null;
  endedAt?: string;
  reason?: string;
  lastActivity?: string;
  changedFiles?: number;
  /** Who set the live status last: the agent's own hooks (`signal`) or the watcher. */
  statusBy?: 'agent' | 'watcher';
  /** When the agent last signalled its status. */
  signaledAt?: string;
  /** The task whose agent started this one (a lead agent over MCP, or a `start` run inside a task). */
  parent?: string;
  /** 0 for a task the user started; parent's depth + 1 below it. */
  depth?: number;
}

/** What the agent wrapper writes the moment the agent exits, before anything else can fail. */
export interface ExitRecord {
  exitCode: number;
  endedAt: string;
}

const SIGNALS: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 6: 'SIGABRT', 9: 'SIGKILL', 13: 'SIGPIPE', 15: 'SIGTERM' };

/** sh reports death by signal N as exit code 128+N. */
export function signalOf(exitCode: number): string | null {
  if (exitCode <= 128 || exitCode > 128 + 64) return null;
  return SIGNALS[exitCode - 128] ?? `SIG${exitCode - 128}`;
}

/** The status a task ends in once its agent has exited. A user's stop wins over the exit code. */
export function finalStatus(current: TaskStatus, exit: ExitRecord): TaskStatus {
  if (current === 'stopped') return 'stopped';
  return exit.exitCode === 0 ? 'done' : 'failed';
}

export function applyExit(state: TaskState, exit: ExitRecord): TaskState {
  return {
    ...state,
    status: finalStatus(state.status, exit),
    exitCode: exit.exitCode,
    signal: signalOf(exit.exitCode),
    endedAt: exit.endedAt,
  };
}
