import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import type { Ctx } from '../context.js';
import { checkedOutBranch, findGitDirs } from '../git/gitdir.js';
import { repoAt } from '../git/repo.js';
import { TaskStore } from '../task/store.js';
import type { TaskState } from '../task/state.js';
import { isLive, transition, SIGNAL_STATUSES, type SignalStatus } from '../task/lifecycle.js';
import { assertTaskName } from '../task/name.js';
import { ensureWatcher } from '../watch/daemon-control.js';

export { SIGNAL_STATUSES };
const isSignalStatus = (s: string | undefined): s is SignalStatus => SIGNAL_STATUSES.includes(s as SignalStatus);

export function define(cmd: Command): void {
  cmd
    .argument('[task]', 'task name (omit it inside a task worktree)')
    .argument('[status]', SIGNAL_STATUSES.join('|'))
    .argument('[ignored...]')
    .addHelpText(
      'after',
      `
What an agent's own hooks call to report its status: running (working on a prompt), waiting
(needs the user: a permission or a question), idle (finished its turn), done (session over: the task reads finishing until its exit is
recorded, then done or failed by the exit code).
Arguments after the status are ignored (codex's notify appends a JSON payload). Runs no git.

examples:
  git superset signal fix-login waiting
  git superset signal idle          # inside a task worktree`,
    );
}

/** Pure: [task?, status] from the words given; anything after the status is ignored. */
export function parseSignalArgs(words: string[]): { task: string | null; status: SignalStatus } {
  if (words.length >= 2 && isSignalStatus(words[1])) return { task: words[0]!, status: words[1] };
  if (isSignalStatus(words[0])) return { task: null, status: words[0] };
  throw new UserError(`expected a status (${SIGNAL_STATUSES.join(', ')}): git superset signal [task] <status>`);
}

const samePath = (a: string, b: string): boolean => {
  if (a === b) return true;
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
};

/** Which task a worktree belongs to: by its path, else SUPERSET_TASK, else its checked-out branch. */
function taskHere(store: TaskStore, worktree: string, gitDir: string): string | null {
  const tasks = store.all();
  const byPath = tasks.find((t) => samePath(t.worktree, worktree));
  if (byPath) return byPath.name;
  if (process.env.SUPERSET_TASK) return process.env.SUPERSET_TASK;
  const branch = checkedOutBranch(gitDir);
  return tasks.find((t) => t.branch === branch)?.name ?? null;
}

/** The state after an agent's signal, or null to leave it (the rules are the lifecycle's). Pure. */
export function applySignal(state: TaskState, status: SignalStatus, now: Date): TaskState | null {
  const next = transition(state, { type: 'agent-signal', status, at: now.toISOString() });
  return next === state ? null : next;
}

export async function run(ctx: Ctx, task: string | undefined, status: string | undefined, rest: string[]): Promise<number> {
  const words = [task, status, ...(rest ?? [])].filter((w): w is string => w !== undefined);
  const wanted = parseSignalArgs(words);
  // No git process: this runs on every agent turn. The repository is found from the `.git` file.
  const dirs = findGitDirs(ctx.cwd);
  if (!dirs) throw new UserError(`not a git repository: ${ctx.cwd} (run git superset signal inside one)`);
  const root = path.basename(dirs.commonDir) === '.git' ? path.dirname(dirs.commonDir) : dirs.worktree;
  const repo = repoAt(root, dirs.commonDir);
  const store = new TaskStore(repo);
  const name = wanted.task ?? taskHere(store, dirs.worktree, dirs.gitDir);
  if (!name) throw new UserError('not inside a task worktree: name the task (git superset signal <task> <status>)');
  assertTaskName(name);
  if (!store.read(name)) throw new UserError(`no such task: ${name} (see git superset ls)`);
  const saved = await store.update(name, (s) => applySignal(s, wanted.status, new Date()));
  if (saved && isLive(saved.status)) ensureWatcher(repo, { live: true });
  return 0;
}
