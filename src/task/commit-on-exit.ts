import fs from 'node:fs';
import type { Repo } from '../git/repo.js';
import type { SupersetConfig } from '../config/schema.js';
import { gitResult, git } from '../git/git.js';
import { currentBranch } from '../git/branches.js';
import { uncommittedPaths } from '../git/worktrees.js';
import { CHECKPOINT_TRAILER, agentWord, taskTrailers, withTrailers } from '../git/trailers.js';
import { operationInProgress } from '../git/gitdir.js';
import { MACHINE_IDENTITY } from '../git/identity.js';
import { worktreeGitDir } from '../hooks/install.js';
import { agentLabel } from '../agents/resolve.js';
import { bestEffort, recordOnTip } from './events.js';
import type { TaskState } from './state.js';
import { LockTimeout } from '../errors.js';

export interface ExitCommit {
  /** The checkpoint commit, or null when none was made. */
  commit: string | null;
  /** Uncommitted paths found when the agent exited. */
  files: number;
  /** Why uncommitted work was left where it is. */
  skipped?: string;
}

/** Pure: the checkpoint's message, with the task trailers and `Superset-Checkpoint: exit`. */
export function checkpointMessage(task: string, agent: string, files: number): string {
  const subject = `${agentWord(agent)} left ${files} uncommitted file${files === 1 ? '' : 's'} in ${task}: checkpoint on exit`;
  return withTrailers(subject, taskTrailers(task, agent, [[CHECKPOINT_TRAILER, 'exit']]));
}

/**
 * Commits whatever the agent left uncommitted (untracked files included, ignored files not) onto
 * the task branch, so `git log main..superset/<task>` and a merge hold all of its work. Never
 * while another git operation is under way there, and never onto another branch.
 */
export async function commitOnExit(worktree: string, branch: string, task: string, agent: string): Promise<ExitCommit> {
  const gitDir = worktreeGitDir(worktree);
  if (!gitDir) return { commit: null, files: 0, skipped: 'the worktree is gone' };
  const dirty = await uncommittedPaths(worktree);
  if (dirty.length === 0) return { commit: null, files: 0 };
  const busy = operationInProgress(gitDir);
  if (busy) return { commit: null, files: dirty.length, skipped: `left uncommitted: a git operation is under way (${busy})` };
  const head = await currentBranch(worktree);
  if (head !== branch) return { commit: null, files: dirty.length, skipped: `left uncommitted: HEAD is ${head ? `on ${head}` : 'detached'}, not on ${branch}` };

  await git(['add', '--all', '--', '.'], { cwd: worktree });
  // --no-verify: a failing lint hook must not keep the work off the branch. The post-commit hook
  // still runs, so the commit gets its `commit` note like any other.
  const args = ['commit', '--no-verify', '--quiet', '--cleanup=verbatim', '-m', checkpointMessage(task, agent, dirty.length)];
  let res = await gitResult(args, { cwd: worktree });
  if (res.code !== 0 && /tell me who you are|empty ident|unable to auto-detect email/i.test(res.stderr)) {
    res = await gitResult(args, { cwd: worktree, env: MACHINE_IDENTITY });
  }
  if (res.code !== 0) return { commit: null, files: dirty.length, skipped: `left uncommitted: git commit failed: ${res.stderr.trim().split('\n')[0]}` };
  const commit = (await git(['rev-parse', 'HEAD'], { cwd: worktree })).trim();
  return { commit, files: dirty.length };
}

/**
 * What happens when an agent exits: its leftovers are committed (config commitOnExit), then an
 * `exited` event with the final status and exit code goes on the branch tip. Failures are
 * reported and never stop the exit from being recorded in the runtime cache.
 */
export async function recordExit(repo: Repo, config: SupersetConfig, state: TaskState, warn?: (text: string) => void): Promise<ExitCommit | null> {
  let checkpoint: ExitCommit | null = null;
  const label = agentLabel(state.agent);
  if (config.commitOnExit && fs.existsSync(state.worktree)) {
    await bestEffort('the exit checkpoint', async () => {
      checkpoint = await commitOnExit(state.worktree, state.branch, state.name, label);
    }, warn);
  } else if (fs.existsSync(state.worktree)) {
    const files = (await uncommittedPaths(state.worktree)).length;
    if (files) checkpoint = { commit: null, files, skipped: 'left uncommitted: commitOnExit is false' };
  }
  const cp = checkpoint as ExitCommit | null;
  await bestEffort('the exit', () =>
    patientlyLocked(() => recordOnTip(repo, state.branch, {
      task: state.name,
      event: 'exited',
      agent: state.agent,
      status: state.status,
      exitCode: state.exitCode ?? null,
      ...(state.signal ? { signal: state.signal } : {}),
      ...(cp?.commit ? { checkpoint: cp.commit, files: cp.files } : {}),
      ...(cp?.skipped ? { uncommitted: cp.files, reason: cp.skipped } : {}),
    })),
  warn);
  return cp;
}

/**
 * The exit is recorded by a process nobody waits on (the agent's wrapper, or the watcher), and
 * nothing records it later: a notes lock that many committing agents keep busy past one timeout
 * is waited for again, a few times, rather than the `exited` note being dropped.
 */
async function patientlyLocked<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof LockTimeout) || i >= attempts) throw e;
    }
  }
}
