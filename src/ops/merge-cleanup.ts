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
import * as msg from '../messages.js';

/**
 * After a merge: the `merged` event on the task's tip, then (unless keep) the task is removed the
 * way `rm` removes it (agent and session ended, start's worktree, its own branch, runtime state;
 * snapshots moved aside). Judged as rm judges, less the branch's own commits: a squash or rebase
 * merge leaves them unreachable although their work is in the base. Returns whether it cleaned up.
 */
export async function cleanUpMerged(
  ws: Workspace,
  t: TaskView,
  m: { target: string; commit: string; strategy: MergeStrategy; keep: boolean; force?: boolean; warn?: (text: string) => void },
): Promise<boolean> {
  const warn = m.warn ?? ((text: string) => process.stderr.write(text));
  await bestEffort('the merge', () => recordOnTip(ws.repo, t.branch, { task: t.name, event: 'merged', target: m.target, commit: m.commit, strategy: m.strategy }), warn);
  if (m.keep) return false;
  // The same judgement and removal as `rm`, less the branch's commits: the merge put its work in
  // the base (a squash or a rebase copies it instead of keeping those commits). Anything else that
  // would be lost (a detached HEAD's commits, something running unless --force, a hand-made worktree) keeps the task.
  const store = new TaskStore(ws.repo);
  const [plan] = await gatherRemovalFacts(ws.repo, ws.config, store, [t]);
  // `merge --force` was told to merge a running task: what runs in it is ended, as `rm --force` would.
  const running = m.force ? { recordLive: false, liveSession: null, processes: [] } : {};
  const verdict = judgeRemoval({ ...plan!.facts, branchOnly: null, ...running });
  if (verdict.reasons.length) {
    warn(msg.line(msg.merge.keptAfterMerge(t.name, verdict.reasons)));
    return false;
  }
  // config teardown (and the dev server's stop) before the worktree goes; a failing teardown keeps
  // the worktree and branch (the work is merged already): fix it, then rm the task
  try {
    await teardownTask(ws, t);
  } catch (e) {
    warn(msg.line(msg.merge.teardownFailed(t.name, (e as Error).message.split('\n')[0] ?? '')));
    return false;
  }
  const removed = await removeTask(ws.repo, store, plan!, verdict, { stopTimeoutMs: 1000 * ws.config.stopTimeoutSeconds, via: 'merge' });
  if (removed.recordError) warn(msg.line(msg.rm.notRecorded(removed.recordError.split('\n')[0]!)));
  removeIfEmpty(worktreesDir(ws.repo, ws.config));
  await releaseTaskPorts(ws, t.name);
  return true;
}
