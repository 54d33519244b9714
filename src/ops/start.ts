import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors.js';
import * as msg from '../messages.js';
import type { Workspace } from '../context.js';
import { agentArgv, agentLabel, findExecutable, resolveAgentBinary } from '../agents/resolve.js';
import { listWorktrees } from '../git/worktrees.js';
import { pickRunner, type RunnerName } from '../runner/launch.js';
import { initRepo } from '../task/init.js';
import { assertTaskName } from '../task/name.js';
import { duplicateNames, fanOut, parseTaskFile } from '../task/task-file.js';
import { resolveBase, startTask, type StartSpec } from '../task/start-task.js';
import { TaskStore } from '../task/store.js';
import type { TaskState } from '../task/state.js';
import { runPool } from '../task/pool.js';
import { recordStarted } from '../task/events.js';
import { cliWords } from '../agents/agent.js';
import { resolveMcpServers } from '../agents/mcp-servers.js';
import { takesMcpServers } from '../agents/registry.js';
import type { SupersetConfig } from '../config/schema.js';
import { assertWorktreesDir, branchBlocked, prefixProblem, prefixRefs } from '../task/start-checks.js';
import { clearPendingStarted } from '../task/reconcile.js';
import { taskBranch, worktreePath, worktreesDir } from '../task/paths.js';
import { cloneId } from '../task/clone.js';
import { queuedEvent, recordOnAnchor, recordQueued, runQueueLocked, withScheduleLock, type QueueRun } from '../task/queue.js';
import { queuePositions } from '../task/schedule.js';
import { isFinal, isPending, transition } from '../task/lifecycle.js';
import { promptProblem } from '../runner/arg-limits.js';
import { afterList, blockedBehind, graphProblem, type GraphNode } from '../task/task-graph.js';

/** The parent and depth of tasks started from inside task `parent`; refuses past config maxDepth. */
function parentOf(ws: Workspace, parent: string | undefined): { parent?: string; depth?: number } {
  if (!parent) return {};
  // A parent whose record is gone (cache deleted) still counts as one level down.
  const depth = (new TaskStore(ws.repo).read(parent)?.depth ?? 0) + 1;
  if (depth > ws.config.maxDepth) {
    throw new UserError(msg.start.tooDeep(parent, depth, ws.config.maxDepth));
  }
  return { parent, depth };
}

/** One line per agent that has no way to take the configured MCP servers. */
function mcpWarnings(agents: string[], config: SupersetConfig, mode: 'interactive' | 'headless'): string[] {
  const out: string[] = [];
  for (const agent of new Set(agents)) {
    if (!takesMcpServers(agentArgv({ agent, mode, yolo: false, resume: false }, config))) out.push(`${agentLabel(agent)} cannot be handed MCP servers (config mcpServers): it runs without them`);
  }
  return out;
}

export interface StartOptions {
  names: string[];
  agent?: string;
  /** best-of-N: each task once per agent, as <task>-<agent> */
  agents?: string[];
  prompt?: string;
  /** Read the prompt from this file (relative to cwd) instead. */
  promptFile?: string;
  base?: string;
  /** Adopt this existing branch (one task only). */
  branch?: string;
  /** A tasks file (`name: prompt` lines or `## name` headings), relative to cwd. */
  from?: string;
  /**
   * Prerequisites of every task this start names (`--after`): each waits until they are done,
   * then starts from their tips. Added to what a tasks file says per task.
   */
  after?: string[];
  runner?: 'auto' | RunnerName;
  yolo?: boolean;
  /**
   * At most this many agents run at once (over config maxRunning): new tasks past it are recorded
   * `queued` and the watcher launches them as slots free. Naming a queued task starts it now.
   */
  maxRunning?: number;
  /** Where relative paths (the tasks file, an agent path) are resolved. */
  cwd: string;
  signal?: AbortSignal;
  /**
   * The task this start runs inside (its agent leads sub-tasks): recorded as their parent, and
   * limited by config maxDepth.
   */
  parent?: string;
  /** Called once every check passed, with the number of tasks about to start. */
  onPlanned?: (total: number) => void;
  /** Called once tasks were recorded queued, before any is launched (the CLI starts the watcher then). */
  onQueued?: () => void;
  /** Called as each task starts (progress). */
  onStarted?: (task: StartedTask) => void;
  /** Called as each config setup command starts in a new worktree (progress). */
  onSetup?: (task: string, command: string) => void;
}

