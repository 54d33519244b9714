import type { ExitRecord, TaskState } from './state.js';

/**
 * Every rule of a task's status, in one pure function: `transition(state, event)`. The store, the
 * watcher, `_exited`, `signal`, `stop`, the notes rebuild and `ls` all describe what they saw as an
 * event and let this decide, so two writers (an agent's hook, the watcher, the exit handler) can
 * never disagree on what "done" means. test/unit/lifecycle.test.ts checks every (status, event) pair.
 *
 *   queued / blocked   not launched yet: waiting for a slot (maxRunning) or prerequisites (--after) /
 *                      for the user (a prerequisite failed); no branch or worktree exists yet
 *   starting           branch and worktree made, the agent being launched
 *   running / idle / waiting   the agent runs (working, finished its turn, needs the user)
 *   finishing          the agent's session is over (its own "done", or it exited) and its exit is
 *                      being recorded: leftovers committed, `exited` note written
 *   done / failed / stopped    ended, and the exit recorded
 */
export type TaskStatus = 'queued' | 'blocked' | 'starting' | 'running' | 'idle' | 'waiting' | 'finishing' | 'done' | 'failed' | 'stopped';

export const STATUSES: readonly TaskStatus[] = ['queued', 'blocked', 'starting', 'running', 'idle', 'waiting', 'finishing', 'done', 'failed', 'stopped'];
/** An agent of ours may run: watched, counted as running, never launched twice. */
export const LIVE_STATUSES: readonly TaskStatus[] = ['starting', 'running', 'idle', 'waiting', 'finishing'];
/** Waiting to be launched: nothing runs yet. */
export const PENDING_STATUSES: readonly TaskStatus[] = ['queued', 'blocked'];
export const FINAL_STATUSES: readonly TaskStatus[] = ['done', 'failed', 'stopped'];

export const isLive = (s: TaskStatus): boolean => LIVE_STATUSES.includes(s);
export const isPending = (s: TaskStatus): boolean => PENDING_STATUSES.includes(s);
export const isFinal = (s: TaskStatus): boolean => FINAL_STATUSES.includes(s);
/**
 * The pending status the watcher acts on: a queued task is launched when a slot frees. A blocked
 * one waits for the user (`start` retries it), so it keeps no daemon alive.
 */
export const awaitsLaunch = (s: TaskStatus): boolean => s === 'queued';

/** What an agent's own hooks may say (`git superset signal`). */
export const SIGNAL_STATUSES = ['running', 'waiting', 'idle', 'done'] as const;
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];

/** Without a runtime record nothing is running that we started: the cache was deleted or the task made by hand. */
export const UNRECORDED_STATUS: TaskStatus = 'stopped';

export type LifecycleEvent =
  /** Waiting for a free slot (maxRunning) or for its prerequisites (--after). */
  | { type: 'queued' }
  /** Cannot start until the user acts: a prerequisite failed, was stopped or removed, or their tips conflict. */
  | { type: 'blocked'; on: string; reason?: string }
  /** A queued task's launch failed before its agent ran (its agent gone, its worktree path taken...). */
  | { type: 'launch-failed'; at: string; reason: string }
  /** `start` (or a relaunch) begins. */
  | { type: 'launching'; at: string }
  /** The wrapper runs, with this pid (it leads the agent's process group). */
  | { type: 'launched'; pid: number; tmuxSession?: string }
  /** The agent's own hook (`signal`). `done` means its session is over, not that its exit is recorded. */
  | { type: 'agent-signal'; status: SignalStatus; at: string }
  /** Files changed in the worktree at `at` (null: only a recount), `changedFiles` uncommitted now. */
  | { type: 'activity'; at: number | null; changedFiles: number }
  /** Nothing changed for a while (the watcher's tick). */
  | { type: 'quiet'; now: number; idleSeconds: number }
  /** The wrapper wrote the exit code; it is still recording the exit. */
  | { type: 'agent-exited'; exit: ExitRecord }
  /** The exit is recorded: leftovers committed and `exited` written (or the wrapper is gone and left its code). */
  | { type: 'exited'; exit: ExitRecord; changedFiles?: number }
  /** The wrapper's pid is dead and left no exit code; `agentAlive`: processes of its group still run. */
  | { type: 'wrapper-vanished'; agentAlive: boolean }
  /** A user's `stop`, or the watcher ending an agent whose terminal went away. */
  | { type: 'stop-requested'; at: string; reason?: string };

export type LifecycleEventType = LifecycleEvent['type'];

const SIGNALS: Record<number, string> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 6: 'SIGABRT', 9: 'SIGKILL', 13: 'SIGPIPE', 15: 'SIGTERM' };

/** sh reports death by signal N as exit code 128+N. */
export function signalOf(exitCode: number): string | null {
  if (exitCode <= 128 || exitCode > 128 + 64) return null;
  return SIGNALS[exitCode - 128] ?? `SIG${exitCode - 128}`;
}

/**
 * Whether a running task has gone idle: nothing changed for idleSeconds. A `running` the agent
 * signalled itself (its prompt hook) is trusted until the agent says otherwise: it may think
 * for minutes without writing.
 */
export function isIdleDue(state: Pick<TaskState, 'status' | 'statusBy' | 'lastActivity' | 'startedAt' | 'signaledAt'>, now: number, idleSeconds: number): boolean {
  if (state.status !== 'running' || state.statusBy === 'agent') return false;
  const last = Math.max(...[state.lastActivity, state.startedAt, state.signaledAt].map((t) => (t ? Date.parse(t) : 0)));
  return now - last >= idleSeconds * 1000;
}

