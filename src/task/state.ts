import type { TaskStatus } from './lifecycle.js';

// The status rules live in lifecycle.ts; these names stay importable from here.
export { LIVE_STATUSES, signalOf, type TaskStatus } from './lifecycle.js';

/** What the runtime cache holds for one task. Everything here is rebuildable from git and tmux. */
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
  /** Ports reserved for the task by name (config ports); the first is PORT. */
  ports?: Record<string, number>;
  /**
   * A task waiting to be launched (queued / blocked): when it was queued and its place in its batch
   * (the queue order), the limit its batch was started with (`start --max-running`, else config
   * maxRunning applies), the tasks it waits for (`--after`), and what a later launch needs that
   * a launched task keeps elsewhere: --yolo and the directory agent paths are resolved from.
   * `base` is the ref NAME then: the worktree is made from it as it is at launch.
   */
  queuedAt?: string;
  queueIndex?: number;
  maxRunning?: number;
  after?: string[];
  yolo?: boolean;
  cwd?: string;
  /** Queued to run again in the worktree it has (a relaunch past the limit): keeps its first base. */
  relaunch?: boolean;
}

/** What the agent wrapper writes the moment the agent exits, before anything else can fail. */
export interface ExitRecord {
  exitCode: number;
  endedAt: string;
}
