import path from 'node:path';
import { UserError } from '../errors.js';
import { checkedOutBranch, findGitDirs } from '../git/gitdir.js';
import { repoAt, type Repo } from '../git/repo.js';
import { TaskStore } from '../task/store.js';
import type { TaskState } from '../task/state.js';
import { transition, type SignalStatus } from '../task/lifecycle.js';
import { assertTaskName } from '../task/name.js';
import * as msg from '../messages.js';
import { samePath } from '../util/same-path.js';

export interface SignalOptions {
  /** Where the agent's hook runs: its worktree (or the repository, with `task` given). */
  cwd: string;
  /** null: the task whose worktree cwd is in. */
  task: string | null;
  status: SignalStatus;
  /** SUPERSET_TASK from the agent's environment, when the worktree does not say. */
  envTask?: string;
  now?: Date;
}

export interface SignalResult {
  repo: Repo;
  task: string;
  /** false: the lifecycle kept the status as it was (an ended task, a signal it ignores). */
  changed: boolean;
  /** The record after the signal (as it was when unchanged). */
  state: TaskState;
}

/** Which task a worktree belongs to: by its path, else SUPERSET_TASK, else its checked-out branch. */
function taskHere(store: TaskStore, worktree: string, gitDir: string, envTask: string | undefined): string | null {
  const tasks = store.all();
  const byPath = tasks.find((t) => samePath(t.worktree, worktree));
  if (byPath) return byPath.name;
  if (envTask) return envTask;
  const branch = checkedOutBranch(gitDir);
  return tasks.find((t) => t.branch === branch)?.name ?? null;
}

/** The state after an agent's signal, or null to leave it (the rules are the lifecycle's). Pure. */
export function applySignal(state: TaskState, status: SignalStatus, now: Date): TaskState | null {
  const next = transition(state, { type: 'agent-signal', status, at: now.toISOString() });
  return next === state ? null : next;
}

/**
 * An agent's own report of its status, written through the task's lock. Runs no git at all (it
 * runs on every agent turn, from its hooks): the repository is found from the `.git` file and the
 * task from the cache.
 */
export async function signalTask(opts: SignalOptions): Promise<SignalResult> {
  const dirs = findGitDirs(opts.cwd);
  if (!dirs) throw new UserError(msg.signal.notARepo(opts.cwd));
  const root = path.basename(dirs.commonDir) === '.git' ? path.dirname(dirs.commonDir) : dirs.worktree;
  const repo = repoAt(root, dirs.commonDir);
  const store = new TaskStore(repo);
  const name = opts.task ?? taskHere(store, dirs.worktree, dirs.gitDir, opts.envTask);
  if (!name) throw new UserError(msg.signal.notInTask);
  assertTaskName(name);
  const current = store.read(name);
  if (!current) throw new UserError(msg.task.noSuch(name));
  const now = opts.now ?? new Date();
  const saved = await store.update(name, (s) => applySignal(s, opts.status, now));
  return { repo, task: name, changed: saved !== null, state: saved ?? current };
}