export type StartedTask = TaskState & { relaunched: boolean };
/** A task recorded `queued`: its place in the queue (1-based) once the batch was scheduled. */
export type QueuedTask = TaskState & { queuePosition: number | null };

export interface StartFailure {
  name: string;
  error: Error;
}

export interface StartResult {
  started: StartedTask[];
  /** Recorded `queued` (maxRunning reached): the watcher launches them as slots free. */
  queued: QueuedTask[];
  failed: StartFailure[];
  /** Said before starting, e.g. an agent that cannot be handed the configured MCP servers. */
  warnings: string[];
  /** The batch's `started` events could not be written (the agents run regardless). */
  recordError: Error | null;
  total: number;
  aborted: boolean;
}

function readPromptFile(cwd: string, file: string): string {
  try {
    return fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new UserError(msg.start.promptFileUnreadable(file, (e as NodeJS.ErrnoException).code ?? (e as Error).message));
  }
}

/** `previousAgent`: what a task already started ran, so a relaunch without --agent runs it again. */
function specsOf(opts: StartOptions, defaultAgent: string, previousAgent: (name: string) => string | undefined): Omit<StartSpec, 'runner' | 'yolo'>[] {
  const prompt = opts.promptFile !== undefined ? readPromptFile(opts.cwd, opts.promptFile) : opts.prompt;
  let specs: { name: string; prompt?: string; agent?: string; after?: string[] }[] = opts.names.map((name) => ({ name, prompt }));
  if (opts.from) {
    const file = path.resolve(opts.cwd, opts.from);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      throw new UserError(msg.start.tasksFileUnreadable(opts.from));
    }
    specs.push(...parseTaskFile(text, opts.from));
  }
  if (specs.length === 0) throw new UserError(msg.start.noTasks);
  if (opts.branch && specs.length !== 1) throw new UserError(msg.start.branchNeedsOneTask);
  specs = fanOut(specs, opts.agents ?? [], agentLabel);
  // Every name is checked before any task is made: one bad name in a batch creates nothing.
  for (const s of specs) assertTaskName(s.name);
  const common = afterList(opts.after ?? []);
  for (const s of specs) {
    const after = afterList([...(s.after ?? []), ...common]);
    if (after.length) s.after = after;
    else delete s.after;
  }
  for (const s of specs) {
    const problem = promptProblem(s.prompt);
    if (problem) throw new UserError(specs.length > 1 ? `${s.name}: ${problem}` : problem);
  }
  const dups = duplicateNames(specs.map((s) => s.name));
  if (dups.length) throw new UserError(msg.start.namedTwice(dups));
  return specs.map((s) => ({
    name: s.name,
    prompt: s.prompt,
    agent: s.agent ?? opts.agent ?? previousAgent(s.name) ?? defaultAgent,
    ...(opts.branch ? { branch: opts.branch } : {}),
    ...(s.after ? { after: s.after } : {}),
  }));
}

/** Every task there is, for the graph check: records (with a pending one's prerequisites) and task branches. */
function existingNodes(store: TaskStore, refs: readonly string[], prefix: string): GraphNode[] {
  const nodes = new Map<string, GraphNode>();
  for (const r of refs) if (r.startsWith(`refs/heads/${prefix}`)) nodes.set(r.slice(`refs/heads/${prefix}`.length), { name: r.slice(`refs/heads/${prefix}`.length) });
  for (const s of store.all()) nodes.set(s.name, { name: s.name, ...(isPending(s.status) && s.after ? { after: s.after } : {}) });
  return [...nodes.values()];
}

