import type { Repo } from '../git/repo.js';
import { resolveCommit } from '../git/branches.js';
import { changedPathsBetween, mergeBases } from '../git/changed-paths.js';

/** What a task branch changed against its base, and what the base changed meanwhile. */
export interface TaskChanges {
  task: string;
  tip: string;
  /** The base as a ref name (`main`). */
  base: string;
  baseTip: string;
  /** null: the branch shares no history with its base. */
  mergeBase: string | null;
  /** Paths the branch changed since the merge base (`base...branch`). */
  paths: string[];
  /** Paths the base changed since the merge base (`branch...base`); [] unless asked for. */
  basePaths: string[];
}

export interface TaskTip {
  name: string;
  /** The commit to read (branch tip, or a snapshot of the work tree). */
  commit: string;
  base: string;
}

/**
 * Changed paths for many tasks with a fixed number of git processes whatever their number: per
 * distinct base one rev-parse and one rev-list (merge bases), then one diff-tree for every pair.
 */
export async function loadTaskChanges(repo: Repo, tips: readonly TaskTip[], opts: { basePaths?: boolean } = {}): Promise<TaskChanges[]> {
  const bases = [...new Set(tips.map((t) => t.base))];
  const baseTips = new Map<string, string | null>();
  const mbs = new Map<string, Map<string, string | null>>();
  await Promise.all(
    bases.map(async (base) => {
      const commit = await resolveCommit(repo.root, base);
      baseTips.set(base, commit);
      mbs.set(base, commit ? await mergeBases(repo.root, commit, tips.filter((t) => t.base === base).map((t) => t.commit)) : new Map());
    }),
  );
  const known = tips.filter((t) => baseTips.get(t.base));
  const pairs: [string, string][] = [];
  for (const t of known) {
    const mb = mbs.get(t.base)!.get(t.commit) ?? null;
    if (!mb) continue;
    pairs.push([t.commit, mb]);
    if (opts.basePaths) pairs.push([mb, baseTips.get(t.base)!]);
  }
  const diffs = await changedPathsBetween(repo.root, pairs);
  return known.map((t) => {
    const baseTip = baseTips.get(t.base)!;
    const mergeBase = mbs.get(t.base)!.get(t.commit) ?? null;
    return {
      task: t.name,
      tip: t.commit,
      base: t.base,
      baseTip,
      mergeBase,
      paths: mergeBase ? (diffs.get(`${t.commit} ${mergeBase}`) ?? []) : [],
      basePaths: mergeBase && opts.basePaths ? (diffs.get(`${mergeBase} ${baseTip}`) ?? []) : [],
    };
  });
}
