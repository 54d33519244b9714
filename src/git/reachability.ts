import { gitResult } from './git.js';

export type Counted = { ok: true; count: number } | { ok: false; error: string };

/** Escapes a ref name for git's wildmatch (`--exclude`), so `*`, `?` and `[` in it match literally. */
export function globLiteral(name: string): string {
  return name.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/**
 * How many commits reachable from `tips` no branch other than `ignoreBranches`, no tag and none
 * of `alsoSafe` (commit ids) reaches: the commits that would be lost if those branches went.
 * Judged on commits, not names: a renamed or deleted base ref changes nothing. Any git failure
 * (a missing object, a broken ref) is an error, never a zero.
 */
export async function unreachableCount(cwd: string, tips: string[], opts: { ignoreBranches: string[]; alsoSafe: string[] }): Promise<Counted> {
  if (tips.length === 0) return { ok: true, count: 0 };
  const args = [
    'rev-list',
    '--count',
    ...tips,
    '--not',
    ...opts.alsoSafe,
    // --exclude patterns for --branches are short names (no refs/heads/)
    ...opts.ignoreBranches.map((b) => `--exclude=${globLiteral(b)}`),
    '--branches',
    '--tags',
    '--',
  ];
  let res;
  try {
    res = await gitResult(args, { cwd });
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  const count = Number(res.stdout.trim());
  if (res.code !== 0 || !Number.isInteger(count)) {
    return { ok: false, error: res.stderr.trim().split('\n').pop() || `git rev-list exited with ${res.code}` };
  }
  return { ok: true, count };
}
