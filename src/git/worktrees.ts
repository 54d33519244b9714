import fs from 'node:fs';
import path from 'node:path';
import { GitError } from '../errors.js';
import { git, gitResult } from './git.js';

export interface WorktreeEntry {
  path: string;
  head: string | null;
  /** Full ref name (`refs/heads/...`), or null when detached. */
  branch: string | null;
  bare: boolean;
  locked: boolean;
  prunable: boolean;
}

/**
 * Parses `git worktree list --porcelain -z`: one NUL-terminated field per line, an empty field
 * between records. NUL framing, because a path may hold a newline. Pure.
 */
export function parseWorktreeList(text: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  for (const block of text.split(/\0\0+/)) {
    const lines = block.split('\0').filter(Boolean);
    if (!lines[0]?.startsWith('worktree ')) continue;
    const entry: WorktreeEntry = { path: lines[0].slice(9), head: null, branch: null, bare: false, locked: false, prunable: false };
    for (const line of lines.slice(1)) {
      if (line.startsWith('HEAD ')) entry.head = line.slice(5);
      else if (line.startsWith('branch ')) entry.branch = line.slice(7);
      else if (line === 'bare') entry.bare = true;
      else if (line.startsWith('locked')) entry.locked = true;
      else if (line.startsWith('prunable')) entry.prunable = true;
    }
    entries.push(entry);
  }
  return entries;
}

export async function listWorktrees(cwd: string): Promise<WorktreeEntry[]> {
  return parseWorktreeList(await git(['worktree', 'list', '--porcelain', '-z'], { cwd }));
}

/**
 * Creates the branch first, then the worktree, rather than `worktree add -b`: a `worktree add`
 * racing another one can die reading the other's half-written admin dir (a transient failure
 * git.ts retries), and with -b that retry would find its own branch already made.
 */
export async function addWorktree(cwd: string, worktree: string, branch: string, opts: { create: boolean; base?: string }): Promise<void> {
  if (opts.create) await git(['branch', '--no-track', branch, opts.base ?? 'HEAD'], { cwd });
  await git(['worktree', 'add', '--quiet', worktree, branch], { cwd });
}

export async function removeWorktree(cwd: string, worktree: string, force: boolean): Promise<void> {
  await git(['worktree', 'remove', ...(force ? ['--force', '--force'] : []), worktree], { cwd });
}

/**
 * `worktree remove --force --force`, and where git itself refuses (it validates the worktree first,
 * and a garbage HEAD fails that) the directory and that one worktree's admin dir are deleted by
 * hand: only this worktree's, never a global `git worktree prune`, which would drop every other
 * worktree whose directory is away for a moment, detached HEADs and all.
 */
export async function discardWorktree(cwd: string, commonDir: string, worktree: string): Promise<void> {
  const res = await gitResult(['worktree', 'remove', '--force', '--force', worktree], { cwd });
  if (res.code === 0) return;
  // only the admin dir under <common>/worktrees/ whose gitdir file points back at this very worktree
  const admin = adminDirOf(commonDir, worktree);
  if (!admin) throw new GitError(['worktree', 'remove', '--force', '--force', worktree], res.code, res.stderr);
  fs.rmSync(worktree, { recursive: true, force: true });
  fs.rmSync(admin, { recursive: true, force: true });
}

/** `<common>/worktrees/<id>` of a linked worktree, found from the admin side (its `.git` file may be the broken part). */
function adminDirOf(commonDir: string, worktree: string): string | null {
  const root = path.join(commonDir, 'worktrees');
  const want = path.join(path.resolve(worktree), '.git');
  let ids: string[];
  try {
    ids = fs.readdirSync(root);
  } catch {
    return null;
  }
  for (const id of ids) {
    try {
      if (path.resolve(fs.readFileSync(path.join(root, id, 'gitdir'), 'utf8').trim()) === want) return path.join(root, id);
    } catch {
      /* not an admin dir */
    }
  }
  return null;
}

/** Paths from `git status --porcelain -z` (a rename's second field is its old path, skipped). Pure. */
export function statusPaths(out: string): string[] {
  const fields = out.split('\0');
  const paths: string[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.length < 4) continue;
    paths.push(f.slice(3));
    if (f[0] === 'R' || f[0] === 'C') i++;
  }
  return paths;
}

export type StatusRead = { ok: true; paths: string[] } | { ok: false; error: string };

/**
 * Paths with uncommitted changes (untracked included, ignored not), or git's message when
 * status failed (a corrupt index, say): a caller about to delete files must not read that as clean.
 * `--no-optional-locks`: a plain `status` refreshes the index under index.lock, which would make
 * an agent's own `git add`/`commit` in that worktree fail at that moment.
 */
export async function readStatus(worktree: string): Promise<StatusRead> {
  let res;
  try {
    res = await gitResult(['--no-optional-locks', 'status', '--porcelain', '-z', '--untracked-files=all'], { cwd: worktree });
  } catch (e) {
    return { ok: false, error: (e as Error).message }; // the directory vanished under us
  }
  if (res.code === 0) return { ok: true, paths: statusPaths(res.stdout) };
  return { ok: false, error: res.stderr.trim().split('\n').pop() || `git status exited with ${res.code}` };
}

/** Paths with uncommitted changes, or null when git failed. */
export async function changedPaths(worktree: string): Promise<string[] | null> {
  const res = await readStatus(worktree);
  return res.ok ? res.paths : null;
}

export async function uncommittedPaths(worktree: string): Promise<string[]> {
  return (await changedPaths(worktree)) ?? [];
}
