import path from 'node:path';
import type { Repo } from '../git/repo.js';
import type { SupersetConfig } from '../config/schema.js';
import { git, gitResult } from '../git/git.js';
import { appendNotes } from '../git/notes.js';
import type { NewNoteEvent } from '../git/note-line.js';
import { resolveCommit } from '../git/branches.js';
import { listWorktrees } from '../git/worktrees.js';
import { cliWords } from '../agents/agent.js';
import { resolveMcpServers } from '../agents/mcp-servers.js';
import { UserError } from '../errors.js';
import { anchorRef, anchorText, blobId } from './anchor.js';
import { recordStarted } from './events.js';
import { isPending, transition } from './lifecycle.js';
import { withFileLock } from './lock.js';
import { runPool } from './pool.js';
import { clearPendingStarted } from './reconcile.js';
import { schedule, type Readiness, type SchedTask } from './schedule.js';
import { prefixRefs } from './start-checks.js';
import { NotPending, startTask, type StartEnv } from './start-task.js';
import type { TaskState } from './state.js';
import type { TaskStore } from './store.js';

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
}

export const scheduleLockPath = (repo: Repo): string => path.join(repo.stateDir, 'schedule.lock');

/** Holding the schedule lock: while `start` records and launches a batch, the watcher waits. */
export function withScheduleLock<T>(repo: Repo, fn: () => Promise<T>): Promise<T> {
  return withFileLock(scheduleLockPath(repo), fn, 300_000);
}

/** Pure: the `queued` note event, with everything a rebuild of the record needs (task/queue-rebuild.ts). */
export function queuedEvent(s: TaskState): NewNoteEvent {
  return {
    t: s.queuedAt ?? s.startedAt,
    task: s.name,
    event: 'queued',
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
  const format = (await git(['rev-parse', '--show-object-format'], { cwd: repo.root })).trim() === 'sha256' ? 'sha256' : 'sha1';
  const blobs: string[] = [];
  const updates: string[] = [];
  const entries = queued.map((s) => {
    const text = anchorText({ task: s.name, branch: s.branch, base: s.base, baseCommit: s.baseCommit, agent: s.agent, startedAt: s.queuedAt ?? s.startedAt, prompt: s.prompt, queued: true });
    const oid = blobId(text, format);
    blobs.push(text);
    updates.push(`update ${anchorRef(s.name)} ${oid}\n`);
    return { commit: oid, event: queuedEvent(s) };
  });
  await appendNotes(repo, entries, { blobs });
  await git(['update-ref', '--stdin'], { cwd: repo.root, input: updates.join('') });
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
}

/** Launches what the schedule says (taking the schedule lock); see runQueueLocked. */
export function runQueue(repo: Repo, config: SupersetConfig, store: TaskStore, opts: RunQueueOptions = {}): Promise<QueueRun> {
  return withScheduleLock(repo, () => runQueueLocked(repo, config, store, opts));
}

/**
 * With the schedule lock held: decides (schedule.ts), launches those tasks (a few at a time, each
 * from its base as it is now), and decides again until nothing more fits. A launch that fails
 * leaves the task `failed` with the reason, so it is not retried on every tick.
 */
export async function runQueueLocked(repo: Repo, config: SupersetConfig, store: TaskStore, opts: RunQueueOptions = {}): Promise<QueueRun> {
  const out: QueueRun = { started: [], failed: [], blocked: [], recordError: null };
  const tried = new Set<string>();
  for (let round = 0; round < 100; round++) {
    const states = store.all().map((s) => store.settle(s));
    const decision = schedule(states.map((s) => schedTask(store, s)), {
      maxRunning: config.maxRunning,
      queueCountsIdle: config.queueCountsIdle,
      readiness: opts.readiness ? (t) => opts.readiness!(t, states) : undefined,
    });
    for (const b of decision.block) {
      const saved = await store.update(b.name, (cur) => {
        const next = transition(cur, { type: 'blocked', on: '', reason: b.reason });
        return next === cur ? null : next;
      });
      if (saved) {
        out.blocked.push(b);
        await recordOnAnchor(repo, { task: b.name, event: 'blocked', reason: b.reason }).catch(() => false);
      }
    }
    const names = decision.launch.filter((n) => !tried.has(n));
    if (names.length === 0) break;
    for (const n of names) tried.add(n);
    const byName = new Map(states.map((s) => [s.name, s]));
    const launched = await launchQueued(repo, config, store, names.map((n) => byName.get(n)!), opts);
    out.started.push(...launched.started);
    out.failed.push(...launched.failed);
    // One notes commit for the round; if this process dies first, the next reader writes them.
    await recordStarted(repo, launched.started)
      .then(() => clearPendingStarted(store, launched.started.map((t) => t.name)))
      .catch((e: unknown) => (out.recordError = e as Error));
  }
  return out;
}

/** Launches these queued tasks now (a few at a time); a failure marks that task failed. */
async function launchQueued(repo: Repo, config: SupersetConfig, store: TaskStore, tasks: TaskState[], opts: RunQueueOptions): Promise<Pick<QueueRun, 'started' | 'failed'>> {
  const [worktrees, refs] = await Promise.all([listWorktrees(repo.root), prefixRefs(repo, config.branchPrefix)]);
  const mcpServers = resolveMcpServers(config.mcpServers, cliWords({ task: '', stateDir: repo.stateDir }));
  const bases = new Map<string, Promise<string | null>>();
  const baseOf = (ref: string) => bases.get(ref) ?? bases.set(ref, resolveCommit(repo.root, ref)).get(ref)!;
  const started: Launched[] = [];
  const failed: QueueRun['failed'] = [];
  await runPool(tasks, 4, async (t) => {
    try {
      // The base as it is now: a task queued an hour ago starts from today's main, not that hour's.
      const commit = await baseOf(t.base);
      if (!commit) throw new UserError(`unknown base: ${t.base}`);
      const env: StartEnv = { repo, config, store, base: { ref: t.base, commit }, worktrees, prefixRefs: refs, cwd: t.cwd ?? opts.cwd ?? repo.root, mcpServers };
      const spec = { name: t.name, agent: t.agent, prompt: t.prompt, runner: t.runner, yolo: Boolean(t.yolo), ...(t.parent ? { parent: t.parent, depth: t.depth } : {}) };
      const s = await startTask(env, spec, { onlyIfPending: true });
      started.push(s);
      opts.onStarted?.(s);
      opts.log?.(`${t.name}: launched from the queue`);
    } catch (e) {
      if (e instanceof NotPending) return; // started, stopped or removed by someone else meanwhile
      const reason = `could not launch from the queue: ${(e as Error).message.split('\n')[0]}`;
      const at = new Date().toISOString();
      const saved = await store.update(t.name, (cur) => {
        const next = transition(cur, { type: 'launch-failed', at, reason });
        return next === cur ? null : next;
      });
      if (saved) await recordOnAnchor(repo, { t: at, task: t.name, event: 'launch-failed', reason }).catch(() => false);
      failed.push({ name: t.name, error: e as Error });
      opts.log?.(`${t.name}: ${reason}`);
    }
  });
  return { started, failed };
}

/** Whether any task waits to be launched (the watcher stays while one does). */
export const hasPending = (states: readonly TaskState[]): boolean => states.some((s) => isPending(s.status));
