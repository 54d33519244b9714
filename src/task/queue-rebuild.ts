import fs from 'node:fs';
import path from 'node:path';
import type { Repo } from '../git/repo.js';
import type { SupersetConfig } from '../config/schema.js';
import { gitResult } from '../git/git.js';
import { readNotes, type NoteRecord } from '../git/notes.js';
import { latestEvent } from '../git/note-line.js';
import { ANCHOR_PREFIX } from './anchor.js';
import { isPending, statusFromNote } from './lifecycle.js';
import { worktreePath } from './paths.js';
import type { TaskState } from './state.js';
import { cloneId } from './clone.js';
import type { TaskStore } from './store.js';

/**
 * A queued task has no branch (a queued relaunch has one, but no record), so when `.git/superset` is deleted nothing but git remembers it: its
 * anchor (refs/superset/tasks/<task>) and its `queued` event, which holds all its launch needs.
 * The first reader of a cache that has not been checked since it was (re)made rebuilds those
 * records, so the watcher launches them as before. The check leaves a marker in .git/superset
 * (which goes with the cache): every later read costs one stat.
 */
const MARKER = 'queue-checked';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Pure: a task's record from its events, when its latest says it waits (queued / blocked) and it
 * was queued in this clone (`clone`; events from before it was recorded count as this clone's);
 * else null.
 */
export function recordFromEvents(repo: Repo, config: SupersetConfig, task: string, events: readonly NoteRecord[], clone: string): TaskState | null {
  const latest = latestEvent(events);
  const queued = latestEvent(events, (e) => e.event === 'queued');
  if (!latest || !queued || !isPending(statusFromNote(latest))) return null;
  const foreign = typeof queued.clone === 'string' && queued.clone !== clone;
  if (foreign) return null;
  const runner = queued.runner === 'tmux' ? 'tmux' : 'headless';
  const after = Array.isArray(queued.after) ? queued.after.filter((a): a is string => typeof a === 'string') : [];
  const parent = str(queued.parent);
  return {
    v: 1,
    name: task,
    branch: str(queued.branch) ?? `${config.branchPrefix}${task}`,
    worktree: worktreePath(repo, config, task),
    agent: str(queued.agent) ?? config.agent,
    argv: [],
    runner,
    base: str(queued.base) ?? 'HEAD',
    baseCommit: str(queued.baseCommit) ?? '',
    ...(typeof queued.prompt === 'string' ? { prompt: queued.prompt } : {}),
    startedAt: queued.t,
    status: statusFromNote(latest),
    ...(latest.event === 'blocked' && str(latest.reason) ? { reason: str(latest.reason) } : {}),
    queuedAt: queued.t,
    queueIndex: num(queued.queueIndex) ?? 0,
    ...(num(queued.maxRunning) ? { maxRunning: num(queued.maxRunning) } : {}),
    ...(after.length ? { after } : {}),
    ...(queued.yolo === true ? { yolo: true } : {}),
    ...(str(queued.cwd) ? { cwd: str(queued.cwd) } : {}),
    ...(parent ? { parent, depth: num(queued.depth) ?? 1 } : {}),
    ...(queued.relaunch === true ? { relaunch: true } : {}),
  };
}

/**
 * Rebuilds the records of queued/blocked tasks the cache lost: anchors without a record whose
 * latest note says they wait. Returns the names rebuilt. One stat when checked before.
 */
export async function rebuildQueue(repo: Repo, config: SupersetConfig, store: TaskStore): Promise<string[]> {
  // beside the tasks directory, not in it (a listing of task files stays what it was); deleting
  // .git/superset takes both
  const marker = path.join(store.repo.stateDir, MARKER);
  if (fs.existsSync(marker) && fs.existsSync(store.dir)) return [];
  const listed = await gitResult(['for-each-ref', '--format=%(refname)', ANCHOR_PREFIX], { cwd: repo.root });
  const names = listed.code === 0 ? listed.stdout.split('\n').filter(Boolean).map((r) => r.slice(ANCHOR_PREFIX.length)) : [];
  // a queued relaunch has a branch too: every anchor without a record is looked at (once per cache)
  const lost = names.filter((n) => !store.read(n));
  const rebuilt: string[] = [];
  if (lost.length) {
    const wanted = new Set(lost);
    const byTask = new Map<string, NoteRecord[]>();
    for (const r of await readNotes(repo)) {
      if (!wanted.has(r.task)) continue;
      byTask.set(r.task, [...(byTask.get(r.task) ?? []), r]);
    }
    for (const [task, events] of byTask) {
      const state = recordFromEvents(repo, config, task, events, cloneId(repo));
      // written only where nothing appeared meanwhile (a `start` of the same name)
      if (state && !store.read(task)) {
        store.write(state);
        rebuilt.push(task);
      }
    }
  }
  // Never makes the cache directory just for the marker (a repository with no tasks keeps no cache):
  // without one the check is one for-each-ref again next time.
  if (listed.code === 0 && fs.existsSync(store.dir)) fs.writeFileSync(marker, '');
  return rebuilt;
}
