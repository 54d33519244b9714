import path from 'node:path';
import type { Repo } from '../git/repo.js';
import type { SupersetConfig } from '../config/schema.js';
import { gitResult } from '../git/git.js';
import { appendNotes } from '../git/notes.js';
import type { NewNoteEvent } from '../git/note-line.js';
import { resolveCommit } from '../git/branches.js';
import { listWorktrees } from '../git/worktrees.js';
import { cliWords } from '../agents/agent.js';
import { resolveMcpServers } from '../agents/mcp-servers.js';
import { UserError } from '../errors.js';
import { anchorRef } from './anchor.js';
import { anchorOf, appendOnAnchors, recordStarted } from './events.js';
import { awaitsLaunch, transition } from './lifecycle.js';
import { withFileLock } from './lock.js';
import { clearPendingStarted } from './reconcile.js';
import { schedule, type Readiness, type SchedTask } from './schedule.js';
import { prereqBase, prereqFacts, readinessNow, type PrereqFact } from './prereqs.js';
import type { Readiness as GraphReadiness } from './task-graph.js';
import { prefixRefs } from './start-checks.js';
import { NotPending, startTask, type StartEnv } from './start-task.js';
import { cloneId } from './clone.js';
import type { TaskState } from './state.js';
import type { TaskStore } from './store.js';
import * as msg from '../messages.js';

/**
 * The queue: tasks recorded `queued` (no branch, no worktree yet) and launched when a slot frees,
 * by `start` right away and by the watcher afterwards. Both run `runQueue` under one schedule lock,
 * so two of them never count the same free slot twice; each launch also takes the task's start
 * lock (startTask), so a `start <task>` and the queue never both launch one task.
 */

export type Launched = TaskState & { relaunched: boolean };

export interface QueueRun {
  started: Launched[];
  failed: { name: string; error: Error }[];
  blocked: { name: string; reason: string }[];
  /** The `started` events could not be written (the agents run regardless). */
  recordError: Error | null;
  /** The run gave the lock back with tasks still to launch (it ran RUN_MS): run again soon. */
  more: boolean;
}

export const scheduleLockPath = (repo: Repo): string => path.join(repo.stateDir, 'schedule.lock');

/** Holding the schedule lock: while `start` records and launches a batch, the watcher waits. */
export function withScheduleLock<T>(repo: Repo, fn: () => Promise<T>): Promise<T> {
  return withFileLock(scheduleLockPath(repo), fn, 300_000);
}

/** Pure: the `queued` note event, with everything a rebuild of the record needs (task/queue-rebuild.ts). */
export function queuedEvent(s: TaskState, clone: string): NewNoteEvent {
  return {
    t: s.queuedAt ?? s.startedAt,
    task: s.name,
    event: 'queued',
    clone,
    agent: s.agent,
    branch: s.branch,
    base: s.base,
    baseCommit: s.baseCommit,
    runner: s.runner,
    queueIndex: s.queueIndex ?? 0,
    ...(s.yolo ? { yolo: true } : {}),
    ...(s.maxRunning ? { maxRunning: s.maxRunning } : {}),
    ...(s.after?.length ? { after: s.after } : {}),
    ...(s.parent ? { parent: s.parent, depth: s.depth ?? 1 } : {}),
    ...(s.cwd ? { cwd: s.cwd } : {}),
    ...(s.relaunch ? { relaunch: true } : {}),
    ...(s.prompt !== undefined ? { prompt: s.prompt } : {}),
  };
}

/**
 * Records queued tasks: their cache records, and in git an anchor each (the prompt, plain
 * `git cat-file -p superset/tasks/<task>`) with its `queued` event, one notes commit for the batch.
 */
export async function recordQueued(repo: Repo, store: TaskStore, queued: readonly TaskState[]): Promise<void> {
  if (queued.length === 0) return;
  for (const s of queued) store.write(s);
  // a relaunch keeps its anchor: its `queued` goes beside the events of its earlier runs
  await appendOnAnchors(repo, queued.map((s) => ({ anchor: anchorOf(s, s.queuedAt ?? s.startedAt, true), keepAnchor: Boolean(s.relaunch), event: queuedEvent(s, cloneId(repo)) })));
}

/** An event on a task that has no branch yet: on its anchor. False when it has no anchor. */
export async function recordOnAnchor(repo: Repo, event: NewNoteEvent): Promise<boolean> {
  const res = await gitResult(['rev-parse', '--verify', '--quiet', anchorRef(String(event.task))], { cwd: repo.root });
  if (res.code !== 0) return false;
  await appendNotes(repo, [{ commit: res.stdout.trim(), event }]);
  return true;
}

const schedTask = (store: TaskStore, s: TaskState): SchedTask => ({
  name: s.name,
  status: s.status,
  queuedAt: s.queuedAt,
  queueIndex: s.queueIndex,
  maxRunning: s.maxRunning,
  after: s.after,
  agentExited: s.status === 'finishing' && store.readExit(s.name) !== null,
});

