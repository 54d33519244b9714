import fs from 'node:fs';
import type { Repo } from '../git/repo.js';
import type { SupersetConfig } from '../config/schema.js';
import { readBranchTip } from '../git/gitdir.js';
import { takeSnapshot } from '../git/snapshots.js';
import { recordMissingCommits } from '../task/missing-commits.js';
import { TaskStore, isAlive } from '../task/store.js';
import type { TaskState } from '../task/state.js';
import { awaitsLaunch, isFinal, isLive, transition, type LifecycleEvent } from '../task/lifecycle.js';
import { hasQueued, runQueue, Waker } from '../task/queue.js';
import { agentRunning } from '../task/liveness.js';
import { stopAgent } from '../task/stop-agent.js';
import { recordExit } from '../task/commit-on-exit.js';
import { bestEffort, recordOnTip } from '../task/events.js';
import { tmux } from '../runner/tmux.js';
import { isIdleDue, isSnapshotDue, shouldExit, watchLimitMessage } from './activity.js';
import { claimWatcher, ownsWatcher, releaseWatcher, watchFiles } from './daemon-control.js';
import { WorktreeWatch, type Batch } from './worktree-watch.js';
import { Notifier } from './notify.js';
import * as msg from '../messages.js';

/**
 * The watcher daemon: one process per repository watching every live task's worktree.
 * It records activity, idle and vanished agents in the task cache (through TaskStore.update, under
 * each task's lock) and writes snapshots. It keeps no state of its own that matters: on (re)start
 * it reads the cache, git refs and pids again, so a daemon killed with -9 loses nothing, and
 * snapshots of an unchanged tree are skipped, so nothing is recorded twice.
 */
export interface DaemonOptions {
  config: SupersetConfig;
  log: (line: string) => void;
  tickMs?: number;
  /** Leave after this long with no live task. */
  lingerSeconds?: number;
  debounceMs?: number;
}

interface Watched {
  task: TaskState;
  watch: WorktreeWatch;
  tip: string | null | undefined;
  /** Changed since the last snapshot attempt. */
  pending: boolean;
  lastChangeAt: number;
  snapshotting: boolean;
  /** When the branch tip last moved (or was first seen), until its commits are checked for notes. */
  tipMovedAt: number | null;
}

const SNAPSHOT_CONCURRENCY = 2;
const COMMIT_NOTE_DELAY_MS = 5000;

export class WatchDaemon {
  private readonly store: TaskStore;
  private readonly watched = new Map<string, Watched>();
  private lastLiveAt = Date.now();
  private warned = new Set<string>();
  private snapshotsRunning = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;
  private finished!: Promise<void>;
  private finish!: () => void;
  private chokidar!: typeof import('chokidar');
  private states: TaskState[] = [];
  private statesStamp = '';
  private statesReadAt = 0;
  private recording: Promise<void> | null = null;
  /** Tasks being ended or recorded by the watcher itself (a lost terminal, a vanished wrapper). */
  private readonly ending = new Map<string, Promise<void>>();
  private readonly notifier: Notifier;
  /** The queue's launches (task/queue.ts), one run at a time; `again`: poked while one ran. */
  private scheduling: Promise<void> | null = null;
  private scheduleAgain = false;
  /** Some task waited to be launched when last looked. */
  private pendingSeen = false;
  private dirWatch: fs.FSWatcher | null = null;
  /** Wakes a queue run in progress: a slot may have freed. */
  private readonly waker = new Waker();

  constructor(
    readonly repo: Repo,
    private readonly opts: DaemonOptions,
  ) {
    this.store = new TaskStore(repo);
    this.notifier = new Notifier(opts.config.notify, opts.log);
  }

