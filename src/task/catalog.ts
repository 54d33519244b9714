import fs from 'node:fs';
import type { Repo } from '../git/repo.js';
import type { SupersetConfig } from '../config/schema.js';
import { listWorktrees, type WorktreeEntry } from '../git/worktrees.js';
import { aheadCounts, branchesUnder } from '../git/branches.js';
import { taskNameProblem } from './name.js';
import { TaskStore } from './store.js';
import { reconcileStarts } from './reconcile.js';
import { fillFromNotes } from './note-status.js';
import type { TaskState } from './state.js';
import { queuePositions } from './schedule.js';
import { rebuildQueue } from './queue-rebuild.js';
import { isPending, UNRECORDED_STATUS, type TaskStatus } from './lifecycle.js';

/** One task as `ls` shows it: the runtime cache merged with what git says. */
export interface TaskView {
  name: string;
  branch: string;
  worktree: string | null;
  agent: string | null;
  /**
   * The prompt it was started with; null when none was given or the record was rebuilt from git.
   * Always set by loadTasks (ls --json has it); optional so views made elsewhere need not say.
   */
  prompt?: string | null;
  runner: 'tmux' | 'headless' | null;
  status: TaskStatus;
  exitCode: number | null;
  signal: string | null;
  startedAt: string | null;
  endedAt: string | null;
  base: string | null;
  commit: string | null;
  ahead: number | null;
  changedFiles: number | null;
  lastActivity: string | null;
  reason: string | null;
  pid: number | null;
  tmuxSession: string | null;
  /** The task that started this one, if an agent started it. */
  parent: string | null;
  /** Ports reserved for the task, by name. */
  ports: Record<string, number> | null;
  /** A queued task's 1-based place in the queue (the next to start is 1); null otherwise. */
  queuePosition?: number | null;
  /** When it was queued (null: it never was). */
  queuedAt?: string | null;
  /** The tasks it waits for (`start --after`); empty when none. */
  after?: string[];
  /** Why a `blocked` task cannot start (a prerequisite failed, their work conflicts); null otherwise. */
  blockedReason?: string | null;
}

function view(state: TaskState | null, name: string, branch: string, worktree: Pick<WorktreeEntry, 'path'> | undefined, commit: string | null): TaskView {
  return {
    name,
    branch,
    worktree: worktree?.path ?? null,
    agent: state?.agent ?? null,
    prompt: state?.prompt ?? null,
    runner: state?.runner ?? null,
    status: state?.status ?? UNRECORDED_STATUS,
    exitCode: state?.exitCode ?? null,
    signal: state?.signal ?? null,
    // a queued task has not started: its record's startedAt is when it was queued
    startedAt: state && isPending(state.status) ? null : state?.startedAt ?? null,
    endedAt: state?.endedAt ?? null,
    base: state?.base ?? null,
    commit,
    ahead: null,
    changedFiles: state?.changedFiles ?? null,
    lastActivity: state?.lastActivity ?? null,
    reason: state?.reason ?? (state ? null : 'no runtime record (rebuilt from git)'),
    pid: state?.pid ?? null,
    tmuxSession: state?.tmuxSession ?? null,
    parent: state?.parent ?? null,
    ports: state?.ports ?? null,
    queuePosition: null,
    queuedAt: state?.queuedAt ?? null,
    after: state?.after ?? [],
    blockedReason: state?.status === 'blocked' ? state.reason ?? null : null,
  };
}

/**
 * Every task, from three sources read once each: the cache directory, `git worktree list`
 * and `git for-each-ref` — plus one `git rev-list` for all ahead counts. Never a git process per task.
 * Reading starts nothing: whether the watcher should run is the caller's decision (ensureWatcherFor).
 */
export async function loadTasks(repo: Repo, config: SupersetConfig, opts: { ahead?: boolean } = {}): Promise<TaskView[]> {
  const store = new TaskStore(repo);
  // A `start` killed mid-batch: its stale locks broken, its missing `started` events written.
  await reconcileStarts(repo, store);
  const [worktrees, branches] = await Promise.all([listWorktrees(repo.root), branchesUnder(repo.root, config.branchPrefix)]);
  // Queued tasks the cache lost (.git/superset deleted) come back from their anchors and notes.
  await rebuildQueue(repo, config, store);
  const wtByBranch = new Map(worktrees.filter((w) => w.branch).map((w) => [w.branch!.replace(/^refs\/heads\//, ''), w]));
  const wtByPath = new Map(worktrees.map((w) => [w.path, w]));
  const tipOf = new Map(branches.map((b) => [b.name, b.commit]));
  const views = new Map<string, TaskView>();

  const settledStates: TaskState[] = [];
  for (const state of store.all()) {
    const settled = store.settle(state);
    settledStates.push(settled);
    const wt = wtByPath.get(state.worktree) ?? wtByBranch.get(state.branch);
    const commit = tipOf.get(state.branch) ?? wt?.head ?? null;
    // A worktree listed by git but gone from disk is not somewhere anyone can work.
    views.set(state.name, view(settled, state.name, state.branch, wt && fs.existsSync(wt.path) ? wt : undefined, commit));
  }
  const unrecorded: TaskView[] = [];
  for (const b of branches) {
    const name = b.name.slice(config.branchPrefix.length);
    if (views.has(name) || taskNameProblem(name)) continue;
    const v = view(null, name, b.name, wtByBranch.get(b.name), b.commit);
    views.set(name, v);
    unrecorded.push(v);
  }
  // No runtime record (.git/superset deleted, or a task fetched by sync): the notes say how it went.
  if (unrecorded.length) await fillFromNotes(repo, unrecorded);

  const tasks = [...views.values()].sort((a, b) => a.name.localeCompare(b.name));
  const positions = queuePositions(settledStates);
  for (const t of tasks) t.queuePosition = positions.get(t.name) ?? null;
  if (opts.ahead !== false) {
    const withTips = tasks.filter((t) => t.commit);
    const bases = [...new Set(tasks.map((t) => t.base ?? 'HEAD'))];
    const counts = await aheadCounts(repo.root, withTips.map((t) => t.commit!), bases).catch(() => new Map<string, number>());
    for (const t of withTips) t.ahead = counts.get(t.commit!) ?? 0;
  }
  return tasks;
}

/**
 * The recorded tasks as the cache alone has them: no git, so no commit, no ahead count, and only
 * tasks with a record. For a screen to show something at once while loadTasks runs (the board's
 * first frame); never a replacement for it.
 */
export function cachedTasks(repo: Repo): TaskView[] {
  const store = new TaskStore(repo);
  return store
    .all()
    .map((state) => view(store.settle(state), state.name, state.branch, fs.existsSync(state.worktree) ? { path: state.worktree } : undefined, null))
    .sort((a, b) => a.name.localeCompare(b.name));
}
