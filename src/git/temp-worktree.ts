import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { git, gitResult } from './git.js';

/**
 * A detached worktree of `commit` in a temporary directory, for work that must never happen in a
 * user's worktree (a test-gated merge, a rebase to merge). Removed, with its admin entry, after fn.
 */
export async function withTempWorktree<T>(root: string, commit: string, label: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), `superset-${label.replace(/[^A-Za-z0-9._-]/g, '_')}-`));
  const dir = path.join(parent, 'worktree');
  try {
    await git(['worktree', 'add', '--detach', '--quiet', dir, commit], { cwd: root });
    return await fn(dir);
  } finally {
    await gitResult(['worktree', 'remove', '--force', '--force', dir], { cwd: root });
    fs.rmSync(parent, { recursive: true, force: true });
    await gitResult(['worktree', 'prune'], { cwd: root });
  }
}