/** A task that exists beyond a waiting record (it ran, or has a branch): prerequisites cannot come before it any more. */
function startedAlready(store: TaskStore, refs: readonly string[], config: SupersetConfig, spec: StartSpec): boolean {
  const found = store.read(spec.name);
  if (found) return !isPending(store.settle(found).status);
  return spec.branch !== undefined || refs.includes(`refs/heads/${taskBranch(config, spec.name)}`);
}

function chooseRunner(wanted: 'auto' | RunnerName): RunnerName {
  if (wanted === 'tmux' && !findExecutable('tmux')) throw new UserError(msg.start.noTmux);
  return pickRunner(wanted);
}

/**
 * Starts tasks: a branch, a worktree and an agent each. Everything that can be known wrong
 * (names, agents, base) is checked before anything is made; then each task starts on its own
 * and a failure rolls back only that task. Never throws for one task's failure: see `failed`.
 */
export async function startTasks(ws: Workspace, opts: StartOptions): Promise<StartResult> {
  const { repo, config } = ws;
  if (opts.maxRunning !== undefined && !(Number.isInteger(opts.maxRunning) && opts.maxRunning >= 1)) throw new UserError(msg.start.badMaxRunning(String(opts.maxRunning)));
  const runner = chooseRunner(opts.runner && opts.runner !== 'auto' ? opts.runner : config.runner);
  const store = new TaskStore(repo);
  const specs = specsOf(opts, config.agent, (name) => store.read(name)?.agent).map((s) => ({ ...s, runner, yolo: Boolean(opts.yolo || config.yolo) }));
  const mode = runner === 'tmux' ? 'interactive' : 'headless';
  const lineage = parentOf(ws, opts.parent);
  const servers = resolveMcpServers(config.mcpServers, cliWords({ task: '', stateDir: repo.stateDir }));
  const warnings = Object.keys(servers).length ? mcpWarnings(specs.map((s) => s.agent), config, mode) : [];
  // Check first, write after: a bad --base, worktreesDir or prefix leaves .git as it was.
  const [base, worktrees, refs] = await Promise.all([resolveBase(repo, opts.base ?? config.base), listWorktrees(repo.root), prefixRefs(repo, config.branchPrefix)]);
  const blocked = prefixProblem(refs, config.branchPrefix) ?? specs.map((s) => (s.branch ? null : branchBlocked(refs, taskBranch(config, s.name)))).find(Boolean);
  if (blocked) throw new UserError(blocked);
  // An unknown prerequisite or a cycle refuses the batch here, before anything is written.
  const graph = graphProblem(specs, existingNodes(store, refs, config.branchPrefix));
  if (graph) throw new UserError(graph);
  // A missing agent fails the whole batch before any task is made, not after the others started
  // (after the graph: "b is after nope" is the mistake to fix first, whatever agent it names).
  for (const agent of new Set(specs.map((s) => s.agent))) {
    resolveAgentBinary(agentArgv({ agent, mode, yolo: false, resume: false }, config), agent, opts.cwd);
  }
  const started_ = specs.find((s) => s.after?.length && startedAlready(store, refs, config, s));
  if (started_) throw new UserError(msg.waiting.startedAlready(started_.name));
  assertWorktreesDir(worktreesDir(repo, config), repo, config.worktreesDir);
  await initRepo(repo);
  const env = { repo, config, store, base, worktrees, prefixRefs: refs, cwd: opts.cwd, signal: opts.signal, mcpServers: servers, onSetup: opts.onSetup };
  const limit = opts.maxRunning ?? config.maxRunning;
  const plan = planBatch(ws, store, specs, refs, limit, opts.runner !== undefined && opts.runner !== 'auto');
  opts.onPlanned?.(specs.length);
  let queuedRun: QueueRun | null = null;
  const startDirect = async () => {
    const results = await runPool(plan.direct, Math.max(2, os.availableParallelism() * 2), async ({ spec, record }) => {
      // a queued task started by name: from its own base (unless --base says), with what it was queued with
      const own = record && !opts.base ? { ...env, base: await resolveBase(repo, record.base) } : env;
      const started = await startTask(own, { ...spec, ...lineage });
      opts.onStarted?.(started);
      return started;
    });
    return results.map((r) => ({ ...r, item: r.item.spec }));
  };
  let results: Awaited<ReturnType<typeof startDirect>>;
  if (plan.queue.length === 0 && plan.retry.length === 0) results = await startDirect();
  else {
    // The whole batch under the schedule lock: the watcher cannot count a slot this batch fills.
    const queuedAt = new Date().toISOString();
    const records = plan.queue.map((spec, i) => queuedRecord(ws, spec, lineage, base.ref, base.commit, queuedAt, i, opts, plan.prior.get(spec.name)));
    [results, queuedRun] = await withScheduleLock(repo, async () => {
      const direct = await startDirect();
      await recordQueued(repo, store, records);
      opts.onQueued?.();
      // waiting tasks named again are judged again by the schedule below (wait, launch, or blocked anew)
      await requeue(repo, store, plan.retry);
      // what fits now; the watcher launches the rest as slots free
      return [direct, await runQueueLocked(repo, config, store, { cwd: opts.cwd, onStarted: opts.onStarted, firstDecisionOnly: true })] as const;
    });
  }
  const started = results.filter((r) => r.ok).map((r) => r.value!);
  let recordError: Error | null = queuedRun?.recordError ?? null;
  // One notes commit for the batch; the agents already run, so a failure here is only reported.
  await recordStarted(repo, started)
    .then(() => clearPendingStarted(store, started.map((t) => t.name)))
    .catch((e: unknown) => (recordError = e as Error));
  const positions = queuePositions(store.all());
  const fromQueue = new Set((queuedRun?.started ?? []).map((t) => t.name));
  const failedInQueue = new Set((queuedRun?.failed ?? []).map((f) => f.name));
  return {
    started: [...started, ...(queuedRun?.started ?? [])],
    queued: [...plan.queue, ...plan.retry]
      .filter((s) => !fromQueue.has(s.name) && !failedInQueue.has(s.name))
      .map((s) => store.read(s.name))
      .filter((t): t is TaskState => t !== null && isPending(t.status))
      .map((t) => ({ ...t, queuePosition: positions.get(t.name) ?? null })),
    failed: [...results.filter((r) => !r.ok).map((r) => ({ name: r.item.name, error: r.error as Error })), ...(queuedRun?.failed ?? [])],
    warnings,
    recordError,
    total: specs.length,
    aborted: Boolean(opts.signal?.aborted),
  };
}