  /** Runs until stopped or no task has been live for a while. Resolves to the pid of another daemon when one already runs. */
  async run(): Promise<number | null> {
    const other = await claimWatcher(this.repo.stateDir);
    if (other) return other;
    this.chokidar = await import('chokidar');
    this.finished = new Promise((resolve) => (this.finish = resolve));
    this.opts.log(msg.watch.watching(this.repo.root, process.pid));
    // One task's failure (its worktree deleted under a git call, say) must never end the watcher
    // for the others: what escapes is logged, and the next tick goes on.
    process.on('unhandledRejection', this.onStray);
    process.on('uncaughtException', this.onStray);
    this.watchTaskDir();
    const loop = async () => {
      if (this.stopping) return;
      try {
        await this.tick();
      } catch (e) {
        this.opts.log(msg.watch.tickFailed((e as Error).message));
      }
      if (!this.stopping) this.timer = setTimeout(loop, this.opts.tickMs ?? 2000);
    };
    await loop();
    await this.finished;
    return null;
  }

  private readonly onStray = (e: unknown): void => this.opts.log(msg.watch.stray(e instanceof Error ? e.message.split('\n')[0]! : String(e)));

  async stop(why: string): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.dirWatch?.close();
    this.opts.log(msg.watch.stopping(why));
    await this.scheduling;
    await Promise.all([...this.watched.values()].map((w) => w.watch.close().catch(() => {})));
    await this.recording;
    await Promise.all(this.ending.values());
    this.watched.clear();
    releaseWatcher(this.repo.stateDir);
    process.off('unhandledRejection', this.onStray);
    process.off('uncaughtException', this.onStray);
    this.finish();
  }

  private async tick(): Promise<void> {
    // The repository was deleted (a test's temp dir, say) or someone else now owns the pid file.
    if (!fs.existsSync(this.repo.commonDir)) return this.stop(msg.watch.repoGone);
    if (!fs.existsSync(watchFiles(this.repo.stateDir).pid)) return this.stop(msg.watch.pidFileRemoved);
    if (!ownsWatcher(this.repo.stateDir)) return this.stop(msg.watch.otherOwner);
    const now = Date.now();
    const running: TaskState[] = [];
    const seen: TaskState[] = [];
    for (const state of this.readStates(now)) {
      const settled = await this.guard(state.name, () => this.reconcile(state));
      if (settled) seen.push(settled);
      if (settled && isLive(settled.status)) running.push(settled);
    }
    this.notifier.observe(seen); // config notify: waiting / done / failed transitions
    const pending = seen.filter((t) => awaitsLaunch(t.status)).length;
    this.pendingSeen = pending > 0;
    if (pending) this.poke();
    // A live task whose worktree is gone has nothing to watch, but its agent may still need ending.
    const live = running.filter((t) => fs.existsSync(t.worktree));
    if (running.length) this.lastLiveAt = now;
    const liveNames = new Set(live.map((t) => t.name));
    for (const [name, w] of this.watched) if (!liveNames.has(name)) await this.guard(name, () => this.detach(w));
    for (const t of live) {
      const w = this.watched.get(t.name);
      if (w) w.task = t;
      else await this.guard(t.name, () => this.attach(t));
    }
    for (const t of live) if (t.pid && isIdleDue(t, now, this.opts.config.idleSeconds) && isAlive(t.pid)) await this.guard(t.name, () => this.markIdle(t.name));
    for (const w of this.watched.values()) {
      this.checkTip(w);
      if (isSnapshotDue(w.pending, w.lastChangeAt, now, this.opts.config.snapshot.quietSeconds)) this.snapshot(w);
    }
    this.endLostTerminals(running);
    this.recordCommits(now);
    // queued tasks keep it: it is the one that launches them
    if (pending) this.lastLiveAt = now;
    if (shouldExit(running.length + this.ending.size + pending + (this.scheduling ? 1 : 0), this.lastLiveAt, now, this.opts.lingerSeconds ?? 120)) await this.stop(msg.watch.noLiveTask);
  }

  /**
   * A slot frees the moment an agent exits: its wrapper writes `<task>.exit` into the tasks
   * directory, and its record is renamed into it when the exit is recorded. Either pokes the
   * queue at once, so the next task starts well within the 2 s tick.
   */
  private watchTaskDir(): void {
    try {
      this.store.ensureDirs();
      this.dirWatch = fs.watch(this.store.dir, (_type, file) => {
        if (!this.pendingSeen || this.stopping) return;
        if (file && !file.endsWith('.exit') && !file.endsWith('.json')) return;
        this.poke();
      });
      this.dirWatch.on('error', () => {
        this.dirWatch?.close();
        this.dirWatch = null; // the directory was deleted: the tick still schedules
      });
    } catch (e) {
      this.opts.log(msg.watch.cannotWatchTaskDir(this.store.dir, (e as Error).message));
    }
  }

  /** Runs the queue now, or once more right after the run in progress. */
  private poke(): void {
    if (this.stopping) return;
    if (this.scheduling) {
      this.scheduleAgain = true;
      this.waker.poke();
      return;
    }
    this.scheduling = (async () => {
      for (;;) {
        this.scheduleAgain = false;
        const run = await runQueue(this.repo, this.opts.config, this.store, { log: (l) => this.opts.log(l), waker: this.waker });
        if (run.recordError) this.opts.log(msg.watch.cannotRecordStarted(run.recordError.message.split('\n')[0]!));
        this.pendingSeen = hasQueued(this.store.all());
        if (!this.pendingSeen || this.stopping || !(this.scheduleAgain || run.more)) break;
        // a long run gave the schedule lock back: a `start` waiting for it gets in first
        if (run.more) await new Promise((r) => setTimeout(r, 50));
      }
    })()
      .catch((e) => this.opts.log(msg.watch.queueFailed((e as Error).message.split('\n')[0]!)))
      .finally(() => (this.scheduling = null));
  }

  /** Runs one task's share of a tick; its failure is logged and never stops the others'. */
  private async guard<T>(task: string, fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (e) {
      this.opts.log(msg.watch.taskFailed(task, (e as Error).message.split('\n')[0]!));
      return null;
    }
  }

  /** Applies a lifecycle event under the task's lock; returns the saved state, or null when nothing changed. */
  private apply(name: string, event: (s: TaskState) => LifecycleEvent | null): Promise<TaskState | null> {
    return this.store.update(name, (cur) => {
      const e = event(cur);
      const next = e ? transition(cur, e) : cur;
      return next === cur ? null : next;
    });
  }

  /**
   * A tmux task whose session (or whole server: kill-server, a crash, a logout) went away while
   * its agent still runs would run on invisibly: real TUIs ignore the hang-up. It is ended like a
   * `stop` (TERM, KILL after stopTimeoutSeconds) and recorded. One `tmux list-sessions` per tick,
   * only while some tmux task is live.
   */
  private endLostTerminals(running: TaskState[]): void {
    const candidates = running.filter((t) => t.runner === 'tmux' && t.tmuxSession && t.pid && t.status !== 'starting' && !this.ending.has(t.name));
    if (candidates.length === 0) return;
    const res = tmux(['list-sessions', '-F', '#{session_name}']);
    let sessions: Set<string>;
    if (res.code === 0) sessions = new Set(res.stdout.split('\n').filter(Boolean));
    else if (res.code === 1 && /no server running|error connecting|no sessions/i.test(res.stderr)) sessions = new Set();
    else return; // tmux cannot tell (not installed, say): never end an agent on a guess
    for (const t of candidates) {
      if (sessions.has(t.tmuxSession!)) continue;
      // The agent exited and its wrapper is recording that: let it finish.
      if (this.store.readExit(t.name)) continue;
      if (!agentRunning(t)) continue;
      this.endTask(t, msg.watch.lostTerminal(t.tmuxSession!));
    }
  }

  private endTask(t: TaskState, reason: string): void {
    const timeoutMs = this.opts.config.stopTimeoutSeconds * 1000;
    const work = (async () => {
      const at = new Date().toISOString();
      const saved = await this.apply(t.name, () => ({ type: 'stop-requested', at, reason }));
      if (!saved) return; // ended meanwhile
      this.opts.log(msg.watch.ending(t.name, reason));
      const how = await stopAgent(t.pid ?? null, null, timeoutMs);
      await bestEffort('the stop', () => recordOnTip(this.repo, t.branch, { t: at, task: t.name, event: 'stopped', how, reason }), (l) => this.opts.log(l.trim()));
      // A wrapper that outlived TERM (it traps it) recorded the exit itself (the record has its
      // code); one that was dead already, or went with the KILL (its `_exited` too), could not:
      // its leftovers and `exited` are recorded here.
      if (this.store.read(t.name)?.exitCode === undefined) await recordExit(this.repo, this.opts.config, saved, (l) => this.opts.log(l.trim()));
      this.opts.log(msg.watch.agentStopped(t.name, how));
    })()
      .catch((e) => this.opts.log(msg.watch.cannotEnd(t.name, (e as Error).message.split('\n')[0]!)))
      .finally(() => this.ending.delete(t.name));
    this.ending.set(t.name, work);
  }

  /**
   * The task records, re-read only when the directory changed (every write renames a file into
   * it) or after a while: at 100 tasks, parsing every record every second is most of the idle CPU.
   */
  private readStates(now: number): TaskState[] {
    let stamp = '';
    try {
      const st = fs.statSync(this.store.dir);
      stamp = `${st.mtimeMs}:${st.ctimeMs}`;
    } catch {
      /* no tasks directory yet */
    }
    if (stamp !== this.statesStamp || now - this.statesReadAt > 10_000) {
      this.states = this.store.all();
      this.statesStamp = stamp;
      this.statesReadAt = now;
    }
    return this.states;
  }

  /**
   * Folds in what the processes say (store.observe): an exit the runner recorded but could not
   * apply, a wrapper that is recording one, or a pid that vanished without one. A vanished agent's
   * leftovers are committed and its `exited` note written here, since no wrapper is left to do it.
   */
  private async reconcile(state: TaskState): Promise<TaskState> {
    const event = this.store.observe(state);
    if (!event) return state;
    const settled = transition(state, event);
    if (settled === state) return state;
    const saved = await this.apply(state.name, (cur) => this.store.observe(cur));
    if (!saved) return this.store.read(state.name) ?? settled;
    if (saved.status !== state.status) this.opts.log(msg.watch.statusChanged(state.name, state.status, saved.status, saved.reason));
    if (event.type === 'wrapper-vanished' && isFinal(saved.status) && !this.ending.has(state.name)) {
      const work = recordExit(this.repo, this.opts.config, saved, (l) => this.opts.log(l.trim()))
        .then(() => undefined)
        .catch((e) => this.opts.log(msg.watch.cannotRecordExit(state.name, (e as Error).message.split('\n')[0]!)))
        .finally(() => this.ending.delete(state.name));
      this.ending.set(state.name, work);
    }
    return saved;
  }

  private async attach(task: TaskState): Promise<void> {
    const w: Watched = { task, tip: undefined, pending: false, lastChangeAt: 0, snapshotting: false, tipMovedAt: null, watch: null! };
    w.watch = new WorktreeWatch(task.worktree, {
      debounceMs: this.opts.debounceMs ?? 200,
      maxDelayMs: 1000,
      onBatch: (batch) => void this.recordBatch(w, batch).catch((e) => this.opts.log(msg.watch.taskError(task.name, (e as Error).message.split('\n')[0]!))),
      onError: (e) => this.onWatchError(task.name, e),
    });
    this.watched.set(task.name, w);
    try {
      await w.watch.attach(this.chokidar);
    } catch (e) {
      this.opts.log(msg.watch.cannotWatch(task.name, task.worktree, (e as Error).message));
    }
    // Reconcile with what happened while nobody watched: the count from git, and a snapshot
    // attempt (skipped when the tree equals the last snapshot).
    await w.watch.recount();
    w.pending = (w.task.changedFiles ?? 0) > 0;
    this.opts.log(msg.watch.watchingTask(task.name, task.worktree));
  }

  private async detach(w: Watched): Promise<void> {
    this.watched.delete(w.task.name);
    // The worktree may be gone already (rm --force): nothing left to read there.
    if (fs.existsSync(w.task.worktree)) await w.watch.flush().catch(() => {});
    await w.watch.close();
    // The agent is gone (maybe killed before it could commit): keep what it left.
    if (w.pending) {
      w.lastChangeAt = 0;
      this.snapshot(w);
    }
    this.opts.log(msg.watch.stoppedWatching(w.task.name, this.store.read(w.task.name)?.status ?? 'removed'));
  }

  private async recordBatch(w: Watched, batch: Batch): Promise<void> {
    const active = batch.active.length > 0;
    if (active) {
      w.lastChangeAt = batch.lastEventAt;
      w.pending = true;
    }
    const saved = await this.apply(w.task.name, () => ({ type: 'activity', at: active ? batch.lastEventAt : null, changedFiles: batch.changedFiles }));
    if (saved) w.task = saved;
  }

  private async markIdle(name: string): Promise<void> {
    const now = Date.now();
    const saved = await this.apply(name, () => ({ type: 'quiet', now, idleSeconds: this.opts.config.idleSeconds }));
    const w = this.watched.get(name);
    if (saved && w) w.task = saved;
  }

  private checkTip(w: Watched): void {
    const tip = readBranchTip(this.repo.commonDir, w.task.branch);
    if (tip === w.tip) return;
    const first = w.tip === undefined;
    w.tip = tip;
    // Checked for missing notes a little later (and once after attach, which is the reconcile
    // after a restart): the post-commit hook writes its own note right after the ref moves.
    w.tipMovedAt = Date.now();
    if (first) return;
    // A commit in the worktree changes what is uncommitted without touching a watched file.
    void w.watch.recount().catch(() => {});
  }

  /** Commits that skipped our hooks (--no-verify, other tools) get their note; one call for all due tasks. */
  private recordCommits(now: number): void {
    if (this.recording) return;
    const due = [...this.watched.values()].filter((w) => w.tipMovedAt !== null && now - w.tipMovedAt >= COMMIT_NOTE_DELAY_MS);
    if (due.length === 0) return;
    for (const w of due) w.tipMovedAt = null;
    const tasks = due.map((w) => ({ name: w.task.name, branch: w.task.branch, base: w.task.baseCommit }));
    this.recording = recordMissingCommits(this.repo, tasks)
      .then((added) => {
        if (added) this.opts.log(msg.watch.recordedCommits(added));
      })
      .catch((e) => this.opts.log(msg.watch.recordingCommitsFailed((e as Error).message.split('\n')[0]!)))
      .finally(() => (this.recording = null));
  }

  private snapshot(w: Watched): void {
    if (w.snapshotting || this.snapshotsRunning >= SNAPSHOT_CONCURRENCY) return;
    w.snapshotting = true;
    w.pending = false;
    this.snapshotsRunning++;
    takeSnapshot({ worktree: w.task.worktree, task: w.task.name, agent: w.task.agent, scratchDir: this.repo.stateDir })
      .then((res) => {
        if (res.made) this.opts.log(msg.watch.snapshot(w.task.name, res.commit));
        else if (res.reason === 'busy') w.pending = true; // try again after the git operation
      })
      .catch((e) => {
        w.pending = true;
        this.opts.log(msg.watch.snapshotFailed(w.task.name, (e as Error).message.split('\n')[0]!));
      })
      .finally(() => {
        w.snapshotting = false;
        this.snapshotsRunning--;
      });
  }

  private onWatchError(task: string, e: NodeJS.ErrnoException): void {
    let limit: number | null = null;
    try {
      limit = Number(fs.readFileSync('/proc/sys/fs/inotify/max_user_watches', 'utf8').trim()) || null;
    } catch {
      /* not Linux */
    }
    const message = watchLimitMessage(e.code, limit);
    const key = message ? e.code! : `${task}:${e.code ?? e.message}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.opts.log(message ?? msg.watch.watchError(task, e.message));
  }
}
