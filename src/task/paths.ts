import path from 'node:path';
import type { Repo } from '../git/repo.js';
import type { SupersetConfig } from '../config/schema.js';

/** `<repo parent>/<repo name>.worktrees`, or config `worktreesDir` (relative to the repo root). */
export function worktreesDir(repo: Repo, config: Pick<SupersetConfig, 'worktreesDir'>): string {
  if (config.worktreesDir) return path.resolve(repo.root, config.worktreesDir);
  return path.join(path.dirname(repo.root), `${path.basename(repo.root)}.worktrees`);
}

export function worktreePath(repo: Repo, config: Pick<SupersetConfig, 'worktreesDir'>, task: string): string {
  return path.join(worktreesDir(repo, config), task);
}

export function taskBranch(config: Pick<SupersetConfig, 'branchPrefix'>, task: string): string {
  return `${config.branchPrefix}${task}`;
}
