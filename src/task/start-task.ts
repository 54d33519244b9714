import fs from 'node:fs';
import path from 'node:path';
import { UserError, throwIfAborted } from '../errors.js';
import type { Repo } from '../git/repo.js';
import type { SupersetConfig } from '../config/schema.js';
import { gitResult } from '../git/git.js';
import { branchExists, deleteBranch, resolveCommit } from '../git/branches.js';
import { addWorktree, listWorktrees, removeWorktree, type WorktreeEntry } from '../git/worktrees.js';
import { archiveSnapshots, mayHaveSnapshots } from '../git/snapshots.js';
import { agentArgv, agentLabel, resolveAgentBinary } from '../agents/resolve.js';
import { installWorktreeHooks } from '../hooks/install.js';
import { withAgentHooks } from '../agents/registry.js';
import type { McpServerSpec } from '../agents/mcp-servers.js';
import { prepareTaskEnvironment } from '../env/prepare.js';
import { StepFailed } from '../env/shell-steps.js';
import { releasePorts } from '../env/ports.js';
import { launchAgent, type Launched, type RunnerName } from '../runner/launch.js';
import { assertLaunchable } from '../runner/arg-limits.js';
import { killSession, sessionName } from '../runner/tmux.js';
import { branchBlocked } from './start-checks.js';
import { writePendingStarted } from './reconcile.js';
import { assertTaskName } from './name.js';
import { taskBranch, worktreePath } from './paths.js';
import { LIVE_STATUSES, type TaskState } from './state.js';
import { withFileLock } from './lock.js';
import type { TaskStore } from './store.js';
import { agentProcessesIn } from './liveness.js';
import { isPending, transition } from './lifecycle.js';
import * as msg from '../messages.js';

export interface StartSpec {
  name: string;
  agent: string;
  prompt?: string;
  /** Adopt this existing branch instead of `<prefix><name>`. */
  branch?: string;
  runner: RunnerName;
  yolo: boolean;
  /** The task this one was started from, and its depth below the user's tasks. */
  parent?: string;
  depth?: number;
  /** Prerequisites (`--after`): the task waits for them and starts from their tips. */
  after?: string[];
}

export interface StartEnv {
  repo: Repo;
  config: SupersetConfig;
  store: TaskStore;
  /** Base ref name and its commit, resolved once for a whole batch. */
  base: { ref: string; commit: string };
  worktrees: WorktreeEntry[];
  /** Refs at and under the branch prefix (start-checks.ts `prefixRefs`), read once for the batch. */
  prefixRefs?: string[];
  /** Where relative agent paths are resolved (the caller's directory). */
  cwd: string;
  signal?: AbortSignal;
  /** MCP servers handed to every agent (config mcpServers, resolved). */
  mcpServers?: Record<string, McpServerSpec>;
  /** Told each setup command as it starts (progress). */
  onSetup?: (task: string, command: string) => void;
}

/** The ref new task branches start from: `--base`, config `base`, else the main worktree's HEAD. */
export async function resolveBase(repo: Repo, wanted: string | null): Promise<{ ref: string; commit: string }> {
  let ref = wanted;
  if (!ref) {
    const head = await gitResult(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: repo.root });
    ref = head.code === 0 ? head.stdout.trim() : 'HEAD';
  }
  const commit = await resolveCommit(repo.root, ref);
  if (!commit) throw new UserError(wanted ? `unknown base: ${wanted}` : 'the repository has no commits yet: make a first commit, then start tasks');
  return { ref, commit };
}

/** Everything that can be known wrong before anything is created. */
function plan(env: StartEnv, spec: StartSpec, resume: boolean): string[] {
  assertTaskName(spec.name);
  const mode = spec.runner === 'tmux' ? 'interactive' : 'headless';
  const argv = agentArgv({ agent: spec.agent, mode, prompt: spec.prompt, yolo: spec.yolo, resume }, env.config);
  assertLaunchable(argv, spec.prompt);
  return resolveAgentBinary(argv, spec.agent, env.cwd);
}

function checkAbort(signal?: AbortSignal): void {
  throwIfAborted(signal);
}

/** The queue's launch found the task no longer waiting: started by a `start`, stopped or removed meanwhile. */
export class NotPending extends Error {
  constructor(readonly task: string) {
    super(`task ${task} is no longer queued`);
  }
}

export interface StartTaskOptions {
  /** Launch only a task still recorded queued/blocked (the queue's launch); else NotPending. */
  onlyIfPending?: boolean;
}

