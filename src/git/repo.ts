import path from 'node:path';
import { createHash } from 'node:crypto';
import { git, gitResult } from './git.js';
import { parseWorktreeList } from './worktrees.js';
import { UserError } from '../errors.js';
import * as msg from '../messages.js';

/** Where a repository lives, found from any directory inside it, a linked worktree included. */
export interface Repo {
  /** The main worktree: config is searched from here, worktrees are placed beside it. */
  root: string;
  /** The common git dir shared by every worktree (`.git` of the main worktree). */
  commonDir: string;
  /** Tool-owned runtime cache; rebuildable from git, safe to delete. */
  stateDir: string;
  /** Short stable id, so tmux sessions of two repos never collide. */
  id: string;
}

export async function findRepo(cwd: string): Promise<Repo> {
  // One path per call, read to its last newline: a directory name may itself hold a newline, so
  // several paths in one output could not be told apart. The two flags before it are plain words.
  const res = await gitResult(['rev-parse', '--is-bare-repository', '--is-inside-work-tree', '--path-format=absolute', '--git-common-dir'], { cwd });
  if (res.code !== 0) {
    if (/not a git repository/i.test(res.stderr)) throw new UserError(msg.repo.notARepo(cwd));
    if (/must be run in a work tree/i.test(res.stderr)) throw new UserError(await noWorkTree(cwd));
    throw new UserError(res.stderr.trim().split('\n')[0] || msg.repo.notFound);
  }
  const [bare, inWorkTree] = res.stdout.split('\n', 2);
  const commonDir = res.stdout.slice(`${bare}\n${inWorkTree}\n`.length).replace(/\n$/, '');
  if (bare === 'true' || inWorkTree !== 'true' || !commonDir) throw new UserError(await noWorkTree(cwd));
  const root = path.basename(commonDir) === '.git' ? path.dirname(commonDir) : await mainWorktreeRoot(cwd);
  return repoAt(root, commonDir);
}

/** git's "must be run in a work tree" names no way out: a bare repository, or inside a .git directory. */
async function noWorkTree(cwd: string): Promise<string> {
  const res = await gitResult(['rev-parse', '--is-bare-repository', '--absolute-git-dir'], { cwd });
  const [bare] = res.stdout.split('\n', 1);
  const gitDir = res.stdout.slice(`${bare}\n`.length).replace(/\n$/, '') || cwd;
  if (bare === 'true') return msg.repo.bare(gitDir);
  return msg.repo.insideGitDir(gitDir);
}

export function repoAt(root: string, commonDir: string): Repo {
  return {
    root,
    commonDir,
    stateDir: path.join(commonDir, 'superset'),
    id: createHash('sha1').update(commonDir).digest('hex').slice(0, 6),
  };
}

async function mainWorktreeRoot(cwd: string): Promise<string> {
  // The first record of the list is the main worktree; -z keeps a newline in its path whole.
  const main = parseWorktreeList(await git(['worktree', 'list', '--porcelain', '-z'], { cwd }))[0];
  if (!main) throw new UserError(msg.repo.noMainWorktree);
  return main.path;
}
