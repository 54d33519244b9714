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

/** Parses `git worktree list --porcelain` (blank-line separated records). Pure. */
export function parseWorktreeList(text: string): WorktreeEntry[] {
  const entries: WorktreeEntry[] = [];
  for (const block of text.split(/\n\n+/)) {
    const lines = block.split('\n').filter(Boolean);
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
  return parseWorktreeList(await git(['worktree', 'list', '--porcelain'], { cwd }));
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

/**
 * Paths with uncommitted changes (untracked included, ignored not), or null when git failed.
 * `--no-optional-locks`: a plain `status` refreshes the index under index.lock, which would make
 * an agent's own `git add`/`commit` in that worktree fail at that moment.
 */
export async function changedPaths(worktree: string): Promise<string[] | null> {
  const res = await gitResult(['--no-optional-locks', 'status', '--porcelain', '-z', '--untracked-files=all'], { cwd: worktree });
  return res.code === 0 ? statusPaths(res.stdout) : null;
}

export async function uncommittedPaths(worktree: string): Promise<string[]> {
  return (await changedPaths(worktree)) ?? [];
}
