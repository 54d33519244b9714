import fs from 'node:fs';
import type { Workspace } from '../context.js';
import { cachedTasks, loadTasks, type TaskView } from '../task/catalog.js';
import { TaskStore } from '../task/store.js';
import type { TaskState } from '../task/state.js';
import { ensureWatcherFor } from '../watch/daemon-control.js';

/**
 * The board's task list, kept current from the watcher's files. Two reads (and the cache alone
 * for the first frame, see open):
 * - fast: the cache directory only (no git), on every change of `.git/superset/tasks`, so a
 *   status change shows within a fraction of a second;
 * - full: `loadTasks` (what `ls --json` shows: worktrees, branches, ahead counts; a fixed
 *   number of git processes whatever the number of tasks) when the set of tasks changed, at most
 *   every few seconds while things change, and every minute otherwise.
 * Neither ever runs twice at once: a refresh asked for while one runs runs once after it, and
 * the board always shows the last value it has.
 */
export class TasksFeed {
  private readonly store: TaskStore;
  private views: TaskView[] = [];
  private watcher: fs.FSWatcher | null = null;
  private fastTimer: NodeJS.Timeout | null = null;
  private fullTimer: NodeJS.Timeout | null = null;
  private slowTimer: NodeJS.Timeout | null = null;
  private fullRunning: Promise<void> | null = null;
  private fullAgain = false;
  private lastFullAt = 0;
  /** Whether the views have been read from git at least once (not only from the cache). */
  fromGit = false;
  private closed = false;

  constructor(
    private readonly ws: Workspace,
    private readonly onTasks: (tasks: TaskView[]) => void,
    private readonly opts: { fastMs?: number; fullMinMs?: number; slowMs?: number } = {},
  ) {
    this.store = new TaskStore(ws.repo);
  }

  /**
   * Something to show at once: the cache's records (no git, no ahead counts), with the full read
   * following in the background. With no records (a fresh clone, a deleted cache: the tasks are
   * only in git) it waits for the full read instead of showing an empty board that is wrong.
   */
  async open(): Promise<TaskView[]> {
    const cached = cachedTasks(this.ws.repo);
    if (cached.length) {
      this.views = cached;
      // after the first frame is drawn (which follows this promise at once), not before it
      setImmediate(() => void this.full());
    } else await this.full();
    this.store.ensureDirs();
    try {
      // Every write of a task record renames a file into this directory.
      this.watcher = fs.watch(this.store.dir, () => this.scheduleFast());
      this.watcher.on('error', () => this.scheduleFull());
    } catch {
      /* no inotify left: the slow timer still refreshes */
    }
    this.slowTimer = setInterval(() => this.scheduleFull(), this.opts.slowMs ?? 60_000);
    this.slowTimer.unref();
    return this.views;
  }

  close(): void {
    this.closed = true;
    this.watcher?.close();
    for (const t of [this.fastTimer, this.fullTimer]) if (t) clearTimeout(t);
    if (this.slowTimer) clearInterval(this.slowTimer);
  }

  /** Asks for a full read soon (after an action changed tasks, say). */
  refresh(): void {
    this.scheduleFull(0);
  }

  private scheduleFast(): void {
    if (this.fastTimer || this.closed) return;
    // A burst of writes (a watcher batch, many tasks ending) becomes one read.
    this.fastTimer = setTimeout(() => {
      this.fastTimer = null;
      this.fast();
    }, this.opts.fastMs ?? 80);
  }

  private scheduleFull(delay?: number): void {
    if (this.fullTimer || this.closed) return;
    const wait = delay ?? Math.max(0, this.lastFullAt + (this.opts.fullMinMs ?? 3000) - Date.now());
    this.fullTimer = setTimeout(() => {
      this.fullTimer = null;
      void this.full();
    }, wait);
  }

  /** The cache files folded into the last full view; new or removed tasks ask for a full read. */
  private fast(): void {
    if (this.closed) return;
    const states = this.store.all();
    const merged = mergeStates(this.views, states.map((s) => this.store.settle(s)));
    if (merged.changedSet) this.scheduleFull(0);
    else this.scheduleFull(); // ahead counts follow at the slower pace
    this.views = merged.views;
    this.onTasks(this.views);
  }

  private async full(): Promise<void> {
    if (this.fullRunning) {
      this.fullAgain = true;
      return this.fullRunning;
    }
    this.fullRunning = (async () => {
      try {
        this.views = await loadTasks(this.ws.repo, this.ws.config);
        // Once per full refresh (a pid-file read when it runs): a watcher killed meanwhile comes back.
        ensureWatcherFor(this.ws.repo, this.views);
        this.lastFullAt = Date.now();
        this.fromGit = true;
        if (!this.closed) this.onTasks(this.views);
      } catch {
        /* git failed for a moment (a lock, a removed worktree): keep the last list */
      }
    })();
    await this.fullRunning;
    this.fullRunning = null;
    if (this.fullAgain && !this.closed) {
      this.fullAgain = false;
      this.scheduleFull();
    }
  }
}

/**
 * Pure: the runtime fields of the cache records laid over the last full views. `changedSet` when
 * a record appeared or vanished (a new or removed task: only a full read knows its branch).
 */
export function mergeStates(views: readonly TaskView[], states: readonly TaskState[]): { views: TaskView[]; changedSet: boolean } {
  const byName = new Map(states.map((s) => [s.name, s]));
  const known = new Set(views.filter((v) => v.runner !== null).map((v) => v.name));
  let changedSet = states.some((s) => !known.has(s.name));
  const out = views.map((v) => {
    const s = byName.get(v.name);
    if (!s) {
      if (v.runner !== null) changedSet = true;
      return v;
    }
    return {
      ...v,
      agent: s.agent,
      runner: s.runner,
      status: s.status,
      exitCode: s.exitCode ?? null,
      signal: s.signal ?? null,
      endedAt: s.endedAt ?? null,
      changedFiles: s.changedFiles ?? null,
      lastActivity: s.lastActivity ?? null,
      reason: s.reason ?? null,
      pid: s.pid ?? null,
      tmuxSession: s.tmuxSession ?? null,
    };
  });
  return { views: out, changedSet };
}
