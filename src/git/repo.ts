import path from 'node:path';
import { createHash } from 'node:crypto';
import { gitResult, gitLine } from './git.js';
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
  const res = await gitResult(['rev-parse', '--path-format=absolute', '--git-common-dir', '--show-toplevel'], { cwd });
  if (res.code !== 0) {
    if (/not a git repository/i.test(res.stderr)) throw new UserError(msg.repo.notARepo(cwd));
    if (/must be run in a work tree/i.test(res.stderr)) throw new UserError(await noWorkTree(cwd));
    throw new UserError(res.stderr.trim().split('\n')[0] || msg.repo.notFound);
  }
  const [commonDir, toplevel] = res.stdout.trim().split('\n');
  if (!commonDir || !toplevel) throw new UserError(await noWorkTree(cwd));
  const root = path.basename(commonDir) === '.git' ? path.dirname(commonDir) : await mainWorktreeRoot(cwd, toplevel);
  return repoAt(root, commonDir);
}

/** git's "must be run in a work tree" names no way out: a bare repository, or inside a .git directory. */
async function noWorkTree(cwd: string): Promise<string> {
  const res = await gitResult(['rev-parse', '--is-bare-repository', '--absolute-git-dir'], { cwd });
  const [bare, gitDir] = res.stdout.trim().split('\n');
  if (bare === 'true') return msg.repo.bare(gitDir ?? cwd);
  return msg.repo.insideGitDir(gitDir ?? cwd);
}

export function repoAt(root: string, commonDir: string): Repo {
  return {
    root,
    commonDir,
    stateDir: path.join(commonDir, 'superset'),
    id: createHash('sha1').update(commonDir).digest('hex').slice(0, 6),
  };
}

async function mainWorktreeRoot(cwd: string, fallback: string): Promise<string> {
  const first = (await gitLine(['worktree', 'list', '--porcelain'], { cwd })).split('\n')[0] ?? '';
  return first.startsWith('worktree ') ? first.slice('worktree '.length) : fallback;
}
