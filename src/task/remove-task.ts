import fs from 'node:fs';
import type { Repo } from '../git/repo.js';
import { deleteBranch } from '../git/branches.js';
import { appendNotes, type NoteEntry } from '../git/notes.js';
import { archiveSnapshots } from '../git/snapshots.js';
import { discardWorktree } from '../git/worktrees.js';
import { uninstallWorktreeHooks } from '../hooks/install.js';
import { killSession } from '../runner/tmux.js';
import type { RemovalPlan } from './removal-facts.js';
import type { Verdict } from './removal.js';
import { runPool } from './pool.js';
import { stopAgent } from './stop-agent.js';
import type { TaskStore } from './store.js';

export interface Removed {
  name: string;
  /** The worktree removed, or null when start's worktree was already gone. */
  worktree: string | null;
  branch: string;
  /** False for an adopted branch (--branch) and for one checked out where rm does not remove. */
  branchDeleted: boolean;
  /** Why the task's own branch was kept anyway (checked out in a worktree start did not make). */
  branchKept: string | null;
  /** Where the task's snapshots were moved (refs/superset/removed/<task>/<time>), or null. */
  snapshots: string | null;
  /** The `removed` event could not be written to the notes (the task is removed regardless). */
  recordError?: string;
}

/**
 * Ends what runs in the task, then removes its worktree (only start's) and moves its snapshots
 * aside. The record's agent, any live session of the task, and processes that say they are the
 * task's are ended: a task whose record was lost must not run on in a deleted directory.
 */
async function tearDown(repo: Repo, plan: RemovalPlan, stopTimeoutMs: number): Promise<string | null> {
  const { task, facts } = plan;
  await Promise.all([
    // a finished task's pid may belong to someone else by now: only a live record's is signalled
    stopAgent(facts.recordLive ? task.pid : null, task.tmuxSession, stopTimeoutMs),
    ...plan.taskProcesses.map((p) => stopAgent(p.pid, null, stopTimeoutMs)),
  ]);
  if (facts.liveSession) killSession(facts.liveSession);
  const wt = facts.worktree;
  if (wt) {
    if (wt.present) await uninstallWorktreeHooks(repo, wt.path).catch(() => {});
    // judged (or forced) already: also a locked one, one whose directory is gone, one git refuses
    await discardWorktree(repo.root, repo.commonDir, wt.path);
  }
  // before the branch goes: a new task of this name must not find them
  return archiveSnapshots(repo.root, task.name);
}

/**
 * Removes tasks that were judged (or forced): only what start made goes — its worktree at start's
 * path, its own branch — and a worktree made by hand on the branch stays, with the branch. Three
 * phases, so a batch costs one notes commit: tear each task down (a few at a time), write every
 * `removed` event on its tip before any branch goes, then delete the branches and records.
 */
export async function removeTasksJudged(
  repo: Repo,
  store: TaskStore,
  plans: { plan: RemovalPlan; verdict: Verdict }[],
  opts: { stopTimeoutMs: number; via?: string },
): Promise<{ removed: Removed[]; failed: { name: string; error: unknown }[] }> {
  const torn = await runPool(plans, 4, ({ plan }) => tearDown(repo, plan, opts.stopTimeoutMs));
  const done = plans
    .map(({ plan, verdict }, i) => ({ plan, verdict, torn: torn[i]!, del: plan.facts.deletesBranch && !verdict.keepBranch }))
    .filter((d) => d.torn.ok);
  const events: NoteEntry[] = done.flatMap(({ plan, del }) =>
    plan.tip ? [{ commit: plan.tip, event: { task: plan.task.name, event: 'removed', branchDeleted: del, ...(opts.via ? { via: opts.via } : {}) } }] : [],
  );
  let recordError: string | undefined;
  // on the tips, before the branches go: the notes keep the history after them
  await appendNotes(repo, events).catch((e: unknown) => (recordError = (e as Error).message));
  const removed: Removed[] = [];
  for (const { plan, verdict, torn: t, del } of done) {
    if (del) await deleteBranch(repo.root, plan.task.branch);
    store.remove(plan.task.name);
    removed.push({
      name: plan.task.name,
      worktree: plan.facts.worktree?.path ?? null,
      branch: plan.task.branch,
      branchDeleted: del,
      branchKept: plan.facts.deletesBranch ? verdict.keepBranch : null,
      snapshots: t.value ?? null,
      ...(recordError ? { recordError } : {}),
    });
  }
  // A task whose teardown failed keeps its branch and record; the others are removed all the same.
  const failed = torn.flatMap((r) => (r.ok ? [] : [{ name: r.item.plan.task.name, error: r.error }]));
  return { removed, failed };
}

/** One task, as `merge` cleans up after itself. */
export async function removeTask(repo: Repo, store: TaskStore, plan: RemovalPlan, verdict: Verdict, opts: { stopTimeoutMs: number; via?: string }): Promise<Removed> {
  const { removed, failed } = await removeTasksJudged(repo, store, [{ plan, verdict }], opts);
  if (failed[0]) throw failed[0].error;
  return removed[0]!;
}

/** The worktrees directory goes with its last worktree: only when empty, only the one we use. */
export function removeIfEmpty(dir: string): void {
  try {
    if (fs.readdirSync(dir).length === 0) fs.rmdirSync(dir);
  } catch {
    /* not there, or not empty any more */
  }
}