export interface RunQueueOptions {
  log?: (line: string) => void;
  /** Asked for tasks with `after` (task/task-graph.ts); without it they keep waiting. */
  readiness?: (task: SchedTask, all: readonly TaskState[]) => Readiness;
  /** Where the caller's relative agent paths are resolved when a record does not say. */
  cwd?: string;
  /** Told as each task launches (progress). */
  onStarted?: (task: Launched) => void;
  /** Poked when a slot may have freed (the watcher's view of the tasks directory). */
  waker?: Waker;
  /**
   * Launch only what fits at the first decision (a `start` command: it returns once those run and
   * leaves the rest to the watcher), not what frees up while they launch.
   */
  firstDecisionOnly?: boolean;
  /** A task with prerequisites launches from their tips (task/prereqs.ts), or is blocked. */
  baseFor?: (task: TaskState) => Promise<{ ref: string; commit: string } | { blocked: string } | null>;
}

/** Launches what the schedule says (taking the schedule lock); see runQueueLocked. */
export function runQueue(repo: Repo, config: SupersetConfig, store: TaskStore, opts: RunQueueOptions = {}): Promise<QueueRun> {
  return withScheduleLock(repo, () => runQueueLocked(repo, config, store, opts));
}

/** Launches in flight at once: each is a few git processes and a worktree checkout. */
const LAUNCH_CONCURRENCY = 4;
/** A run gives the lock back after this long (then the watcher runs again), so a `start` waits little. */
const RUN_MS = 5000;

/**
 * Wakes a queue run that waits for something to change: the watcher pokes it when an agent exits
 * (a slot frees), so the next launch begins at once instead of after the launches in flight.
 */
export class Waker {
  private waiters: (() => void)[] = [];
  private poked = false;
  poke(): void {
    this.poked = true;
    for (const w of this.waiters.splice(0)) w();
  }
  /** Resolves at the next poke (at once if poked since the last wait). */
  wait(): Promise<void> {
    if (this.poked) {
      this.poked = false;
      return Promise.resolve();
    }
    return new Promise((r) => this.waiters.push(() => r()));
  }
  /** Forgets a poke that the caller is about to act on anyway. */
  clear(): void {
    this.poked = false;
  }
}

/**
 * With the schedule lock held: decides (schedule.ts), launches those tasks (a few at a time, each
 * from its base as it is now, the ones in flight counted as holding their slots), and decides again
 * whenever a launch finishes or the waker is poked, until nothing is in flight and nothing more fits.
 * A launch that fails leaves the task `failed` with the reason, so it is not retried on every tick.
 * `started` events are written in batches meanwhile (one notes commit each), never holding up a launch.
 */
export async function runQueueLocked(repo: Repo, config: SupersetConfig, store: TaskStore, opts: RunQueueOptions = {}): Promise<QueueRun> {
  const out: QueueRun = { started: [], failed: [], blocked: [], recordError: null, more: false };
  const tried = new Set<string>();
  const inflight = new Map<string, Promise<void>>();
  const waker = opts.waker ?? new Waker();
  const until = Date.now() + RUN_MS;
  const unrecorded: Launched[] = [];
  let recording: Promise<void> | null = null;
  const record = (): void => {
    if (recording || unrecorded.length === 0) return;
    const batch = unrecorded.splice(0);
    // if this process dies first, the next reader writes them (reconcile.ts)
    recording = recordStarted(repo, batch)
      .then(() => clearPendingStarted(store, batch.map((t) => t.name)))
      .catch((e: unknown) => void (out.recordError = e as Error))
      .finally(() => {
        recording = null;
        record();
      });
  };
  let allowed: Set<string> | null = null;
  for (;;) {
    waker.clear();
    const states = store.all().map((s) => store.settle(s));
    const tasks = states.map((s) => (inflight.has(s.name) ? { ...schedTask(store, s), status: 'starting' as const } : schedTask(store, s)));
    // Prerequisites without a record (cache deleted, merged and cleaned up) are read from git, once a decision.
    const waiting = states.filter((s) => s.status === 'queued' && s.after?.length);
    const facts = waiting.length && !opts.readiness ? await prereqFacts(repo, config, states, waiting) : new Map<string, PrereqFact>();
    const decision = schedule(tasks, {
      maxRunning: config.maxRunning,
      queueCountsIdle: config.queueCountsIdle,
      readiness: opts.readiness ? (t) => opts.readiness!(t, states) : (t) => schedReadiness(readinessNow(t.after ?? [], states, facts)),
    });
    let blockedNow = 0;
    for (const b of decision.block) {
      const saved = await store.update(b.name, (cur) => {
        const next = transition(cur, { type: 'blocked', on: '', reason: b.reason });
        return next === cur ? null : next;
      });
      if (saved) {
        blockedNow++;
        out.blocked.push(b);
        await recordOnAnchor(repo, { task: b.name, event: 'blocked', reason: b.reason }).catch(() => false);
      }
    }
    const room = Date.now() < until ? LAUNCH_CONCURRENCY - inflight.size : 0;
    if (opts.firstDecisionOnly) allowed ??= new Set(decision.launch);
    const names = decision.launch.filter((n) => !tried.has(n) && !inflight.has(n) && (!allowed || allowed.has(n))).slice(0, Math.max(0, room));
    if (names.length) {
      const byName = new Map(states.map((s) => [s.name, s]));
      const ctx = await launchContext(repo, config);
      for (const n of names) {
        tried.add(n);
        opts.log?.(`${n}: launching from the queue`);
        const work = launchOne(repo, config, store, byName.get(n)!, ctx, opts)
          .then((r) => {
            if (r.started) {
              out.started.push(r.started);
              unrecorded.push(r.started);
              record();
            }
            if (r.failed) out.failed.push(r.failed);
          })
          .finally(() => {
            inflight.delete(n);
            waker.poke();
          });
        inflight.set(n, work);
      }
    }
    // a task just blocked blocks those after it: decide again (c after b, after a failed a)
    if (inflight.size === 0 && names.length === 0 && blockedNow > 0) continue;
    if (inflight.size === 0) {
      out.more = decision.launch.some((n) => !tried.has(n) && (!allowed || allowed.has(n)));
      break;
    }
    await waker.wait();
  }
  while (recording) await recording;
  return out;
}

