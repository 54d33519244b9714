import { git, gitResult } from './git.js';

export interface BranchTip {
  /** Short name (`superset/auth`). */
  name: string;
  commit: string;
}

/** Every branch under a prefix with its tip commit, in one git process. */
export async function branchesUnder(cwd: string, prefix: string): Promise<BranchTip[]> {
  const out = await git(['for-each-ref', '--format=%(refname:short)%00%(objectname)', `refs/heads/${prefix}`], { cwd });
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name, commit] = line.split('\0');
      return { name: name!, commit: commit! };
    });
}

export async function resolveCommit(cwd: string, rev: string): Promise<string | null> {
  const res = await gitResult(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd });
  return res.code === 0 ? res.stdout.trim() : null;
}

export async function branchExists(cwd: string, branch: string): Promise<boolean> {
  return (await gitResult(['show-ref', '--verify', '--quiet', `refs/heads/${branch}`], { cwd })).code === 0;
}

export async function deleteBranch(cwd: string, branch: string): Promise<void> {
  await git(['branch', '-D', '--', branch], { cwd });
}

/** The branch checked out in a worktree, or null when detached. */
export async function currentBranch(cwd: string): Promise<string | null> {
  const res = await gitResult(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd });
  return res.code === 0 ? res.stdout.trim() : null;
}

/**
 * Commits on each tip that its base does not have, for many tips in ONE git process:
 * list the commits reachable from any tip but from no base, then count per tip in memory.
 * Returns a map tip-commit -> count.
 */
export async function aheadCounts(cwd: string, tips: string[], bases: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const uniqueTips = [...new Set(tips)];
  if (uniqueTips.length === 0) return counts;
  const res = await gitResult(['rev-list', '--parents', '--stdin'], {
    cwd,
    input: [...uniqueTips, ...[...new Set(bases)].map((b) => `^${b}`)].join('\n') + '\n',
  });
  if (res.code !== 0) return counts;
  return countReachable(res.stdout, uniqueTips);
}

/** Pure: `rev-list --parents` output ("<commit> <parent>..." per line) as commit -> parents. */
export function parseParents(revList: string): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (const line of revList.split('\n')) {
    if (!line) continue;
    const [commit, ...ps] = line.split(' ');
    parents.set(commit!, ps);
  }
  return parents;
}

/** Pure: given `rev-list --parents` output, how many listed commits each tip reaches. */
export function countReachable(revList: string, tips: string[]): Map<string, number> {
  const parents = parseParents(revList);
  const counts = new Map<string, number>();
  for (const tip of tips) counts.set(tip, parents.has(tip) ? walkListed(parents, tip).seen.size : 0);
  return counts;
}

/**
 * Pure: the listed commits reachable from `tip` (itself included) through listed commits, and
 * the boundary: parents reached that are not listed (what the excluded side already has).
 */
export function walkListed(parents: Map<string, string[]>, tip: string): { seen: Set<string>; boundary: Set<string> } {
  const seen = new Set<string>();
  const boundary = new Set<string>();
  const stack = [tip];
  while (stack.length) {
    const c = stack.pop()!;
    if (seen.has(c)) continue;
    seen.add(c);
    for (const p of parents.get(c) ?? []) {
      if (parents.has(p)) stack.push(p);
      else boundary.add(p);
    }
  }
  return { seen, boundary };
}

/** The tips of the named branches in one git process; a branch that is gone is not in the map. */
export async function tipsOf(cwd: string, branches: readonly string[]): Promise<Map<string, string>> {
  const tips = new Map<string, string>();
  if (branches.length === 0) return tips;
  const wanted = new Set(branches);
  // for-each-ref patterns match whole path components, so refs/heads/a never matches refs/heads/ab
  const out = await git(['for-each-ref', '--format=%(refname:short)%00%(objectname)', ...[...wanted].map((b) => `refs/heads/${b}`)], { cwd });
  for (const line of out.split('\n').filter(Boolean)) {
    const [name, commit] = line.split('\0');
    if (wanted.has(name!)) tips.set(name!, commit!);
  }
  return tips;
}
