import { isLive, type TaskStatus } from './lifecycle.js';

/**
 * Which queued tasks to launch now: the queue's one decision, pure, so it is tested without a
 * repository. The watcher and `start` call it under the schedule lock (task/queue.ts) and launch
 * what it names.
 */

/** What the decision needs to know of one task. */
export interface SchedTask {
  name: string;
  status: TaskStatus;
  queuedAt?: string;
  queueIndex?: number;
  /** Its batch's `start --max-running`, which wins over config maxRunning. */
  maxRunning?: number;
  /** Tasks it waits for (`--after`). */
  after?: string[];
  /** Its agent has exited (the wrapper wrote the exit code): it is only being recorded. */
  agentExited?: boolean;
}

/** A prerequisite check (task/task-graph.ts readiness): still waiting, ready, or blocked for a reason. */
export type Readiness = 'wait' | 'ready' | { blocked: string };

export interface ScheduleOptions {
  /** config maxRunning; null: no limit. */
  maxRunning: number | null;
  /** config queueCountsIdle: an idle agent still holds its slot. */
  queueCountsIdle: boolean;
  /** Asked only for tasks with `after`; without it such a task waits. */
  readiness?: (task: SchedTask) => Readiness;
}

export interface ScheduleDecision {
  /** Launch these now, in this order. */
  launch: string[];
  /** Mark these blocked (a prerequisite failed, was stopped or removed...). */
  block: { name: string; reason: string }[];
}

/**
 * Whether a task's agent takes a slot: it may run. An idle one too, unless queueCountsIdle is off;
 * one whose agent has exited does not (its memory is free; recording the exit needs no slot).
 */
export function holdsSlot(t: SchedTask, queueCountsIdle: boolean): boolean {
  if (!isLive(t.status)) return false;
  if (t.status === 'idle' && !queueCountsIdle) return false;
  if (t.status === 'finishing' && t.agentExited) return false;
  return true;
}

/** Queue order: when queued, then the place in its batch, then the name (a stable tie-break). */
export function byQueueOrder(a: SchedTask, b: SchedTask): number {
  return (a.queuedAt ?? '').localeCompare(b.queuedAt ?? '') || (a.queueIndex ?? 0) - (b.queueIndex ?? 0) || a.name.localeCompare(b.name);
}

/** The queued tasks in the order they will start. */
export function queueOrder<T extends SchedTask>(tasks: readonly T[]): T[] {
  return tasks.filter((t) => t.status === 'queued').sort(byQueueOrder);
}

/** Each queued task's 1-based place in the queue (`ls`'s queuePosition). */
export function queuePositions(tasks: readonly SchedTask[]): Map<string, number> {
  return new Map(queueOrder(tasks).map((t, i) => [t.name, i + 1]));
}

/**
 * The decision. In queue order, a task that is ready (no `after`, or its prerequisites done)
 * launches while fewer agents than its limit hold a slot; each launch takes one. A task whose
 * prerequisites still run does not hold up those behind it.
 */
export function schedule(tasks: readonly SchedTask[], opts: ScheduleOptions): ScheduleDecision {
  let holding = tasks.filter((t) => holdsSlot(t, opts.queueCountsIdle)).length;
  const launch: string[] = [];
  const block: ScheduleDecision['block'] = [];
  for (const t of queueOrder(tasks)) {
    if (t.after?.length) {
      const r = opts.readiness ? opts.readiness(t) : 'wait';
      if (r === 'wait') continue;
      if (r !== 'ready') {
        block.push({ name: t.name, reason: r.blocked });
        continue;
      }
    }
    const limit = t.maxRunning ?? opts.maxRunning ?? Infinity;
    if (holding >= limit) continue;
    launch.push(t.name);
    holding++;
  }
  return { launch, block };
}
