/**
 * Which tasks touch the same files: the pure half of `conflicts` and of the `ls` overlap warning.
 * Only pairs that share a changed path can conflict, so only those need a merge: 100 tasks with 5
 * overlapping pairs cost 5 merges, not 4,950.
 */
export interface PathSet {
  task: string;
  paths: readonly string[];
}

export interface Overlap {
  a: string;
  b: string;
  /** Paths both changed, sorted. */
  files: string[];
}

/**
 * Every pair of tasks whose paths intersect, found through an index path -> tasks (never by
 * comparing all pairs). With `focus`, only pairs that involve a focused task. Pairs come in input
 * order of their first task, then of their second.
 */
export function overlappingPairs(sets: readonly PathSet[], focus?: ReadonlySet<string>): Overlap[] {
  const order = new Map(sets.map((s, i) => [s.task, i]));
  const byPath = new Map<string, string[]>();
  for (const s of sets) {
    for (const p of new Set(s.paths)) {
      const list = byPath.get(p);
      if (list) list.push(s.task);
      else byPath.set(p, [s.task]);
    }
  }
  const shared = new Map<string, { a: string; b: string; files: string[] }>();
  for (const [p, tasks] of byPath) {
    if (tasks.length < 2) continue;
    for (let i = 0; i < tasks.length; i++) {
      for (let j = i + 1; j < tasks.length; j++) {
        const [a, b] = order.get(tasks[i]!)! < order.get(tasks[j]!)! ? [tasks[i]!, tasks[j]!] : [tasks[j]!, tasks[i]!];
        if (focus && !focus.has(a) && !focus.has(b)) continue;
        const key = `${a}\0${b}`;
        const entry = shared.get(key);
        if (entry) entry.files.push(p);
        else shared.set(key, { a, b, files: [p] });
      }
    }
  }
  return [...shared.values()]
    .map((o) => ({ ...o, files: o.files.sort() }))
    .sort((x, y) => order.get(x.a)! - order.get(y.a)! || order.get(x.b)! - order.get(y.b)!);
}

/**
 * Pure: the pairs left once stacked tasks are taken out. A task started `--after` another starts
 * from its work, so its branch holds the other's changes: they share paths by construction, and
 * merging one after the other cannot conflict on them. `afterOf`: each task's prerequisites.
 */
export function withoutStacked(pairs: readonly Overlap[], afterOf: ReadonlyMap<string, readonly string[]>): Overlap[] {
  const below = (from: string, target: string): boolean => {
    const seen = new Set<string>();
    const stack = [...(afterOf.get(from) ?? [])];
    while (stack.length) {
      const t = stack.pop()!;
      if (t === target) return true;
      if (seen.has(t)) continue;
      seen.add(t);
      stack.push(...(afterOf.get(t) ?? []));
    }
    return false;
  };
  return pairs.filter((o) => !below(o.a, o.b) && !below(o.b, o.a));
}

/** Pure: for each task, the other tasks it overlaps and the shared files (what `ls --json` shows). */
export function overlapsByTask(pairs: readonly Overlap[]): Map<string, { task: string; files: string[] }[]> {
  const result = new Map<string, { task: string; files: string[] }[]>();
  const add = (from: string, to: string, files: string[]) => {
    const list = result.get(from) ?? [];
    list.push({ task: to, files });
    result.set(from, list);
  };
  for (const o of pairs) {
    add(o.a, o.b, o.files);
    add(o.b, o.a, o.files);
  }
  return result;
}

/**
 * Pure: does merging a task into its base need a real merge to tell whether it conflicts?
 * Not when the base has not moved since the task forked (a fast-forward), nor when the base's
 * changes since then touch none of the task's paths.
 */
export function needsBaseMerge(c: { mergeBase: string | null; baseTip: string; paths: readonly string[]; basePaths: readonly string[] }): boolean {
  // Unrelated histories: git refuses such a merge outright, there is no conflict to predict.
  if (c.mergeBase === null) return false;
  if (c.mergeBase === c.baseTip || c.paths.length === 0) return false;
  const mine = new Set(c.paths);
  return c.basePaths.some((p) => mine.has(p));
}
