import { git } from './git.js';

/**
 * Merges computed by `git merge-tree --write-tree`, which writes only objects: no worktree, index
 * or ref is touched. Many merges run in ONE process (`--stdin`, one "A B" line each).
 */
export interface MergeTreeResult {
  clean: boolean;
  /** The merged tree (with conflict markers in conflicted files when not clean). */
  tree: string;
  /** Conflicted paths, each once. */
  conflicts: string[];
}

/**
 * Pure: parses `git merge-tree --stdin -z --name-only --no-messages` output. Each merge is
 * `<status>\0<tree>\0` then its conflicted paths, each `\0`-terminated, then an empty field; status
 * 1 is clean, 0 conflicted. Without --no-messages the message section would make records ambiguous.
 */
export function parseMergeTreeBatch(out: string): MergeTreeResult[] {
  const fields = out.split('\0');
  const results: MergeTreeResult[] = [];
  let i = 0;
  while (i < fields.length && fields[i] !== '') {
    const status = fields[i++]!;
    const tree = fields[i++] ?? '';
    const conflicts: string[] = [];
    while (i < fields.length && fields[i] !== '') conflicts.push(fields[i++]!);
    i++; // the empty field that ends the record
    if (status !== '0' && status !== '1') throw new Error(`unexpected git merge-tree output: status ${JSON.stringify(status)}`);
    results.push({ clean: status === '1', tree, conflicts });
  }
  return results;
}

/** One merge per pair of commits, all in one git process; results in input order. */
export async function mergeTrees(cwd: string, pairs: readonly (readonly [string, string])[]): Promise<MergeTreeResult[]> {
  if (pairs.length === 0) return [];
  const out = await git(['merge-tree', '--stdin', '-z', '--name-only', '--no-messages'], {
    cwd,
    input: pairs.map(([a, b]) => `${a} ${b}`).join('\n') + '\n',
  });
  const results = parseMergeTreeBatch(out);
  if (results.length !== pairs.length) throw new Error(`git merge-tree answered ${results.length} of ${pairs.length} merges`);
  return results;
}
