import fs from 'node:fs';
import type { Command } from 'commander';
import { UserError } from '../errors.js';
import { json, openWorkspace, type Ctx, type Workspace } from '../context.js';
import { gitResult } from '../git/git.js';
import { branchExists, deleteBranch } from '../git/branches.js';
import { removeWorktree, uncommittedPaths } from '../git/worktrees.js';
import { requireTasks } from '../task/require.js';
import { TaskStore } from '../task/store.js';
import { LIVE_STATUSES } from '../task/state.js';
import { stopAgent } from '../task/stop-agent.js';
import { bestEffort, recordOnTip } from '../task/events.js';
import { uninstallWorktreeHooks } from '../hooks/install.js';
import type { TaskView } from '../task/catalog.js';

export function define(cmd: Command): void {
  cmd
    .argument('<tasks...>', 'task names')
    .option('-f, --force', 'also remove running tasks, uncommitted changes and commits not merged into the base')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nWithout --force, rm refuses when it would lose work, and says what would be lost.');
}

async function commitsNotInBase(ws: Workspace, task: TaskView): Promise<number> {
  const res = await gitResult(['rev-list', '--count', `${task.base ?? 'HEAD'}..${task.branch}`, '--'], { cwd: ws.repo.root });
  return res.code === 0 ? Number(res.stdout.trim()) : 0;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What removing the task would lose, as phrases; empty when nothing. */
async function wouldLose(ws: Workspace, task: TaskView): Promise<string[]> {
  const lost: string[] = [];
  if (LIVE_STATUSES.includes(task.status)) lost.push('a running agent');
  if (task.worktree && fs.existsSync(task.worktree)) {
    const dirty = await uncommittedPaths(task.worktree);
    if (dirty.length) lost.push(plural(dirty.length, 'uncommitted file'));
  }
  if (ws.config.branchPrefix && task.branch.startsWith(ws.config.branchPrefix)) {
    const ahead = await commitsNotInBase(ws, task);
    if (ahead) lost.push(`${plural(ahead, 'commit')} not in ${task.base ?? 'HEAD'}`);
  }
  return lost;
}

export async function run(ctx: Ctx, names: string[], opts: { force?: boolean; json?: boolean }): Promise<number> {
  const ws = await openWorkspace(ctx);
  const store = new TaskStore(ws.repo);
  const tasks = await requireTasks(ws, names);
  // Check every task before touching any, so a refusal leaves all of them as they were.
  if (!opts.force) {
    for (const task of tasks) {
      const lost = await wouldLose(ws, task);
      if (lost.length) throw new UserError(`refusing to remove ${task.name}: it has ${lost.join(', ')} (use --force to discard)`);
    }
  }
  const results = [];
  for (const task of tasks) {
    await stopAgent(task.pid, task.tmuxSession, 1000 * ws.config.stopTimeoutSeconds);
    if (task.worktree) {
      if (fs.existsSync(task.worktree)) await uninstallWorktreeHooks(ws.repo, task.worktree).catch(() => {});
      if (fs.existsSync(task.worktree)) await removeWorktree(ws.repo.root, task.worktree, true);
      await gitResult(['worktree', 'prune'], { cwd: ws.repo.root });
    }
    // A branch adopted with --branch is the user's own: only the task's own branch is deleted.
    const ownBranch = task.branch.startsWith(ws.config.branchPrefix);
    // on the tip, before the branch goes: the notes keep the history after it
    await bestEffort('the removal', () => recordOnTip(ws.repo, task.branch, { task: task.name, event: 'removed', branchDeleted: ownBranch }), ctx.err);
    if (ownBranch && (await branchExists(ws.repo.root, task.branch))) await deleteBranch(ws.repo.root, task.branch);
    store.remove(task.name);
    results.push({ name: task.name, worktree: task.worktree, branch: ownBranch ? task.branch : null });
    if (!opts.json) ctx.out(`removed ${task.name}${ownBranch ? ` (branch ${task.branch} deleted)` : ` (branch ${task.branch} kept)`}\n`);
  }
  if (opts.json) ctx.out(json(results));
  return 0;
}
