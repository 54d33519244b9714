import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { git, gitResult } from './git.js';
import { gitDirsOf, operationInProgress } from './gitdir.js';
import { MACHINE_IDENTITY } from './identity.js';

/**
 * Snapshots: an agent's uncommitted work tree saved as commits on `refs/superset/snapshots/<task>`,
 * written through a temporary index so the agent's branch, HEAD and real index are never touched.
 * Plain git reads them: `git log refs/superset/snapshots/<task>`.
 */
export const snapshotRef = (task: string): string => `refs/superset/snapshots/${task}`;

/**
 * Where `rm` moves a removed task's snapshots: still reachable (never lost), but out of the way of
 * a new task that reuses the name, whose `restore` must never bring back the old task's work.
 * Task names hold no '/', so `<task>/<time>` never collides with another task's refs.
 */
export const removedSnapshotsPrefix = (task: string): string => `refs/superset/removed/${task}/`;

/** Pure: a ref-safe, sortable stamp of a time (`20261201T084012345Z`). */
export function refStamp(when: Date): string {
  return when.toISOString().replace(/[-:.]/g, '');
}

/**
 * Whether the task has a snapshot ref, read from the ref files (no git process: `start` asks it for
 * every new task). A loose ref or a packed one; any doubt answers yes, and the caller asks git.
 */
