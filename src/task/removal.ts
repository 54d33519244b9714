/**
 * Whether `rm` may remove a task, decided from facts gathered beforehand (removal-facts.ts). Pure.
 * Judged by reachability, and "could not tell" counts as "would lose": a fact that could not be
 * read is a reason to refuse, never a zero.
 */

/** A fact read from git, or git's message when reading it failed. */
export type Known<T> = { ok: true; value: T } | { ok: false; error: string };

export interface WorktreeFacts {
  /** The worktree `start` made (its recorded path, else `<worktreesDir>/<task>`). */
  path: string;
  /** The directory is still there (a registered worktree can have lost its directory). */
  present: boolean;
  locked: boolean;
  /** A rebase, merge, ... in progress in it. */
  operation: string | null;
  /** Uncommitted files; null when there is no directory to read. */
  uncommitted: Known<number> | null;
  /** Commits reachable from its HEAD (when that is not the task branch) that no branch or tag keeps. */
  headOnly: Known<number> | null;
}

export interface RemovalFacts {
  name: string;
  branch: string;
  /** The base as named at start, for messages only (the decision uses the base commit). */
  base: string | null;
  /** The branch is the task's own (not adopted with --branch) and exists: rm would delete it. */
  deletesBranch: boolean;
  /** Commits on the branch that no other branch, tag or the base commit reaches; null when it is not deleted. */
  branchOnly: Known<number> | null;
  /** The task record says its agent runs (its pid is alive). */
  recordLive: boolean;
  /** A tmux session of the task that still has a live pane. */
  liveSession: string | null;
  /** tmux could not say whether the task's session runs (its message). */
  sessionError?: string | null;
  /** Processes working inside the worktree (whatever the record says). */
  processes: { pid: number; command: string }[];
  /** The worktree start made, when git still has it registered; null when it is gone. */
  worktree: WorktreeFacts | null;
  /** Other worktrees with the task branch checked out (made by hand, or the main one): never removed. */
  checkedOutElsewhere: string[];
}

export interface Verdict {
  name: string;
  /** Why removing it now would lose work or could not be judged; empty when it is safe. */
  reasons: string[];
  /** Something still runs in it: the fix is to stop it, not to force. */
  running: boolean;
  /** `git superset stop` can end it (the record knows the agent). */
  stoppable: boolean;
  /** Why the branch stays even with --force (it is checked out in a worktree rm does not remove). */
  keepBranch: string | null;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const couldNotTell = (what: string, error: string): string => `could not tell ${what} (${error})`;

export function judgeRemoval(f: RemovalFacts): Verdict {
  const reasons: string[] = [];
  if (f.recordLive) reasons.push('it has a running agent');
  if (f.liveSession) reasons.push(`its tmux session ${f.liveSession} is still running`);
  else if (f.sessionError) reasons.push(couldNotTell('whether its tmux session runs', f.sessionError));
  if (f.processes.length) {
    const shown = f.processes.slice(0, 3).map((p) => `${p.pid} ${p.command}`);
    const more = f.processes.length > 3 ? `, and ${f.processes.length - 3} more` : '';
    reasons.push(`${f.processes.length === 1 ? 'a process runs' : `${f.processes.length} processes run`} in its worktree (${shown.join(', ')}${more})`);
  }
  const running = reasons.length > 0;
  // `stop` ends what the record knows; without a live record only --force finds and ends the rest
  const stoppable = f.recordLive;

  const wt = f.worktree;
  if (wt) {
    if (wt.locked) reasons.push(`its worktree is locked (git worktree unlock ${wt.path})`);
    if (wt.operation) reasons.push(`git is busy in its worktree (${wt.operation})`);
    if (wt.uncommitted) {
      if (!wt.uncommitted.ok) reasons.push(couldNotTell(`whether ${wt.path} has uncommitted files: git status failed`, wt.uncommitted.error));
      else if (wt.uncommitted.value) reasons.push(`it has ${plural(wt.uncommitted.value, 'uncommitted file')}`);
    }
    if (wt.headOnly) {
      if (!wt.headOnly.ok) reasons.push(couldNotTell("whether its worktree's HEAD has commits no branch has", wt.headOnly.error));
      else if (wt.headOnly.value) reasons.push(`its worktree's HEAD has ${plural(wt.headOnly.value, 'commit')} that no branch has (detached?)`);
    }
  }
  if (f.branchOnly) {
    const where = `${f.base ?? 'the base'} or any other branch`;
    if (!f.branchOnly.ok) reasons.push(couldNotTell(`whether its commits are in ${where}`, f.branchOnly.error));
    else if (f.branchOnly.value) reasons.push(`it has ${plural(f.branchOnly.value, 'commit')} not in ${where}`);
  }
  let keepBranch: string | null = null;
  if (f.deletesBranch && f.checkedOutElsewhere.length) {
    keepBranch = `checked out at ${f.checkedOutElsewhere.join(', ')}`;
    reasons.push(`${f.branch} is ${keepBranch}, a worktree start did not make (rm would leave it and keep the branch)`);
  }
  return { name: f.name, reasons, running, stoppable, keepBranch };
}

/** One line per refused task, naming the fix: stop what runs, else --force. */
export function refusalLine(v: Verdict): string {
  const fix = !v.running
    ? 'use --force to discard'
    : v.stoppable
      ? `stop it first: git superset stop ${v.name}`
      : 'end it first, or use --force to end it';
  return `refusing to remove ${v.name}: ${v.reasons.join('; ')} (${fix})`;
}
