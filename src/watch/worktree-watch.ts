import path from 'node:path';
import type { Stats } from 'node:fs';
import { gitResult } from '../git/git.js';
import { alwaysIgnored, flushDelay, inIgnoredSet, splitNul } from './activity.js';
import { changedPaths } from '../git/worktrees.js';

type Chokidar = typeof import('chokidar');
type FSWatcher = import('chokidar').FSWatcher;

export interface Batch {
  /** Worktree-relative paths that changed and are not ignored by git. */
  active: string[];
  /** Uncommitted files now (`git status`, untracked included). */
  changedFiles: number;
  /** When the newest event of the batch arrived. */
  lastEventAt: number;
}

export interface WorktreeWatchOptions {
  debounceMs: number;
  maxDelayMs: number;
  onBatch: (batch: Batch) => void;
  onError: (error: NodeJS.ErrnoException) => void;
}

/**
 * One task worktree under chokidar. Only directories are watched: an inotify watch on a
 * directory already reports every change to the files in it (chokidar passes those on as `raw`
 * events), so a 1,000-file worktree costs ~50 watches instead of ~1,000. Git decides what is
 * ignored: the ignored entries are listed once at attach, new directories are checked once
 * when they appear, and a debounced batch costs one `git status` (plus one `check-ignore` only
 * for paths git has not explained yet).
 */
export class WorktreeWatch {
  private watcher: FSWatcher | null = null;
  private ignored = new Set<string>();
  private ready = false;
  private pending = new Set<string>();
  private firstEventAt = 0;
  private lastEventAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private closed = false;

  constructor(
    readonly worktree: string,
    private readonly opts: WorktreeWatchOptions,
  ) {}

  async attach(chokidar: Chokidar): Promise<void> {
    const res = await gitResult(['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory', '--no-empty-directory'], { cwd: this.worktree }).catch(() => null);
    if (res?.code === 0) for (const p of splitNul(res.stdout)) this.ignored.add(p);
    if (this.closed) return;
    const watcher = chokidar.watch(this.worktree, {
      ignoreInitial: true,
      followSymlinks: false,
      ignorePermissionErrors: true,
      ignored: (p: string, stats?: Stats) => this.isIgnored(p, stats),
    });
    this.watcher = watcher;
    watcher.on('raw', (_event, evPath, opts) => {
      const dir = (opts as { watchedPath?: string } | undefined)?.watchedPath;
      if (!dir) return;
      this.record(evPath ? path.join(dir, evPath) : dir);
    });
    watcher.on('error', (e) => this.opts.onError(e as NodeJS.ErrnoException));
    await new Promise<void>((resolve) => watcher.once('ready', resolve));
    this.ready = true;
  }

  private rel(p: string): string {
    return path.relative(this.worktree, p).split(path.sep).join('/');
  }

  private isIgnored(p: string, stats?: Stats): boolean {
    const rel = this.rel(p);
    if (rel === '') return false;
    if (alwaysIgnored(rel) || inIgnoredSet(rel, this.ignored)) return true;
    if (stats && !stats.isDirectory()) return true;
    // A directory made after attach (a build's output, say): ask git once, unwatch it if ignored.
    if (stats && this.ready) void this.checkNewDirectory(rel, p).catch(() => {});
    return false;
  }

  private async checkNewDirectory(rel: string, full: string): Promise<void> {
    const res = await gitResult(['check-ignore', '-q', '--', rel], { cwd: this.worktree, okCodes: [1] });
    if (res.code === 0 && !this.closed) {
      this.ignored.add(`${rel}/`);
      this.watcher?.unwatch(full);
    }
  }

  private record(full: string): void {
    const rel = this.rel(full);
    if (rel === '' || rel.startsWith('..') || alwaysIgnored(rel) || inIgnoredSet(rel, this.ignored)) return;
    const now = Date.now();
    if (this.pending.size === 0) this.firstEventAt = now;
    this.lastEventAt = now;
    this.pending.add(rel);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush().catch((e) => this.opts.onError(e as NodeJS.ErrnoException)), flushDelay(this.firstEventAt, now, this.opts.debounceMs, this.opts.maxDelayMs));
  }

  /** Turns the pending events into one batch. Batches never overlap. */
  async flush(): Promise<void> {
    this.timer = null;
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0 || this.closed) return;
    const paths = [...this.pending];
    const lastEventAt = this.lastEventAt;
    this.pending.clear();
    this.flushing = this.explain(paths, lastEventAt).finally(() => (this.flushing = null));
    await this.flushing;
  }

  private async explain(paths: string[], lastEventAt: number): Promise<void> {
    const uncommitted = await changedPaths(this.worktree);
    if (!uncommitted || this.closed) return;
    const changed = new Set(uncommitted);
    const unexplained = paths.filter((p) => !changed.has(p));
    let ignoredNow = new Set<string>();
    if (unexplained.length) {
      const res = await gitResult(['check-ignore', '-z', '--stdin'], { cwd: this.worktree, input: unexplained.join('\0') + '\0', okCodes: [1] });
      if (res.code === 0) ignoredNow = new Set(splitNul(res.stdout));
      // Learned once: the next write to an ignored log file costs no git process.
      for (const p of ignoredNow) this.ignored.add(p);
    }
    const active = paths.filter((p) => !ignoredNow.has(p));
    this.opts.onBatch({ active, changedFiles: changed.size, lastEventAt });
  }

  /** Asks git for the uncommitted count without any event (at attach, after a commit). */
  async recount(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.closed) return;
    this.flushing = this.explain([], Date.now()).finally(() => (this.flushing = null));
    await this.flushing;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.watcher?.close();
  }
}
