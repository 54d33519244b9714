import type { Workspace } from '../context.js';
import * as msg from '../messages.js';
import { UserError, throwIfAborted } from '../errors.js';
import { mergeTrees } from '../git/merge-tree.js';
import { loadTasks, type TaskView } from '../task/catalog.js';
import { loadTaskChanges, type TaskChanges } from '../task/changes.js';
import { needsBaseMerge, overlappingPairs } from '../task/overlap.js';
import { resolveBase } from '../task/start-task.js';
import { assertTaskName } from '../task/name.js';

export interface ConflictsOptions {
  /** Only pairs that involve these tasks (and these tasks against the base); all when empty. */
  tasks?: readonly string[];
  signal?: AbortSignal;
}

export interface ConflictPair {
  a: string;
  /** The other task, or the base branch when `withBase`. */
  b: string;
  withBase: boolean;
  files: string[];
}

export interface ConflictsResult {
  conflicts: ConflictPair[];
  /** Unmerged task branches looked at. */
  tasks: number;
  /** Merges actually computed (pairs sharing a path, tasks whose base touched their paths). */
  merges: number;
}

/** The base a task merges into: the one it was started from, else what `start` would pick now. */
export async function taskBaseRef(task: Pick<TaskView, 'base'>, fallback: () => Promise<string>): Promise<string> {
  return task.base && task.base !== 'HEAD' ? task.base : fallback();
}

/** The unmerged task branches with what each changed. Shared with `merge --ready` and `ls`. */
export async function unmergedChanges(ws: Workspace, tasks: readonly TaskView[], opts: { basePaths?: boolean } = {}): Promise<TaskChanges[]> {
  let fallback: string | null = null;
  const defaultBase = async () => (fallback ??= (await resolveBase(ws.repo, ws.config.base)).ref);
  const tips = [];
  for (const t of tasks) if (t.commit) tips.push({ name: t.name, commit: t.commit, base: await taskBaseRef(t, defaultBase) });
  const changes = await loadTaskChanges(ws.repo, tips, opts);
  // A tip its base already contains is merged: nothing left to conflict.
  return changes.filter((c) => c.mergeBase !== c.tip);
}

/**
 * Predicts which task branches conflict with each other and with their base, without touching
 * any worktree, index or ref: `git merge-tree --write-tree` only writes objects. Merges run only
 * for pairs whose changed paths overlap, all of them in one git process.
 */
export async function findConflicts(ws: Workspace, opts: ConflictsOptions = {}): Promise<ConflictsResult> {
  for (const name of opts.tasks ?? []) assertTaskName(name);
  const all = await loadTasks(ws.repo, ws.config, { ahead: false });
  const byName = new Map(all.map((t) => [t.name, t]));
  for (const name of opts.tasks ?? []) if (!byName.has(name)) throw new UserError(msg.task.noSuch(name));
  const changes = await unmergedChanges(ws, all, { basePaths: true });
  throwIfAborted(opts.signal);

  const focus = opts.tasks?.length ? new Set(opts.tasks) : undefined;
  const info = new Map(changes.map((c) => [c.task, c]));
  const candidates: { a: string; b: string; withBase: boolean; merge: [string, string] }[] = [];
  for (const o of overlappingPairs(changes, focus)) {
    candidates.push({ a: o.a, b: o.b, withBase: false, merge: [info.get(o.a)!.tip, info.get(o.b)!.tip] });
  }
  for (const c of changes) {
    if (focus && !focus.has(c.task)) continue;
    if (needsBaseMerge(c)) candidates.push({ a: c.task, b: c.base, withBase: true, merge: [c.baseTip, c.tip] });
  }
  const results = await mergeTrees(ws.repo.root, candidates.map((c) => c.merge));
  const conflicts = candidates
    .map((c, i) => ({ a: c.a, b: c.b, withBase: c.withBase, files: [...results[i]!.conflicts].sort() }))
    .filter((_, i) => !results[i]!.clean);
  return { conflicts, tasks: changes.length, merges: candidates.length };
}
