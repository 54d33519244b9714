import type { Workspace } from '../context.js';
import { git } from '../git/git.js';
import type { TaskView } from './catalog.js';
import { loadTaskChanges } from './changes.js';
import { overlappingPairs, overlapsByTask, withoutStacked } from './overlap.js';
import { resolveBase } from './start-task.js';

export interface TaskOverlap {
  task: string;
  files: string[];
}

/**
 * The early warning of `ls`: which unmerged tasks touch a file another one also touches. A task's
 * paths are its branch's diff against its base, plus its uncommitted work as the watcher last
 * snapshotted it (a snapshot on top of the current tip holds both). A fixed number of git
 * processes whatever the number of tasks: one for-each-ref, per base a rev-parse and a rev-list,
 * one diff-tree.
 */
export async function taskOverlaps(ws: Workspace, tasks: readonly TaskView[]): Promise<Map<string, TaskOverlap[]>> {
  // Only a task with commits ahead of its base, or uncommitted files the watcher saw, can overlap:
  // with fewer than two of those (the usual `ls`), no git process at all.
  const withTips = tasks.filter((t) => t.commit && ((t.ahead ?? 1) > 0 || (t.changedFiles ?? 0) > 0));
  if (withTips.length < 2) return new Map();
  const snaps = !withTips.some((t) => (t.changedFiles ?? 0) > 0) ? '' : await git(['for-each-ref', '--format=%(refname)%00%(objectname)%00%(parent)', 'refs/superset/snapshots/'], { cwd: ws.repo.root });
  const snapshotOf = new Map<string, { commit: string; parent: string }>();
  for (const line of snaps.split('\n')) {
    const [ref, commit, parent] = line.split('\0');
    if (ref && commit && parent) snapshotOf.set(ref.slice('refs/superset/snapshots/'.length), { commit, parent: parent.split(' ')[0]! });
  }
  let fallback: string | null = null;
  const tips = [];
  for (const t of withTips) {
    const base = t.base && t.base !== 'HEAD' ? t.base : (fallback ??= (await resolveBase(ws.repo, ws.config.base)).ref);
    const snap = snapshotOf.get(t.name);
    tips.push({ name: t.name, commit: snap && snap.parent === t.commit ? snap.commit : t.commit!, base });
  }
  const changes = (await loadTaskChanges(ws.repo, tips)).filter((c) => c.mergeBase !== c.tip);
  const afterOf = new Map(tasks.map((t) => [t.name, t.after ?? []] as const));
  return overlapsByTask(withoutStacked(overlappingPairs(changes), afterOf));
}