/**
 * The status after the files in a worktree changed. Idle or waiting agents that write files are
 * working again; but a change older than the agent's own latest signal (a write just before its
 * Stop hook fired) must not undo that signal.
 */
export function statusAfterActivity(state: Pick<TaskState, 'status' | 'signaledAt'>, changedAt: number): TaskStatus {
  if (state.status !== 'idle' && state.status !== 'waiting') return state.status;
  if (state.signaledAt && Date.parse(state.signaledAt) >= changedAt) return state.status;
  return 'running';
}

/** The status an exit ends in. A stop recorded first wins over the exit code. */
function endOf(status: TaskStatus, exit: ExitRecord): TaskStatus {
  if (status === 'stopped') return 'stopped';
  return exit.exitCode === 0 ? 'done' : 'failed';
}

const withExit = (state: TaskState, exit: ExitRecord): TaskState => ({
  ...state,
  exitCode: exit.exitCode,
  signal: signalOf(exit.exitCode),
  endedAt: exit.endedAt,
});

/**
 * The one status rule. Pure: returns `state` itself when the event changes nothing, so callers
 * can tell "nothing to write" by identity.
 */
export function transition(state: TaskState, event: LifecycleEvent): TaskState {
  const s = state.status;
  const live = isLive(s);
  switch (event.type) {
    case 'queued':
    case 'blocked': {
      // Only what does not run can wait to run; a live task keeps running.
      if (live) return state;
      const status: TaskStatus = event.type;
      const reason = event.type === 'blocked' ? event.reason : undefined;
      if (s === status && state.reason === reason) return state;
      const next: TaskState = { ...state, status };
      if (reason) next.reason = reason;
      else delete next.reason;
      return next;
    }
    case 'launch-failed':
      // Only a launch that never happened fails this way; a launched task's end is its exit.
      if (!isPending(s)) return state;
      return { ...state, status: 'failed', exitCode: null, endedAt: event.at, reason: event.reason };
    case 'launching':
      if (live) return state;
      return { ...state, status: 'starting', startedAt: event.at };
    case 'launched': {
      const where = { pid: event.pid, ...(event.tmuxSession ? { tmuxSession: event.tmuxSession } : {}) };
      // The agent may already have exited and recorded it: never overwrite that with "running".
      if (s === 'starting' || isPending(s)) return { ...state, ...where, status: 'running' };
      return { ...state, ...where };
    }
    case 'agent-signal': {
      // A late hook never brings an ended task back. From finishing it may: Claude Code's SessionEnd
      // also fires on /clear, and the next prompt's hook says the agent works on (an agent that has
      // exited fires none; its recorded exit code reads finishing again, see TaskStore.observe).
      if (!live) return state;
      // An agent's own "done" (Claude Code's SessionEnd) comes before its exit is recorded: the
      // task reads `done` only once the leftovers are on the branch and the `exited` note written.
      const status: TaskStatus = event.status === 'done' ? 'finishing' : event.status;
      return { ...state, status, statusBy: 'agent', signaledAt: event.at };
    }
    case 'activity': {
      // An ended task's count is the exit handler's, taken after its commit; a late batch is stale.
      if (!live) return state;
      const next: TaskState = { ...state, changedFiles: event.changedFiles };
      if (event.at !== null) {
        next.lastActivity = new Date(event.at).toISOString();
        const status = statusAfterActivity(state, event.at);
        if (status !== s) Object.assign(next, { status, statusBy: 'watcher' });
      }
      return next.changedFiles === state.changedFiles && next.lastActivity === state.lastActivity && next.status === s ? state : next;
    }
    case 'quiet':
      return isIdleDue(state, event.now, event.idleSeconds) ? { ...state, status: 'idle', statusBy: 'watcher' } : state;
    case 'agent-exited':
      // The wrapper is still committing and writing the note: not done yet.
      if (!live || s === 'finishing') return state;
      return { ...state, status: 'finishing' };
    case 'exited': {
      const counted = event.changedFiles !== undefined ? { changedFiles: event.changedFiles } : {};
      // A stop keeps its status and learns the exit code; a recorded end is never rewritten.
      if (s === 'stopped' && state.exitCode === undefined) return { ...withExit(state, event.exit), ...counted };
      if (!live) return state;
      return { ...withExit(state, event.exit), ...counted, status: endOf(s, event.exit) };
    }
    case 'wrapper-vanished':
      if (!live) return state;
      if (event.agentAlive) {
        const reason = 'the agent wrapper is gone but the agent still runs (its exit will not be recorded; git superset stop ends it)';
        return state.reason === reason ? state : { ...state, reason };
      }
      return { ...state, status: 'failed', exitCode: null, reason: 'agent process vanished without recording its exit' };
    case 'stop-requested':
      if (isFinal(s)) return state;
      return { ...state, status: 'stopped', endedAt: event.at, ...(event.reason ? { reason: event.reason } : {}) };
  }
}

/** A note event as the notes rebuild reads it (`refs/notes/superset`). */
export interface NoteEventLike {
  event: string;
  status?: unknown;
  exitCode?: unknown;
}

/**
 * A task's status from its latest note event, for when the runtime cache has nothing: an
 * `exited` carries the status it ended in; after anything else nothing we started runs here.
 */
export function statusFromNote(e: NoteEventLike): TaskStatus {
  if (e.event === 'exited') {
    const st = e.status as TaskStatus;
    if (isFinal(st)) return st;
    return e.exitCode === 0 ? 'done' : 'failed';
  }
  if (e.event === 'merged') return 'done';
  // Not launched yet: the queue is rebuilt from these (task/queue-rebuild.ts).
  if (e.event === 'queued' || e.event === 'blocked') return e.event;
  if (e.event === 'launch-failed') return 'failed';
  return UNRECORDED_STATUS;
}