export const startLockPath = (store: TaskStore, name: string): string => path.join(store.dir, `${name}.start.lock`);

/**
 * Starts one task: branch + worktree + agent. On any failure (or interrupt) what this call
 * created is rolled back, so nothing half-made is left behind. A queued task's record is the
 * spec's source: it is launched from `env.base` (its base as it is now), its queue fields kept.
 */
export async function startTask(env: StartEnv, spec: StartSpec, opts: StartTaskOptions = {}): Promise<TaskState & { relaunched: boolean }> {
  // Two `start`s of one task at once would each see nothing there, and the loser's rollback would
  // delete the winner's branch and worktree: the check-and-create runs under a per-task lock. The
  // queue's launch takes it too, so a `start` and the watcher never both launch one queued task.
  env.store.ensureDirs();
  return withFileLock(startLockPath(env.store, spec.name), () => startTaskLocked(env, spec, opts), 120_000);
}

async function startTaskLocked(env: StartEnv, spec: StartSpec, opts: StartTaskOptions): Promise<TaskState & { relaunched: boolean }> {
  const { repo, config, store } = env;
  const existing = store.read(spec.name);
  const found = existing ? store.settle(existing) : null;
  const pending = found !== null && isPending(found.status);
  if (opts.onlyIfPending && !pending) throw new NotPending(spec.name);
  if (found && LIVE_STATUSES.includes(found.status)) {
    throw new UserError(msg.start.alreadyRunning(spec.name));
  }
  // A queued record names where the task will live; its base is taken from env as it is now.
  // (a queued relaunch keeps the base it first started from)
  const settled = pending && !found.relaunch ? null : found;
  const queue = pending ? { queuedAt: found.queuedAt, ...(found.after?.length ? { after: found.after } : {}) } : {};
  const worktree = found?.worktree ?? worktreePath(repo, config, spec.name);
  const branch = spec.branch ?? found?.branch ?? taskBranch(config, spec.name);
  const registered = env.worktrees.find((w) => w.path === worktree);
  const relaunch = Boolean(registered && fs.existsSync(worktree));
  // Never two agents in one worktree, whatever the record says (a wrapper killed with -9 leaves its agent running).
  const leftover = relaunch || (existing && !pending) ? agentProcessesIn(worktree) : [];
  if (leftover.length) throw new UserError(msg.start.agentLeftOver(spec.name, leftover));
  // The agent's own hooks (claude --settings, codex notify) report its status to `signal`.
  const hookTarget = { task: spec.name, stateDir: repo.stateDir, mcpServers: env.mcpServers, headless: spec.runner === 'headless' };
  const argv = withAgentHooks(plan(env, spec, relaunch), hookTarget);

  if (!relaunch && fs.existsSync(worktree)) throw new UserError(msg.start.foreignWorktreePath(worktree));
  if (relaunch && registered!.branch && registered!.branch !== `refs/heads/${branch}`) {
    throw new UserError(msg.start.otherBranchCheckedOut(worktree, registered!.branch.replace('refs/heads/', ''), branch));
  }
  // the batch's ref listing answers for a branch under the prefix (one git process less per task)
  const listed = env.prefixRefs && branch.startsWith(config.branchPrefix) ? env.prefixRefs.includes(`refs/heads/${branch}`) : null;
  const adopt = !relaunch && (listed ?? (await branchExists(repo.root, branch)));
  if (spec.branch && !adopt && !relaunch) throw new UserError(msg.start.noSuchBranch(spec.branch));
  const blocked = !relaunch && !adopt ? branchBlocked(env.prefixRefs ?? [], branch) : null;
  if (blocked) throw new UserError(blocked);
  const checkedOut = env.worktrees.find((w) => w.branch === `refs/heads/${branch}` && w.path !== worktree);
  if (checkedOut) throw new UserError(msg.start.branchCheckedOut(branch, checkedOut.path));

  const made = { branch: false, worktree: false };
  // Only what this call launched is ever killed on failure: a record read back could be another run's.
  let launched: Launched | null = null;
  const session = spec.runner === 'tmux' ? sessionName(repo.id, spec.name) : undefined;
  try {
    checkAbort(env.signal);
    if (!relaunch) {
      made.branch = !adopt;
      made.worktree = true;
      await addWorktree(repo.root, worktree, branch, { create: !adopt, base: env.base.commit });
      // A new task of a name used before (removed by hand, not by rm): the old task's snapshots are moved aside, never inherited.
      if (made.branch && mayHaveSnapshots(repo.commonDir, spec.name)) await archiveSnapshots(repo.root, spec.name);
    }
    // before the agent runs: its first commit already gets trailers and a note
    await installWorktreeHooks(repo, worktree, spec.name, agentLabel(spec.agent), { fresh: made.worktree });
    checkAbort(env.signal);
    const baseRef = settled?.base ?? env.base.ref;
    const taskEnv = await prepareTaskEnvironment({
      repo,
      config,
      task: spec.name,
      worktree,
      taskVars: { SUPERSET_TASK: spec.name, SUPERSET_BRANCH: branch, SUPERSET_WORKTREE: worktree, SUPERSET_BASE: baseRef, SUPERSET_PROMPT: spec.prompt ?? '' },
      relaunch,
      logFile: store.logFile(spec.name),
      onSetup: (c) => env.onSetup?.(spec.name, c),
      signal: env.signal,
    }).catch(async (e: unknown) => {
      // A failed setup keeps the worktree to inspect: the task is failed, with the reason.
      if (e instanceof StepFailed) {
        store.write({
          v: 1, name: spec.name, branch, worktree, agent: spec.agent, argv, runner: spec.runner, base: baseRef,
          baseCommit: settled?.baseCommit ?? env.base.commit, ...(spec.prompt !== undefined ? { prompt: spec.prompt } : {}),
          startedAt: new Date().toISOString(), endedAt: new Date().toISOString(), status: 'failed', reason: `setup failed: ${e.command} (exit ${e.code ?? 'signal'})`,
        });
      }
      throw e;
    });
    checkAbort(env.signal);
    const state: TaskState = {
      v: 1,
      name: spec.name,
      branch,
      worktree,
      agent: spec.agent,
      argv,
      runner: spec.runner,
      base: settled?.base ?? env.base.ref,
      baseCommit: settled?.baseCommit ?? env.base.commit,
      ...(spec.prompt !== undefined ? { prompt: spec.prompt } : {}),
      startedAt: new Date().toISOString(),
      status: 'starting',
      ...(spec.parent ? { parent: spec.parent, depth: spec.depth ?? 1 } : {}),
      ...queue,
      ...(Object.keys(taskEnv.ports).length ? { ports: taskEnv.ports } : {}),
      // known before the launch, so a `start` killed mid-launch leaves a record of where its agent is
      ...(session ? { tmuxSession: session } : {}),
    };
    store.write(state);
    launched = launchAgent(store, {
      task: spec.name,
      branch,
      worktree,
      base: state.base,
      prompt: spec.prompt,
      argv,
      runner: spec.runner,
      repoId: repo.id,
      mcpServers: env.mcpServers,
      extraEnv: taskEnv.env,
      agent: spec.agent,
    });
    const launchedEvent = { type: 'launched', pid: launched.pid, ...(launched.tmuxSession ? { tmuxSession: launched.tmuxSession } : {}) } as const;
    const running = transition(state, launchedEvent);
    const final = (await store.update(spec.name, (cur) => transition(cur, launchedEvent))) ?? running;
    const result = { ...final, relaunched: relaunch };
    // The batch's notes commit comes later; if this process dies first, the next reader writes it.
    writePendingStarted(store, result);
    return result;
  } catch (e) {
    // a failed setup's worktree and failed record stay for the user to inspect (rm removes them)
    if (!(e instanceof StepFailed)) await rollback(env, spec.name, worktree, branch, made, existing, launched);
    throw e;
  }
}

async function rollback(
  env: StartEnv,
  name: string,
  worktree: string,
  branch: string,
  made: { branch: boolean; worktree: boolean },
  previous: TaskState | null,
  launched: Launched | null,
): Promise<void> {
  const { repo, store } = env;
  if (launched?.tmuxSession) killSession(launched.tmuxSession);
  if (launched?.pid) {
    try {
      process.kill(-launched.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  if (made.worktree) {
    // git may have registered the worktree before failing (a failing post-checkout hook does that)
    const still = (await listWorktrees(repo.root).catch(() => [])).some((w) => w.path === worktree);
    if (still) await removeWorktree(repo.root, worktree, true).catch(() => {});
    fs.rmSync(worktree, { recursive: true, force: true });
    await gitResult(['worktree', 'prune'], { cwd: repo.root });
  }
  if (made.branch && (await branchExists(repo.root, branch))) await deleteBranch(repo.root, branch).catch(() => {});
  if (previous) store.write(previous);
  else {
    store.remove(name);
    await releasePorts(repo, name).catch(() => {});
  }
}
