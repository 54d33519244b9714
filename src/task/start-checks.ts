import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { Repo } from '../git/repo.js';
import { git } from '../git/git.js';
import * as msg from '../messages.js';

/**
 * Checks `start` makes once per batch, before anything is written: where worktrees go, and
 * whether git can make branches under the prefix at all.
 */

const inside = (dir: string, parent: string): boolean => {
  const rel = path.relative(parent, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * Why worktrees cannot go in `dir`, or null. Pure. Inside the git dir a task named like one of
 * git's files (FETCH_HEAD) would become a directory git then cannot write; inside the main work
 * tree every task would show up in `git status` and in each other's checkouts.
 */
export function worktreesDirProblem(dir: string, repo: Pick<Repo, 'root' | 'commonDir'>): string | null {
  if (path.parse(dir).root === dir) return 'is the file system root';
  if (inside(dir, repo.commonDir)) return `is inside the git directory ${repo.commonDir}`;
  if (inside(dir, repo.root)) return `is inside the work tree ${repo.root}`;
  if (inside(repo.root, dir)) return `contains the repository ${repo.root}`;
  return null;
}

/** A linked worktree has a `.git` file (not a directory) naming its admin dir. */
function isLinkedWorktree(dir: string): boolean {
  try {
    return fs.statSync(path.join(dir, '.git')).isFile();
  } catch {
    return false;
  }
}

/**
 * Refuses a worktrees directory that is not somewhere we may put worktrees: the checks above, and
 * an existing directory holding anything but git worktrees (ours, or another repository's when
 * several share one directory): tasks would be mixed into someone's files.
 */
export function assertWorktreesDir(dir: string, repo: Repo, setting: string | null): void {
  const where = setting === null ? `the worktrees directory ${dir}` : `worktreesDir ${JSON.stringify(setting)} (${dir})`;
  const problem = worktreesDirProblem(dir, repo);
  if (problem) throw new UserError(msg.worktreesDir.misplaced(where, problem));
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new UserError(msg.worktreesDir.isFile(where));
    throw new UserError(msg.worktreesDir.unreadable(where, code));
  }
  // A concurrent start's worktree exists as a directory before git writes its .git file: a task
  // being started (its start lock is held) or an empty directory is not foreign.
  const starting = (name: string): boolean => fs.existsSync(path.join(repo.stateDir, 'tasks', `${name}.start.lock`));
  const empty = (p: string): boolean => {
    try {
      return fs.readdirSync(p).length === 0;
    } catch {
      return true; // gone meanwhile: a rollback
    }
  };
  const ours = (e: fs.Dirent): boolean => {
    const p = path.join(dir, e.name);
    return e.isDirectory() && (isLinkedWorktree(p) || starting(e.name) || empty(p));
  };
  const foreign = entries.find((e) => e.name !== '.DS_Store' && !ours(e));
  if (foreign) throw new UserError(msg.worktreesDir.foreign(where, foreign.name));
}

/**
 * Every branch ref that could block one under `prefix` (`superset/`): `refs/heads/superset` itself
 * and anything below it, in one git process. git keeps refs as files, so a branch `superset` and
 * a branch `superset/x` cannot both exist, nor `superset/a/b` and `superset/a`.
 */
export async function prefixRefs(repo: Repo, prefix: string): Promise<string[]> {
  const word = prefix.replace(/\/$/, '');
  const out = await git(['for-each-ref', '--format=%(refname)', `refs/heads/${word}`], { cwd: repo.root });
  return out.split('\n').filter(Boolean);
}

/** Refuses the whole batch when the prefix itself is a branch (`superset`, or `branchPrefix: "main/"`). Pure. */
export function prefixProblem(refs: readonly string[], prefix: string): string | null {
  const word = prefix.replace(/\/$/, '');
  if (!refs.includes(`refs/heads/${word}`)) return null;
  return `a branch named ${word} exists, so git cannot make branches ${prefix}<task>: rename it (git branch -m ${word} <new-name>) or set branchPrefix in the config`;
}

/** Why `branch` cannot be created because a branch below it exists (`superset/a/b` blocks `superset/a`), or null. Pure. */
export function branchBlocked(refs: readonly string[], branch: string): string | null {
  const below = refs.find((r) => r.startsWith(`refs/heads/${branch}/`));
  if (!below) return null;
  return `branch ${below.slice('refs/heads/'.length)} exists, so git cannot make a branch ${branch}: pick another task name, or rename that branch`;
}
