import type { Workspace } from '../context.js';
import { messageOf } from '../errors.js';
import { requireTasks } from '../task/require.js';
import { TaskStore } from '../task/store.js';
import { worktreesDir } from '../task/paths.js';
import { gatherRemovalFacts } from '../task/removal-facts.js';
import { judgeRemoval, refusalLine } from '../task/removal.js';
import { removeIfEmpty, removeTasksJudged, type Removed } from '../task/remove-task.js';
import { StepFailed } from '../env/shell-steps.js';
import { releaseTaskPorts, teardownTask } from '../env/teardown.js';

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
  removeIfEmpty(worktreesDir(ws.repo, ws.config));
  // One task asked for: its failure is the answer (as before); a batch reports each with its task.
  if (tasks.length === 1 && failed[0]) throw failed[0].error;
  return { removed, refused: [], teardownFailed, failed: failed.map((f) => ({ name: f.name, message: messageOf(f.error) })) };
}