export function mayHaveSnapshots(commonDir: string, task: string): boolean {
  const ref = snapshotRef(task);
  if (fs.existsSync(path.join(commonDir, ref))) return true;
  try {
    return fs.readFileSync(path.join(commonDir, 'packed-refs'), 'utf8').includes(` ${ref}\n`);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/**
 * Moves the task's snapshot ref to `refs/superset/removed/<task>/<time>` in one atomic ref
 * transaction (created there and deleted here, or neither). Returns the new ref, or null when
 * the task had no snapshots.
 */
export async function archiveSnapshots(cwd: string, task: string, when = new Date()): Promise<string | null> {
  const ref = snapshotRef(task);
  // for-each-ref: a missing ref is an empty answer, a broken one an error (never "no snapshots")
  const commit = (await git(['for-each-ref', '--format=%(objectname)', ref], { cwd })).split('\n')[0]!.trim();
  if (!commit) return null;
  const target = `${removedSnapshotsPrefix(task)}${refStamp(when)}`;
  await git(['update-ref', '-m', `superset: snapshots of removed task ${task}`, '--stdin'], {
    cwd,
    input: `create ${target} ${commit}\ndelete ${ref} ${commit}\n`,
  });
  return target;
}

const ZERO = '0'.repeat(40);


export type SnapshotOutcome =
  | { made: true; commit: string; tree: string; parent: string }
  | { made: false; reason: 'busy' | 'unchanged' | 'clean' | 'no-worktree' | 'no-commits'; detail?: string };

export interface SnapshotRequest {
  worktree: string;
  task: string;
  agent: string;
  /** Where the temporary index may be written (the repository's `.git/superset`). */
  scratchDir: string;
}

/** Pure: the snapshot commit message, with the task trailers `git log` and `interpret-trailers` read. */
export function snapshotMessage(task: string, agent: string, head: string, when: Date): string {
  return [
    `superset snapshot of ${task}`,
    '',
    `Uncommitted work tree of ${task} at ${when.toISOString()}, over ${head.slice(0, 12)}.`,
    '',
    `Superset-Task: ${task}`,
    `Superset-Agent: ${agent}`,
    `Superset-Snapshot: ${head}`,
    '',
  ].join('\n');
}

/** Object names of several revs in one git process; missing ones are null. */
async function resolveMany(cwd: string, revs: string[]): Promise<(string | null)[]> {
  const out = await git(['cat-file', '--batch-check=%(objectname)'], { cwd, input: revs.join('\n') + '\n' });
  return out
    .split('\n')
    .slice(0, revs.length)
    .map((line) => (/^[0-9a-f]{40,64}$/.test(line) ? line : null));
}

/**
 * Saves the work tree (respecting .gitignore) as a snapshot commit when it differs from both
 * the last snapshot and HEAD. Parent: the previous snapshot, or HEAD for the first one.
 */
export async function takeSnapshot(req: SnapshotRequest): Promise<SnapshotOutcome> {
  const dirs = gitDirsOf(req.worktree);
  if (!dirs) return { made: false, reason: 'no-worktree' };
  const busy = operationInProgress(dirs.gitDir);
  if (busy) return { made: false, reason: 'busy', detail: busy };
  const ref = snapshotRef(req.task);
  const [head, headTree, previous, previousTree] = await resolveMany(req.worktree, ['HEAD', 'HEAD^{tree}', ref, `${ref}^{tree}`]);
  if (!head) return { made: false, reason: 'no-commits' };

  fs.mkdirSync(req.scratchDir, { recursive: true });
  const index = path.join(req.scratchDir, `snapshot-${req.task}-${process.pid}-${randomBytes(4).toString('hex')}.index`);
  let tree: string;
  try {
    // A copy of the real index carries its stat data, so `add -A` re-hashes only what changed.
    // git replaces the index by rename, so the copy is always a whole index; reading it is safe.
    let seeded = false;
    try {
      fs.copyFileSync(path.join(dirs.gitDir, 'index'), index);
      seeded = true;
    } catch {
      /* no index yet */
    }
    const env = { GIT_INDEX_FILE: index };
    if (!seeded) await git(['read-tree', head], { cwd: req.worktree, env });
    await git(['add', '-A', '--ignore-errors', '--', ':/'], { cwd: req.worktree, env, okCodes: [1] });
    tree = (await git(['write-tree'], { cwd: req.worktree, env })).trim();
  } finally {
    fs.rmSync(index, { force: true });
    fs.rmSync(`${index}.lock`, { force: true });
  }
  if (previous && tree === previousTree) return { made: false, reason: 'unchanged' };
  if (tree === headTree) return { made: false, reason: 'clean' };

  const parent = previous ?? head;
  const message = snapshotMessage(req.task, req.agent, head, new Date());
  const commit = (await git(['commit-tree', tree, '-p', parent, '-F', '-'], { cwd: req.worktree, env: MACHINE_IDENTITY, input: message })).trim();
  // Compare-and-swap: two writers never silently drop each other's snapshot.
  await git(['update-ref', '-m', `superset snapshot of ${req.task}`, ref, commit, previous ?? ZERO], { cwd: req.worktree });
  return { made: true, commit, tree, parent };
}

export interface SnapshotEntry {
  commit: string;
  time: string;
  /** The HEAD the snapshot was taken over. */
  head: string;
}

/** The task's snapshots, newest first; only snapshot commits, not the branch history below them. */
export async function listSnapshots(cwd: string, task: string): Promise<SnapshotEntry[]> {
  const res = await gitResult(
    ['log', '--format=%H%x00%cI%x00%(trailers:key=Superset-Snapshot,valueonly,separator=)', snapshotRef(task), '--'],
    { cwd },
  );
  if (res.code !== 0) return [];
  const entries: SnapshotEntry[] = [];
  for (const line of res.stdout.split('\n')) {
    const [commit, time, head] = line.split('\0');
    // The first commit without the trailer is the branch history the snapshots sit on.
    if (!commit || !head?.trim()) break;
    entries.push({ commit, time: time!, head: head.trim() });
  }
  return entries;
}

/** Pure: the task a commit's `Superset-Snapshot`/`Superset-Task` trailers name it a snapshot of, or null. */
export function parseSnapshotOwner(out: string): string | null {
  const [snapshotOf, task] = out.split('\0');
  return snapshotOf?.trim() ? (task?.trim().split(',')[0] ?? '') : null;
}

/** Which task a commit is a snapshot of (null: not a snapshot commit). */
export async function snapshotOwner(cwd: string, commit: string): Promise<string | null> {
  const out = await git(['log', '-1', '--format=%(trailers:key=Superset-Snapshot,valueonly,separator=)%x00%(trailers:key=Superset-Task,valueonly,separator=%x2C)', commit, '--'], { cwd });
  return parseSnapshotOwner(out);
}

/**
 * Makes the work tree match a snapshot: files are written or removed, HEAD, the branch and the
 * index stay as they are (the restored work shows up as uncommitted changes). Untracked files
 * the snapshot does not have are left alone.
 */
export async function restoreWorkTree(worktree: string, commit: string): Promise<void> {
  await git(['restore', `--source=${commit}`, '--worktree', '--', ':/'], { cwd: worktree });
}
