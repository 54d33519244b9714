import { taskTrailers, withTrailers } from '../git/trailers.js';
import type { TaskStatus } from './state.js';

/**
 * The pure decisions of `merge`: when to refuse, what to skip in a `--ready` queue, and the
 * messages of the commits it makes.
 */
export type MergeStrategy = 'merge' | 'squash' | 'rebase' | 'ff-only';

export interface MainWorktreeState {
  /** The branch checked out in the main worktree, or null when detached. */
  branch: string | null;
  /** Tracked files with staged or unstaged changes. */
  dirty: number;
  /** A merge, rebase, ... under way there. */
  busy: string | null;
}

/** Why the base cannot be moved in the main worktree right now; null when it can. */
export function mainRefusal(main: MainWorktreeState, base: string): string | null {
  if (main.busy) return `the main worktree is in the middle of ${main.busy}: finish or abort it first`;
  if (main.dirty) return `the main worktree has ${main.dirty} uncommitted change${main.dirty === 1 ? '' : 's'}: commit or stash them first`;
  if (main.branch !== base) return `the main worktree is ${main.branch ? `on ${main.branch}` : 'detached'}, not on ${base}: git switch ${base} first`;
  return null;
}

export interface TaskMergeState {
  name: string;
  live: boolean;
  /** Uncommitted paths in its worktree (0 when it has none). */
  uncommitted: number;
}

/** Why this task cannot be merged now; null when it can. `force` only overrides a running agent. */
export function taskRefusal(t: TaskMergeState, opts: { force?: boolean }): string | null {
  if (t.uncommitted) {
    const what = `${t.uncommitted} uncommitted file${t.uncommitted === 1 ? '' : 's'}`;
    return t.live
      ? `${t.name} has ${what}: commit them, or git superset stop ${t.name} and let commit-on-exit do it`
      : `${t.name} has ${what}: commit them in its worktree first`;
  }
  if (t.live && !opts.force) return `${t.name} is still running: git superset stop ${t.name} first, or use --force`;
  return null;
}

/** Why `merge --ready` passes over a task before trying it; null when it is a candidate. */
export function readySkip(t: { status: TaskStatus; live: boolean; commits: number; uncommitted: number }): string | null {
  if (t.live) return 'still running';
  if (t.status !== 'done') return `status is ${t.status}`;
  if (t.commits === 0) return 'no commits to merge';
  if (t.uncommitted) return `${t.uncommitted} uncommitted file${t.uncommitted === 1 ? '' : 's'} in its worktree`;
  return null;
}

/** Start order for the queue: earliest first, tasks with no start time last, then by name. */
export function byStart(a: { name: string; startedAt: string | null }, b: { name: string; startedAt: string | null }): number {
  if (a.startedAt !== b.startedAt) {
    if (a.startedAt === null) return 1;
    if (b.startedAt === null) return -1;
    return a.startedAt < b.startedAt ? -1 : 1;
  }
  return a.name.localeCompare(b.name);
}

/** The squash commit: the prompt's first line (or the task name), the squashed subjects, the task trailers. */
export function squashMessage(task: string, agent: string, prompt: string | null | undefined, subjects: readonly string[]): string {
  const first = (prompt ?? '').split('\n').map((l) => l.trim()).find(Boolean);
  const subject = first ? (first.length > 72 ? `${first.slice(0, 71)}…` : first) : task;
  const body = subjects.length ? `\n\nSquashed from ${subjects.length} commit${subjects.length === 1 ? '' : 's'} of ${task}:\n${subjects.map((s) => `- ${s}`).join('\n')}` : '';
  return withTrailers(`${subject}${body}`, taskTrailers(task, agent));
}

/** The merge commit's message, as `git merge` words it, plus the task trailers. */
export function mergeMessage(branch: string, base: string, task: string, agent: string): string {
  const into = base === 'main' || base === 'master' ? '' : ` into ${base}`;
  return withTrailers(`Merge branch '${branch}'${into}`, taskTrailers(task, agent));
}

/** The last lines of a command's output, for a failing test. */
export function tail(text: string, lines = 20): string {
  const all = text.replace(/\s+$/, '').split('\n');
  return all.slice(-lines).join('\n');
}
