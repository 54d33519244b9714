import type { Workspace } from '../context.js';
import type { TaskView } from '../task/catalog.js';
import { bestEffort, recordOnTip } from '../task/events.js';
import { TaskStore } from '../task/store.js';
import { worktreesDir } from '../task/paths.js';
import { gatherRemovalFacts } from '../task/removal-facts.js';
import { judgeRemoval } from '../task/removal.js';
import { removeIfEmpty, removeTask } from '../task/remove-task.js';
import type { MergeStrategy } from '../task/merge-rules.js';
import { releaseTaskPorts, teardownTask } from '../env/teardown.js';

/**
 * After a merge: the `merged` event on the task's tip, then (unless keep) the task is removed the
 * way `rm --force` removes it (agent and session ended, start's worktree, its own branch, runtime
 * state; snapshots moved aside). Forced, because a squash or rebase merge leaves the branch's own
 * commits unreachable although their work is in the base; merge checked for uncommitted work first.
 * Returns whether it cleaned up.
 */
export async function cleanUpMerged(
  ws: Workspace,
  t: TaskView,
  m: { target: string; commit: string; strategy: MergeStrategy; keep: boolean; warn?: (text: string) => void },
): Promise<boolean> {
  const warn = m.warn ?? ((text: string) => process.stderr.write(text));
  await bestEffort('the merge', () => recordOnTip(ws.repo, t.branch, { task: t.name, event: 'merged', target: m.target, commit: m.commit, strategy: m.strategy }), warn);
  if (m.keep) return false;
  // config teardown (and the dev server's stop) before the worktree goes; a failing teardown keeps
  // the worktree and branch (the work is merged already): fix it, then rm the task
  try {
    await teardownTask(ws, t);
  } catch (e) {
    warn(`git superset: ${t.name}: ${(e as Error).message.split('\n')[0]}; worktree kept (git superset rm ${t.name})\n`);
    return false;
  }
  const store = new TaskStore(ws.repo);
  const [plan] = await gatherRemovalFacts(ws.repo, ws.config, store, [t]);
  const removed = await removeTask(ws.repo, store, plan!, judgeRemoval(plan!.facts), { stopTimeoutMs: 1000 * ws.config.stopTimeoutSeconds });
  if (removed.recordError) warn(`git-superset: could not record the removal: ${removed.recordError.split('\n')[0]}\n`);
  removeIfEmpty(worktreesDir(ws.repo, ws.config));
  await releaseTaskPorts(ws, t.name);
  return true;
}
