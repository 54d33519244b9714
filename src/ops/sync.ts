import type { Workspace } from '../context.js';
import { UserError, throwIfAborted } from '../errors.js';
import { git, gitResult } from '../git/git.js';
import type { Repo } from '../git/repo.js';
import { branchesUnder } from '../git/branches.js';
import { withNotesLock } from '../git/notes.js';
import { NOTES_REF } from '../git/note-line.js';
import { ANCHOR_PREFIX } from '../task/anchor.js';
import * as msg from '../messages.js';

export interface SyncOptions {
  /** A remote's name (not a URL): checked before anything is fetched. */
  remote: string;
  /** Also push the task branches (never forced). */
  branches?: boolean;
  /** Checked between steps: a fetch, merge or push that began is finished. */
  signal?: AbortSignal;
}

export interface SyncResult {
  remote: string;
  /** The remote had notes, and they were merged into ours. */
  merged: boolean;
  pushed: boolean;
  attempts: number;
  /** With `branches`: those pushed, and those the remote refused (it has other commits). */
  branches: { pushed: string[]; rejected: string[] } | null;
}

const trackingRef = (remote: string): string => `refs/notes/remotes/${remote}/superset`;
const lastLine = (text: string): string => text.trim().split('\n').pop() ?? '';

/** Fetches the remote's notes into the tracking ref; false when the remote has none yet. */
async function fetchNotes(repo: Repo, remote: string): Promise<boolean> {
  const res = await gitResult(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', remote, `+${NOTES_REF}:${trackingRef(remote)}`], { cwd: repo.root });
  if (res.code === 0) return true;
  if (/couldn't find remote ref/i.test(res.stderr)) return false;
  throw new UserError(msg.sync.cannotFetch(remote, lastLine(res.stderr)));
}

async function hasRef(repo: Repo, ref: string): Promise<boolean> {
  return (await gitResult(['rev-parse', '--verify', '--quiet', ref], { cwd: repo.root })).code === 0;
}

/**
 * The task anchors (refs/superset/tasks/<task>: the prompt, and what started events sit on) both
 * ways, never forced: an anchor of the same name made elsewhere stays as it is on each side (its
 * events and prompt still travel in the notes). Best effort: the notes are what must sync.
 */
async function syncAnchors(repo: Repo, remote: string): Promise<void> {
  const spec = `${ANCHOR_PREFIX}*:${ANCHOR_PREFIX}*`;
  await gitResult(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', remote, spec], { cwd: repo.root });
  await gitResult(['push', '--quiet', '--porcelain', remote, spec], { cwd: repo.root });
}

/** Pure: refs `git push --porcelain` reports as rejected (`!` flag). */
export function rejectedRefs(porcelain: string): string[] {
  return porcelain
    .split('\n')
    .filter((l) => l.startsWith('!\t'))
    .map((l) => l.split('\t')[1]!.split(':')[1] ?? '');
}

/** Pure: a remote's name as `git remote` makes them; never an option or a path. */
export const isRemoteName = (remote: string): boolean => /^[A-Za-z0-9._-]+$/.test(remote) && !remote.startsWith('-') && !remote.includes('..');

/**
 * Shares the record with a remote: fetch its notes, merge them into ours (cat_sort_uniq: lines are
 * events, nothing is lost), push, and the task anchors both ways; optionally the task branches.
 * Never forced: a push rejected because someone pushed in between fetches and merges again.
 */
export async function syncRecord(ws: Workspace, opts: SyncOptions): Promise<SyncResult> {
  const { repo, config } = ws;
  const { remote } = opts;
  if (!isRemoteName(remote)) throw new UserError(msg.sync.notARemoteName(remote));
  if ((await gitResult(['remote', 'get-url', remote], { cwd: repo.root })).code !== 0) throw new UserError(msg.sync.noSuchRemote(remote));
  const result: SyncResult = { remote, merged: false, pushed: false, attempts: 0, branches: null };
  for (;;) {
    throwIfAborted(opts.signal);
    result.attempts++;
    const fetched = await fetchNotes(repo, remote);
    if (fetched) {
      await withNotesLock(repo, () => git(['notes', `--ref=${NOTES_REF}`, 'merge', '--quiet', '--strategy=cat_sort_uniq', trackingRef(remote)], { cwd: repo.root }));
      result.merged = true;
    }
    if (!(await hasRef(repo, NOTES_REF))) break;
    const push = await gitResult(['push', '--porcelain', '--quiet', remote, `${NOTES_REF}:${NOTES_REF}`], { cwd: repo.root });
    if (push.code === 0) {
      result.pushed = true;
      break;
    }
    if (result.attempts >= 5 || !/rejected|fetch first|non-fast-forward/i.test(push.stdout + push.stderr)) {
      throw new UserError(msg.sync.cannotPushNotes(NOTES_REF, remote, lastLine(push.stderr) || lastLine(push.stdout)));
    }
  }
  throwIfAborted(opts.signal);
  await syncAnchors(repo, remote);
  if (opts.branches) {
    throwIfAborted(opts.signal);
    const branches = await branchesUnder(repo.root, config.branchPrefix);
    result.branches = { pushed: [], rejected: [] };
    if (branches.length) {
      const push = await gitResult(['push', '--porcelain', remote, ...branches.map((b) => `refs/heads/${b.name}:refs/heads/${b.name}`)], { cwd: repo.root });
      const rejected = rejectedRefs(push.stdout).map((r) => r.replace(/^refs\/heads\//, ''));
      result.branches.rejected = rejected;
      result.branches.pushed = branches.map((b) => b.name).filter((n) => !rejected.includes(n));
      if (push.code !== 0 && rejected.length === 0) throw new UserError(msg.sync.cannotPushBranches(remote, lastLine(push.stderr)));
    }
  }
  return result;
}
