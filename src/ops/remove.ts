import type { Workspace } from '../context.js';
import { UserError, messageOf } from '../errors.js';
import { gitResult } from '../git/git.js';
import { anchorRef } from '../task/anchor.js';
import { isFinal, isPending, transition } from '../task/lifecycle.js';
import { withFileLock } from '../task/lock.js';
import { recordOnAnchor } from '../task/queue.js';
import { startLockPath } from '../task/start-task.js';
import { requireTasks } from '../task/require.js';
import { TaskStore } from '../task/store.js';
import { worktreesDir } from '../task/paths.js';
import { gatherRemovalFacts } from '../task/removal-facts.js';
import { judgeRemoval, refusalLine } from '../task/removal.js';
import { removeIfEmpty, removeTasksJudged, type Removed } from '../task/remove-task.js';
import { StepFailed } from '../env/shell-steps.js';
import { releaseTaskPorts, teardownTask } from '../env/teardown.js';
import * as msg from '../messages.js';

export interface RemoveOptions {
  names: string[];
  /** Remove even what would lose work: end what runs, discard uncommitted files and commits. */
  force?: boolean;
}

export interface Refused {
  name: string;
  /** Each thing removal would lose, or could not rule out. */
  reasons: string[];
  /** Something still runs in the task: stop it first. */
  running: boolean;
  /** The one line the CLI prints (without its prefix, msg.PREFIX). */
  message: string;
}

export interface RemoveResult {
  removed: Removed[];
  /** Non-empty only without force, and then nothing was removed (but for a failed teardown: see below). */
  refused: Refused[];
  /** Config teardown failed; without force that task was kept (its teardown can be fixed and rm run again). */
  teardownFailed: { name: string; message: string; forced: boolean }[];
  /** Removing these failed (git, a process that would not end): the rest of the batch was removed. */
  failed: { name: string; message: string }[];
}

/**
 * Removes the named tasks, or none of them: every task is judged before any is touched, and
 * without force one refusal leaves all of them as they were (every refusal is reported).
 */
export async function removeTasks(ws: Workspace, opts: RemoveOptions): Promise<RemoveResult> {
  const store = new TaskStore(ws.repo);
  // a name given twice is one task, removed once
  const tasks = await requireTasks(ws, [...new Set(opts.names)]);
  const plans = await gatherRemovalFacts(ws.repo, ws.config, store, tasks);
  const verdicts = plans.map((p) => judgeRemoval(p.facts));
  const refused = verdicts
    .filter((v) => v.reasons.length)
    .map((v) => ({ name: v.name, reasons: v.reasons, running: v.running, message: refusalLine(v) }));
  if (refused.length && !opts.force) return { removed: [], refused, teardownFailed: [], failed: [] };
  // A queued task is taken out of the queue first (under its start lock, so the watcher is not
  // launching it this moment): it has only its record and its anchor, both removed below.
  const dequeued = await dequeue(store, tasks.filter((t) => isPending(t.status)).map((t) => t.name));
  const teardownFailed: RemoveResult['teardownFailed'] = [];
  const judged: { plan: (typeof plans)[number]; verdict: (typeof verdicts)[number] }[] = [];
  for (const [i, plan] of plans.entries()) {
    // config teardown runs in the worktree before it goes (and stops the task's dev server)
    const failed = await teardownTask(ws, tasks[i]!).then(
      () => null,
      (e: unknown) => {
        if (!(e instanceof StepFailed)) throw e;
        return e.message;
      },
    );
    if (failed) {
      teardownFailed.push({ name: tasks[i]!.name, message: failed, forced: Boolean(opts.force) });
      if (!opts.force) continue;
    }
    judged.push({ plan, verdict: verdicts[i]! });
  }
  const { removed, failed } = await removeTasksJudged(ws.repo, store, judged, { stopTimeoutMs: 1000 * ws.config.stopTimeoutSeconds });
  for (const r of removed) await releaseTaskPorts(ws, r.name);
  // a task that never ran has only its anchor in git; a queued relaunch keeps it (its earlier runs' events)
  const neverRan = new Set(tasks.filter((t) => t.commit === null).map((t) => t.name));
  for (const name of dequeued.filter((n) => neverRan.has(n) && removed.some((r) => r.name === n))) await forgetQueued(ws, name);
  removeIfEmpty(worktreesDir(ws.repo, ws.config));
  // One task asked for: its failure is the answer (as before); a batch reports each with its task.
  if (tasks.length === 1 && failed[0]) throw failed[0].error;
  return { removed, refused: [], teardownFailed, failed: failed.map((f) => ({ name: f.name, message: messageOf(f.error) })) };
}

/** Marks queued tasks stopped so nothing launches them; refuses if one was launched meanwhile. */
async function dequeue(store: TaskStore, names: string[]): Promise<string[]> {
  const at = new Date().toISOString();
  for (const name of names) {
    const ok = await withFileLock(startLockPath(store, name), async () => {
      const cur = store.read(name);
      if (!cur) return true;
      if (!isPending(cur.status) && !isFinal(cur.status)) return false;
      await store.update(name, (s) => (isPending(s.status) ? transition(s, { type: 'stop-requested', at, reason: 'removed before it was launched' }) : null));
      return true;
    });
    if (!ok) throw new UserError(msg.rm.launchedMeanwhile(name));
  }
  return names;
}

/** A task that never launched: its `removed` event on its anchor, then the anchor itself goes. */
async function forgetQueued(ws: Workspace, name: string): Promise<void> {
  await recordOnAnchor(ws.repo, { task: name, event: 'removed', branchDeleted: false, queued: true }).catch(() => false);
  await gitResult(['update-ref', '-d', anchorRef(name)], { cwd: ws.repo.root });
}