type Spec = StartSpec;

/**
 * Which tasks of the batch start now and which are queued: with a limit (or prerequisites), a new
 * task is queued; a queued task named again starts now (jumping the queue, its record the source
 * of what it runs); an ended task relaunched past the limit is queued in its worktree; one that
 * exists otherwise (an adopted branch, a branch without a record) starts now.
 */
function planBatch(
  ws: Workspace,
  store: TaskStore,
  specs: Spec[],
  refs: readonly string[],
  limit: number | null,
  explicitRunner: boolean,
): { direct: { spec: Spec; record: TaskState | null }[]; queue: Spec[]; retry: TaskState[]; prior: Map<string, TaskState> } {
  const direct: { spec: Spec; record: TaskState | null }[] = [];
  const queue: Spec[] = [];
  const retry: TaskState[] = [];
  const prior = new Map<string, TaskState>();
  for (const spec of specs) {
    const found = store.read(spec.name);
    const record = found ? store.settle(found) : null;
    // A task after others never jumps them: named again (a retry of a blocked one), it is judged again.
    const after = spec.after ?? record?.after;
    if (record && isPending(record.status) && after?.length) {
      retry.push({ ...record, after, agent: spec.agent, ...(spec.prompt !== undefined ? { prompt: spec.prompt } : {}), runner: explicitRunner ? spec.runner : record.runner, ...(spec.yolo ? { yolo: true } : {}) });
      continue;
    }
    if (record && isPending(record.status)) {
      direct.push({ spec: { ...spec, prompt: spec.prompt ?? record.prompt, runner: explicitRunner ? spec.runner : record.runner, yolo: spec.yolo || Boolean(record.yolo), ...(record.parent ? { parent: record.parent, depth: record.depth } : {}) }, record });
      continue;
    }
    // an ended task relaunched past the limit waits too, in the worktree and on the base it has
    // (one that never ran, stopped or failed in the queue, is queued anew)
    if (limit !== null && record && isFinal(record.status) && spec.branch === undefined && !spec.after?.length) {
      if (fs.existsSync(record.worktree)) prior.set(spec.name, record);
      queue.push({ ...spec, ...(explicitRunner ? {} : { runner: record.runner }) });
      continue;
    }
    const exists = record !== null || spec.branch !== undefined || refs.includes(`refs/heads/${taskBranch(ws.config, spec.name)}`);
    // a task after others waits for them, with or without a limit
    if ((limit !== null || spec.after?.length) && !exists) queue.push(spec);
    else direct.push({ spec, record: null });
  }
  return { direct, queue, retry, prior };
}

