import { UserError } from '../errors.js';
import * as msg from '../messages.js';
import type { TaskStatus } from './lifecycle.js';
import { taskNameProblem } from './name.js';

/**
 * The task graph (`start b --after a`): which batches may be started, and when a waiting task may
 * launch. Pure: the callers read the tasks and write the records.
 *
 * Arrows in messages point the way work flows: `a -> b` is "b runs after a".
 */

export interface GraphNode {
  name: string;
  /** Prerequisites: tasks that must be done before this one starts. */
  after?: readonly string[];
}

/**
 * `--after a --after c` and `--after a,c` (and any mix): the names, each once, in the order given;
 * each held to the task name rules (a prerequisite is a task).
 */
export function afterList(values: readonly string[]): string[] {
  const names = [...new Set(values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean))];
  for (const n of names) {
    const problem = taskNameProblem(n);
    if (problem) throw new UserError(msg.waiting.badPrerequisite(n, problem));
  }
  return names;
}

/**
 * Why a batch cannot be started, or null: a prerequisite that is neither an existing task nor in
 * the batch, a task after itself, or a cycle over the batch and the existing tasks' prerequisites.
 * A batch entry replaces an existing task of its name (a restart may give new prerequisites).
 */
export function graphProblem(specs: readonly GraphNode[], existing: readonly GraphNode[]): string | null {
  const graph = new Map<string, readonly string[]>();
  for (const e of existing) graph.set(e.name, e.after ?? []);
  for (const s of specs) graph.set(s.name, s.after ?? []);
  for (const s of specs) {
    for (const p of s.after ?? []) {
      if (p === s.name) return `${s.name} cannot run after itself`;
      if (!graph.has(p)) return `${s.name} is after ${p}, which is not a task (start ${p} too, or in the same batch)`;
    }
  }
  const cycle = findCycle(specs.map((s) => s.name), graph);
  return cycle ? `dependency cycle: ${cycle.join(' -> ')}` : null;
}

/**
 * The first cycle reachable from `roots` (in their order), in the direction work flows and closed
 * (`[a, b, c, a]`: b after a, c after b, a after c), starting at the cycle's first name among the
 * roots; null when there is none. Iterative depth-first search: a chain of 1,000 tasks is fine.
 */
export function findCycle(roots: readonly string[], graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const done = new Set<string>();
  for (const root of roots) {
    if (done.has(root)) continue;
    // path: the tasks on the current walk (each after the next one's prerequisite list position)
    const path: string[] = [];
    const onPath = new Set<string>();
    const stack: { name: string; next: number }[] = [{ name: root, next: 0 }];
    path.push(root);
    onPath.add(root);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const prereqs = graph.get(top.name) ?? [];
      if (top.next >= prereqs.length) {
        stack.pop();
        path.pop();
        onPath.delete(top.name);
        done.add(top.name);
        continue;
      }
      const p = prereqs[top.next++]!;
      if (onPath.has(p)) {
        // path from p to top, each after the next: reversed, it reads in the order work flows
        const loop = path.slice(path.indexOf(p)).reverse();
        return rotate(loop, roots);
      }
      if (done.has(p) || !graph.has(p)) continue;
      stack.push({ name: p, next: 0 });
      path.push(p);
      onPath.add(p);
    }
  }
  return null;
}

/** The loop (open, flow order) started at its member that comes first in `order`, then closed. */
function rotate(loop: string[], order: readonly string[]): string[] {
  const rank = (n: string) => {
    const i = order.indexOf(n);
    return i < 0 ? order.length : i;
  };
  let start = 0;
  for (let i = 1; i < loop.length; i++) if (rank(loop[i]!) < rank(loop[start]!)) start = i;
  const open = [...loop.slice(start), ...loop.slice(0, start)];
  return [...open, open[0]!];
}

export type Readiness =
  | { kind: 'ready' }
  /** Prerequisites that are not done yet (queued, starting, running, idle, waiting, finishing). */
  | { kind: 'wait'; on: string[] }
  | { kind: 'blocked'; reason: string };

/**
 * Whether a task after `after` may launch, given each prerequisite's status (a name missing from
 * the map was removed). Ready when every one is done; blocked when one ended failed or stopped, is
 * gone, or is blocked itself (so a failure blocks the whole chain after it, each naming why);
 * else it waits. Every blocking prerequisite is named, in `after` order.
 */
export function readiness(after: readonly string[], prereqs: ReadonlyMap<string, TaskStatus>): Readiness {
  const reasons: string[] = [];
  const waiting: string[] = [];
  for (const name of after) {
    const status = prereqs.get(name);
    if (status === undefined) reasons.push(`${name} was removed`);
    else if (status === 'failed') reasons.push(`${name} failed`);
    else if (status === 'stopped') reasons.push(`${name} was stopped`);
    else if (status === 'blocked') reasons.push(`${name} is blocked`);
    else if (status !== 'done') waiting.push(name);
  }
  if (reasons.length) return { kind: 'blocked', reason: reasons.join(', ') };
  if (waiting.length) return { kind: 'wait', on: waiting };
  return { kind: 'ready' };
}

/** Blocked tasks whose only reason is that some of `names` (or, in turn, of them) were blocked. Pure. */
export function blockedBehind<T extends { name: string; status: TaskStatus; after?: readonly string[]; reason?: string }>(states: readonly T[], names: readonly string[]): T[] {
  const out: T[] = [];
  const retried = new Set(names);
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of states) {
      if (s.status !== 'blocked' || retried.has(s.name) || !s.after?.length || !s.reason) continue;
      const causes = s.reason.split(', ').map((r) => /^(.+) is blocked$/.exec(r)?.[1]);
      if (causes.every((c) => c !== undefined && retried.has(c))) {
        out.push(s);
        retried.add(s.name);
        grew = true;
      }
    }
  }
  return out;
}