interface LaunchContext {
  worktrees: Awaited<ReturnType<typeof listWorktrees>>;
  refs: string[];
  mcpServers: StartEnv['mcpServers'];
  baseOf: (ref: string) => Promise<string | null>;
}

/** What the launches decided together share: read once (worktrees, refs, bases). */
async function launchContext(repo: Repo, config: SupersetConfig): Promise<LaunchContext> {
  const [worktrees, refs] = await Promise.all([listWorktrees(repo.root), prefixRefs(repo, config.branchPrefix)]);
  const bases = new Map<string, Promise<string | null>>();
  return {
    worktrees,
    refs,
    mcpServers: resolveMcpServers(config.mcpServers, cliWords({ task: '', stateDir: repo.stateDir })),
    baseOf: (ref) => bases.get(ref) ?? bases.set(ref, resolveCommit(repo.root, ref)).get(ref)!,
  };
}

/** Launches one queued task now; a failure marks it failed (a task taken meanwhile is left alone). */
async function launchOne(repo: Repo, config: SupersetConfig, store: TaskStore, t: TaskState, ctx: LaunchContext, opts: RunQueueOptions): Promise<{ started?: Launched; failed?: { name: string; error: Error } }> {
  try {
    // The base as it is now: a task queued an hour ago starts from today's main, not that hour's.
    // A task after others starts from their tips (merged when several), its base ref kept.
    const base = t.relaunch ? { ref: t.base, commit: t.baseCommit } : opts.baseFor ? await opts.baseFor(t) : t.after?.length ? await prereqBase(repo, t, await prereqFacts(repo, config, store.all().map((s) => store.settle(s)), [t])) : null;
    if (base && 'blocked' in base) {
      opts.log?.(`${t.name}: blocked: ${base.blocked}`);
      await store.update(t.name, (cur) => {
        const next = transition(cur, { type: 'blocked', on: '', reason: base.blocked });
        return next === cur ? null : next;
      });
      await recordOnAnchor(repo, { task: t.name, event: 'blocked', reason: base.blocked }).catch(() => false);
      return {};
    }
    const commit = base ? base.commit : await ctx.baseOf(t.base);
    if (!commit) throw new UserError(msg.start.unknownBase(t.base));
    const env: StartEnv = { repo, config, store, base: { ref: t.base, commit }, worktrees: ctx.worktrees, prefixRefs: ctx.refs, cwd: t.cwd ?? opts.cwd ?? repo.root, mcpServers: ctx.mcpServers };
    const spec = { name: t.name, agent: t.agent, prompt: t.prompt, runner: t.runner, yolo: Boolean(t.yolo), ...(t.parent ? { parent: t.parent, depth: t.depth } : {}) };
    const s = await startTask(env, spec, { onlyIfPending: true });
    opts.onStarted?.(s);
    opts.log?.(`${t.name}: launched from the queue`);
    return { started: s };
  } catch (e) {
    if (e instanceof NotPending) return {}; // started, stopped or removed by someone else meanwhile
    const reason = `could not launch from the queue: ${(e as Error).message.split('\n')[0]}`;
    const at = new Date().toISOString();
    const saved = await store.update(t.name, (cur) => {
      const next = transition(cur, { type: 'launch-failed', at, reason });
      return next === cur ? null : next;
    });
    if (saved) await recordOnAnchor(repo, { t: at, task: t.name, event: 'launch-failed', reason }).catch(() => false);
    opts.log?.(`${t.name}: ${reason}`);
    return { failed: { name: t.name, error: e as Error } };
  }
}

/** task-graph's readiness in the schedule's terms. */
const schedReadiness = (r: GraphReadiness): Readiness => (r.kind === 'blocked' ? { blocked: r.reason } : r.kind);

/** Whether any task waits to be launched (the watcher stays while one does; a blocked one waits for the user). */
export const hasQueued = (states: readonly TaskState[]): boolean => states.some((s) => awaitsLaunch(s.status));
