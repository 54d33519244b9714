import fs from 'node:fs';
import type { Workspace } from '../context.js';
import { gitResult } from '../git/git.js';
import { branchExists, deleteBranch } from '../git/branches.js';
import { removeWorktree } from '../git/worktrees.js';
import { uninstallWorktreeHooks } from '../hooks/install.js';
import type { TaskView } from '../task/catalog.js';
import { bestEffort, recordOnTip } from '../task/events.js';
import { stopAgent } from '../task/stop-agent.js';
import { TaskStore } from '../task/store.js';
import type { MergeStrategy } from '../task/merge-rules.js';

/**
 * After a merge: the `merged` event on the task's tip, then (unless keep) its agent, tmux session,
 * worktree, branch and runtime state go, as `rm` removes them. Returns whether it cleaned up.
 * Only called once the work is in the base, and after the uncommitted-work check.
 */
export async function cleanUpMerged(
  ws: Workspace,
  t: TaskView,
  m: { target: string; commit: string; strategy: MergeStrategy; keep: boolean; warn?: (text: string) => void },
): Promise<boolean> {
  const warn = m.warn ?? ((text: string) => process.stderr.write(text));
  await bestEffort('the merge', () => recordOnTip(ws.repo, t.branch, { task: t.name, event: 'merged', target: m.target, commit: m.commit, strategy: m.strategy }), warn);
  if (m.keep) return false;
  await stopAgent(t.pid, t.tmuxSession, 1000 * ws.config.stopTimeoutSeconds);
  if (t.worktree) {
    if (fs.existsSync(t.worktree)) await uninstallWorktreeHooks(ws.repo, t.worktree).catch(() => {});
    if (fs.existsSync(t.worktree)) await removeWorktree(ws.repo.root, t.worktree, true);
    await gitResult(['worktree', 'prune'], { cwd: ws.repo.root });
  }
  // A branch adopted with --branch is the user's own: only the task's own branch is deleted.
  const ownBranch = t.branch.startsWith(ws.config.branchPrefix);
  await bestEffort('the removal', () => recordOnTip(ws.repo, t.branch, { task: t.name, event: 'removed', branchDeleted: ownBranch, via: 'merge' }), warn);
  if (ownBranch && (await branchExists(ws.repo.root, t.branch))) await deleteBranch(ws.repo.root, t.branch);
  new TaskStore(ws.repo).remove(t.name);
  return true;
}
