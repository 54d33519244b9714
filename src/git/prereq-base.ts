import { git } from './git.js';
import { mergeTrees } from './merge-tree.js';
import { MACHINE_IDENTITY } from './identity.js';

export interface PrereqTip {
  task: string;
  commit: string;
}

export type PrereqBase = { commit: string } | { conflicts: string[] };

/**
 * The commit a task after `tips` starts from: one prerequisite's tip as it is; several merged
 * without touching any worktree, index or ref (`git merge-tree --write-tree`, then `commit-tree`
 * with every tip as a parent). A tip another one already contains adds nothing and is left out
 * (`merge-base --independent`), so a chain's base is not a merge at all. git 2.39's merge-tree
 * takes two commits: three or more are folded through intermediate commits (objects only, reached
 * by nothing) whose trees carry on. Conflicting tips: every conflicted path, each once, sorted.
 */
export async function baseFromTips(cwd: string, tips: readonly PrereqTip[], forTask?: string): Promise<PrereqBase> {
  if (tips.length === 0) throw new Error('baseFromTips: no prerequisite tips');
  const independent = new Set((await git(['merge-base', '--independent', ...new Set(tips.map((t) => t.commit))], { cwd })).split('\n').filter(Boolean));
  // in the order the prerequisites were named; independent tips are never equal, so each is kept once
  const kept = tips.filter((t, i) => independent.has(t.commit) && tips.findIndex((u) => u.commit === t.commit) === i);
  if (kept.length === 1) return { commit: kept[0]!.commit };
  let acc = kept[0]!.commit;
  let tree = '';
  for (let i = 1; i < kept.length; i++) {
    const [merged] = await mergeTrees(cwd, [[acc, kept[i]!.commit]]);
    if (!merged!.clean) return { conflicts: [...new Set(merged!.conflicts)].sort() };
    tree = merged!.tree;
    if (i < kept.length - 1) acc = await commitTree(cwd, tree, kept.slice(0, i + 1).map((t) => t.commit), 'superset: intermediate prerequisite merge\n');
  }
  return { commit: await commitTree(cwd, tree, kept.map((t) => t.commit), baseMessage(kept, forTask)) };
}

/** The base merge's message: which task it is for, and each prerequisite with its tip. Pure. */
export function baseMessage(tips: readonly PrereqTip[], forTask?: string): string {
  const names = tips.map((t) => t.task).join(', ');
  const subject = forTask ? `superset: start ${forTask} from ${names}` : `superset: merge of ${names}`;
  return `${subject}\n\n${tips.map((t) => `${t.task} ${t.commit}`).join('\n')}\n`;
}

async function commitTree(cwd: string, tree: string, parents: readonly string[], message: string): Promise<string> {
  return (await git(['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-F', '-'], { cwd, env: MACHINE_IDENTITY, input: message })).trim();
}
