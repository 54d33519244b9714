import fs from 'node:fs';
import type { Workspace } from '../context.js';
import type { TaskView } from '../task/catalog.js';
import { TaskStore } from '../task/store.js';
import { gitResult } from '../git/git.js';
import { changedPaths } from '../git/worktrees.js';
import { capture } from './tmux-io.js';
import { cleanLines, markStat } from './format.js';
import * as msg from '../messages.js';

/** What the right pane shows for one task. Every field keeps its last value while a new one loads. */
export interface Detail {
  task: string | null;
  /** The agent's screen (tmux) or the end of its log (headless). */
  output: string[];
  /** `git diff --stat` against the base, uncommitted files marked. */
  stat: string[];
  /** The full diff (colour), loaded on demand. */
  diff: string[] | null;
  /** The full log, loaded on demand. */
  log: string[] | null;
}

const TAIL_BYTES = 64 * 1024;
const LOG_BYTES = 2 * 1024 * 1024;

function readEnd(file: string, bytes: number): string {
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const len = Math.min(size, bytes);
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, size - len);
    return buf.toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** The commit the task's work is compared with: where its branch left the base. */
async function forkPoint(t: TaskView, cwd: string): Promise<string | null> {
  const res = await gitResult(['merge-base', t.base ?? 'HEAD', 'HEAD'], { cwd });
  return res.code === 0 ? res.stdout.trim() : null;
}

/**
 * Loads the selected task's output and diff, in the background. Output follows the task's log
 * file (tmux pipes the pane there too) with fs.watch, so an idle agent costs nothing; the diff
 * stat reloads when the task's record says its work changed. At most one load of each kind runs
 * at a time; a request made meanwhile runs once after it.
 */
export class DetailSource {
  private detail: Detail = { task: null, output: [], stat: [], diff: null, log: null };
  private task: TaskView | null = null;
  private signature = '';
  private logWatch: fs.FSWatcher | null = null;
  private readonly store: TaskStore;
  private readonly busy = new Set<string>();
  private readonly again = new Set<string>();
  private outputTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    ws: Workspace,
    private readonly onChange: (d: Detail) => void,
    private readonly statWidth = () => 60,
  ) {
    this.store = new TaskStore(ws.repo);
  }

  get current(): Detail {
    return this.detail;
  }

  /** The selected task (or its refreshed view): reloads what its change makes stale. */
  select(task: TaskView | null): void {
    const switched = task?.name !== this.task?.name;
    this.task = task;
    if (switched) {
      this.detail = { task: task?.name ?? null, output: [], stat: [], diff: null, log: null };
      this.signature = '';
      this.watchLog();
      this.onChange(this.detail);
      this.run('output', () => this.loadOutput());
    }
    if (!task) return;
    const sig = [task.commit, task.changedFiles, task.lastActivity, task.status, task.worktree].join('|');
    if (sig !== this.signature) {
      this.signature = sig;
      this.run('stat', () => this.loadStat());
      if (this.detail.diff) this.run('diff', () => this.loadDiff());
      if (!switched) this.run('output', () => this.loadOutput());
    }
  }

  /** Loads the full diff or log unless it is loaded or loading. */
  ensure(what: 'diff' | 'log'): void {
    if (this.detail[what] === null && !this.busy.has(what)) this.want(what);
  }

  /** (Re)loads the full diff or log. */
  want(what: 'diff' | 'log'): void {
    this.run(what, () => (what === 'diff' ? this.loadDiff() : this.loadLog()));
  }

  close(): void {
    this.closed = true;
    this.logWatch?.close();
    if (this.outputTimer) clearTimeout(this.outputTimer);
  }

  private watchLog(): void {
    this.logWatch?.close();
    this.logWatch = null;
    if (!this.task) return;
    const file = this.store.logFile(this.task.name);
    try {
      this.logWatch = fs.watch(file, () => {
        if (this.outputTimer) return;
        // An agent redrawing its screen writes many times a second: a few reads a second are plenty.
        this.outputTimer = setTimeout(() => {
          this.outputTimer = null;
          this.run('output', () => this.loadOutput());
        }, 250);
      });
      this.logWatch.on('error', () => {});
    } catch {
      /* no log yet: the next select after the record changes tries again */
    }
  }

  private set(task: string, patch: Partial<Detail>): void {
    if (this.closed || this.detail.task !== task) return; // the selection moved on meanwhile
    this.detail = { ...this.detail, ...patch };
    this.onChange(this.detail);
  }

  private run(kind: string, load: () => Promise<void>): void {
    if (this.busy.has(kind)) {
      this.again.add(kind);
      return;
    }
    this.busy.add(kind);
    load()
      .catch(() => {})
      .finally(() => {
        this.busy.delete(kind);
        if (this.again.delete(kind) && !this.closed) this.run(kind, load);
      });
  }

  private async loadOutput(): Promise<void> {
    const t = this.task;
    if (!t) return;
    if (!this.logWatch) this.watchLog();
    const screen = t.tmuxSession ? await capture(t.tmuxSession) : null;
    const text = screen ?? readEnd(this.store.logFile(t.name), TAIL_BYTES);
    this.set(t.name, { output: cleanLines(text) });
  }

  private async loadLog(): Promise<void> {
    const t = this.task;
    if (!t) return;
    const screen = t.tmuxSession ? await capture(t.tmuxSession, true) : null;
    const text = screen ?? readEnd(this.store.logFile(t.name), LOG_BYTES);
    this.set(t.name, { log: text ? cleanLines(text) : [msg.board.noOutput] });
  }

  private async loadStat(): Promise<void> {
    const t = this.task;
    if (!t?.worktree || !fs.existsSync(t.worktree)) {
      if (t) this.set(t.name, { stat: [msg.board.noWorktree] });
      return;
    }
    const base = await forkPoint(t, t.worktree);
    if (!base) return this.set(t.name, { stat: [msg.board.noForkPoint(t.branch, t.base ?? 'HEAD')] });
    const [stat, dirty] = await Promise.all([
      gitResult(['--no-optional-locks', 'diff', `--stat=${Math.max(40, this.statWidth())}`, base, '--'], { cwd: t.worktree }),
      changedPaths(t.worktree),
    ]);
    const lines = markStat(stat.code === 0 ? stat.stdout : '', dirty ?? []);
    this.set(t.name, { stat: lines.length ? lines : [msg.board.noChanges(t.base ?? 'HEAD')] });
  }

  private async loadDiff(): Promise<void> {
    const t = this.task;
    if (!t?.worktree || !fs.existsSync(t.worktree)) {
      if (t) this.set(t.name, { diff: [msg.board.noWorktree] });
      return;
    }
    const base = await forkPoint(t, t.worktree);
    if (!base) return this.set(t.name, { diff: [msg.board.noForkPoint(t.branch, t.base ?? 'HEAD')] });
    const [diff, dirty] = await Promise.all([
      gitResult(['--no-optional-locks', 'diff', '--color=always', base, '--'], { cwd: t.worktree }),
      changedPaths(t.worktree),
    ]);
    const lines = diff.code === 0 ? diff.stdout.split('\n') : [diff.stderr.trim()];
    // Untracked files are not in a diff against a commit; name them so they are not missed.
    const untracked = (dirty ?? []).filter((p) => !diff.stdout.includes(` b/${p}`));
    if (untracked.length) lines.push('', msg.board.untrackedHeading, ...untracked.map((p) => `  ${p}`));
    this.set(t.name, { diff: lines.length > 1 || lines[0] ? lines : [msg.board.noChanges(t.base ?? 'HEAD')] });
  }
}
