import type { Repo } from '../git/repo.js';
import type { SupersetConfig } from '../config/schema.js';
import { git } from '../git/git.js';
import { readNotes, type NoteRecord } from '../git/notes.js';
import { latestEvent } from '../git/note-line.js';
import { baseFromTips } from '../git/prereq-base.js';
import type { TaskStatus } from './lifecycle.js';
import { taskBranch } from './paths.js';
import { readiness, type Readiness } from './task-graph.js';
import type { TaskState } from './state.js';

/**
 * What a waiting task needs to know of its prerequisites, read from git: each one's status and
 * branch tip. A prerequisite with a record is as its record says; one without (the cache was
 * deleted, or it was merged and cleaned up) is as its branch and notes say.
 */
export interface PrereqFact {
  status: TaskStatus;
  /** The commit a dependent starts from: its branch tip (or, merged and gone, the merge commit). */
  tip: string | null;
}

/** Pure: a task whose latest life ended in a merge (a `merged` event after its last `started`) is done. */
export function mergedCommit(events: readonly NoteRecord[], task: string): string | null {
  const own = events.filter((e) => e.task === task);
  const merged = latestEvent(own, (e) => e.event === 'merged');
  const started = latestEvent(own, (e) => e.event === 'started' || e.event === 'queued');
  if (!merged || typeof merged.commit !== 'string') return null;
  return !started || started.t <= merged.t ? merged.commit : null;
}

/**
 * Facts for the prerequisites of `waiting` (names missing from the result were removed): one
 * `for-each-ref` for every branch, and the notes only when a prerequisite has no record.
 */
export async function prereqFacts(repo: Repo, config: SupersetConfig, states: readonly TaskState[], waiting: readonly Pick<TaskState, 'after'>[]): Promise<Map<string, PrereqFact>> {
  const names = [...new Set(waiting.flatMap((t) => t.after ?? []))];
  const facts = new Map<string, PrereqFact>();
  if (names.length === 0) return facts;
  const byName = new Map(states.map((s) => [s.name, s]));
  const branchOf = (n: string) => byName.get(n)?.branch ?? taskBranch(config, n);
  const out = await git(['for-each-ref', '--format=%(refname)%00%(objectname)', ...names.map((n) => `refs/heads/${branchOf(n)}`)], { cwd: repo.root });
  const tips = new Map(out.split('\n').filter(Boolean).map((l) => l.split('\0') as [string, string]));
  const unrecorded: string[] = [];
  for (const n of names) {
    const tip = tips.get(`refs/heads/${branchOf(n)}`) ?? null;
    const s = byName.get(n);
    if (s) facts.set(n, { status: s.status, tip });
    else unrecorded.push(n);
  }
  if (unrecorded.length) {
    const notes = await readNotes(repo).catch(() => [] as NoteRecord[]);
    for (const n of unrecorded) {
      const merged = mergedCommit(notes, n);
      const tip = tips.get(`refs/heads/${branchOf(n)}`) ?? null;
      if (merged && !tip) facts.set(n, { status: 'done', tip: merged });
      else if (tip) facts.set(n, { status: noteStatus(notes, n), tip });
    }
  }
  return facts;
}

/**
 * A task with a branch but no record: how its latest end says it ended. With none since its start
 * it may still run (the cache was deleted under it; its exit handler rebuilds the record), so its
 * dependents wait rather than being blocked by a guess. Pure.
 */
export function noteStatus(notes: readonly NoteRecord[], task: string): TaskStatus {
  const latest = latestEvent(notes.filter((e) => e.task === task));
  if (latest?.event === 'exited') return latest.status === 'done' || latest.status === 'failed' || latest.status === 'stopped' ? latest.status : latest.exitCode === 0 ? 'done' : 'failed';
  if (latest?.event === 'merged') return 'done';
  if (latest?.event === 'stopped' || latest?.event === 'removed') return 'stopped';
  return 'running';
}

/** Readiness from the current records, falling back to `facts` for prerequisites with none. */
export function readinessNow(after: readonly string[], states: readonly TaskState[], facts: ReadonlyMap<string, PrereqFact>): Readiness {
  const statuses = new Map<string, TaskStatus>();
  for (const n of after) {
    const s = states.find((x) => x.name === n)?.status ?? facts.get(n)?.status;
    if (s !== undefined) statuses.set(n, s);
  }
  return readiness(after, statuses);
}

/**
 * The base a ready task launches from: its prerequisites' tips (merged when several), its base
 * ref name kept (what merge, diff and rebase aim at). Conflicting tips, or a done prerequisite
 * whose branch is gone, block it with the reason.
 */
export async function prereqBase(repo: Repo, task: Pick<TaskState, 'name' | 'base' | 'after'>, facts: ReadonlyMap<string, PrereqFact>): Promise<{ ref: string; commit: string } | { blocked: string }> {
  const after = task.after ?? [];
  const noTip = after.filter((n) => !facts.get(n)?.tip);
  if (noTip.length) return { blocked: `${noTip.join(', ')} ${noTip.length > 1 ? 'have' : 'has'} no branch to start from` };
  const res = await baseFromTips(repo.root, after.map((n) => ({ task: n, commit: facts.get(n)!.tip! })), task.name);
  if ('conflicts' in res) return { blocked: `${after.join(' and ')} conflict in ${res.conflicts.join(', ')}` };
  return { ref: task.base, commit: res.commit };
}
