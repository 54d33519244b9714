import { git, gitResult } from './git.js';
import { parseParents, walkListed } from './branches.js';

/**
 * Which paths differ between two commits, for many pairs in few git processes:
 * `git diff-tree --stdin -r -z --name-only` reads "A B" lines and prints, for each pair that
 * differs, A's id and then the paths (a pair without differences prints nothing at all).
 */

/**
 * Pure: splits one diff-tree batch's output into paths per header id. `headers` are the first ids
 * of the input lines, each once, in input order: output comes in that order, so a field is a header
 * only if it is one still to come (a path that happens to be a later header's hex id is the one
 * case this misreads).
 */
export function parseDiffTreeBatch(out: string, headers: readonly string[]): Map<string, string[]> {
  const index = new Map(headers.map((h, i) => [h, i]));
  const result = new Map<string, string[]>(headers.map((h) => [h, []]));
  let next = 0;
  let current: string[] | null = null;
  for (const field of out.split('\0')) {
    if (field === '') continue;
    const at = index.get(field);
    if (at !== undefined && at >= next) {
      current = result.get(field)!;
      next = at + 1;
    } else if (current) current.push(field);
  }
  return result;
}

/**
 * Pure: splits pairs into rounds in which no first id repeats, since diff-tree's output names only
 * the first id of each pair. Duplicate pairs are dropped. Usually one round.
 */
export function diffRounds(pairs: readonly (readonly [string, string])[]): [string, string][][] {
  const rounds: Map<string, string>[] = [];
  const seen = new Set<string>();
  for (const [a, b] of pairs) {
    const key = `${a} ${b}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let round = rounds.find((r) => !r.has(a));
    if (!round) rounds.push((round = new Map()));
    round.set(a, b);
  }
  return rounds.map((r) => [...r.entries()]);
}

/** Paths changed between each pair of commits; the key is `${a} ${b}`. */
export async function changedPathsBetween(cwd: string, pairs: readonly (readonly [string, string])[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  for (const round of diffRounds(pairs)) {
    const todo = round.filter(([a, b]) => {
      if (a !== b) return true;
      result.set(`${a} ${b}`, []);
      return false;
    });
    if (todo.length === 0) continue;
    const out = await git(['diff-tree', '--stdin', '-r', '-z', '--name-only', '--no-renames'], {
      cwd,
      input: todo.map(([a, b]) => `${a} ${b}`).join('\n') + '\n',
    });
    const byHeader = parseDiffTreeBatch(out, todo.map(([a]) => a));
    for (const [a, b] of todo) result.set(`${a} ${b}`, byHeader.get(a) ?? []);
  }
  return result;
}

/**
 * Pure: given `git rev-list --parents <tips> ^<base>` output, each tip's fork points: the parents
 * of its commits that the base already has. One fork point is the merge base; none means the tip
 * is already in the base (its merge base is itself, or it shares no history when listed); several
 * (the base was merged into the branch) are left to `git merge-base`.
 */
export function forkPoints(revList: string, tips: readonly string[]): Map<string, string[]> {
  const parents = parseParents(revList);
  const result = new Map<string, string[]>();
  for (const tip of tips) {
    if (!parents.has(tip)) {
      result.set(tip, [tip]);
      continue;
    }
    result.set(tip, [...walkListed(parents, tip).boundary]);
  }
  return result;
}

/**
 * The merge base of each tip with the base commit, in one `rev-list` per base (plus a
 * `git merge-base` only for a branch that merged its base in). Key: tip; null: no common history.
 */
export async function mergeBases(cwd: string, base: string, tips: readonly string[]): Promise<Map<string, string | null>> {
  const unique = [...new Set(tips)];
  const result = new Map<string, string | null>();
  if (unique.length === 0) return result;
  const out = await git(['rev-list', '--parents', '--stdin'], { cwd, input: [...unique, `^${base}`].join('\n') + '\n' });
  for (const [tip, points] of forkPoints(out, unique)) {
    if (points.length === 1) result.set(tip, points[0]!);
    else if (points.length === 0) result.set(tip, null);
    else {
      const res = await gitResult(['merge-base', base, tip], { cwd });
      result.set(tip, res.code === 0 ? res.stdout.trim() : null);
    }
  }
  return result;
}