/**
 * Waiting tasks named again go back to `queued` (their reason cleared) with what this start gave
 * them, and say so in the notes, so the next schedule judges them afresh.
 */
async function requeue(repo: Workspace['repo'], store: TaskStore, named: readonly TaskState[]): Promise<void> {
  const now = new Date().toISOString();
  // Those blocked only because a retried task was (`c`: "b is blocked") are retried with it.
  const tasks = [...named, ...blockedBehind(store.all(), named.map((t) => t.name)).filter((t) => !named.some((n) => n.name === t.name))];
  for (const t of tasks) {
    const saved = await store.update(t.name, (cur) => (isPending(cur.status) ? transition({ ...cur, after: t.after, agent: t.agent, prompt: t.prompt, runner: t.runner, ...(t.yolo ? { yolo: true } : {}) }, { type: 'queued' }) : null));
    if (saved) await recordOnAnchor(repo, { ...queuedEvent(saved, cloneId(repo)), t: now, retry: true }).catch(() => false);
  }
}

/** A queued task's record: everything its launch needs later, and the base ref NAME (resolved at launch). */
function queuedRecord(ws: Workspace, spec: Spec, lineage: { parent?: string; depth?: number }, baseRef: string, baseCommit: string, queuedAt: string, index: number, opts: StartOptions, prior?: TaskState): TaskState {
  const again = prior ? { relaunch: true, ...(prior.parent && !lineage.parent ? { parent: prior.parent, depth: prior.depth ?? 1 } : {}) } : {};
  return {
    v: 1,
    name: spec.name,
    branch: prior?.branch ?? taskBranch(ws.config, spec.name),
    worktree: prior?.worktree ?? worktreePath(ws.repo, ws.config, spec.name),
    agent: spec.agent,
    argv: [],
    runner: spec.runner,
    base: prior?.base ?? baseRef,
    baseCommit: prior?.baseCommit ?? baseCommit,
    ...(spec.prompt !== undefined ? { prompt: spec.prompt } : {}),
    startedAt: queuedAt,
    status: 'queued',
    queuedAt,
    queueIndex: index,
    // the limit it was queued under, so a watcher started with an older config applies the same one
    ...((opts.maxRunning ?? ws.config.maxRunning) ? { maxRunning: (opts.maxRunning ?? ws.config.maxRunning)! } : {}),
    ...(spec.yolo ? { yolo: true } : {}),
    cwd: opts.cwd,
    ...(spec.after?.length ? { after: spec.after } : {}),
    ...(lineage.parent ? { parent: lineage.parent, depth: lineage.depth ?? 1 } : {}),
    ...again,
  };
}
