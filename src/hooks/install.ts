import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Repo } from '../git/repo.js';
import { git, gitResult } from '../git/git.js';
import { agentWord } from '../git/trailers.js';
import { gitDirsOf } from '../git/gitdir.js';
import { HOOK_SH } from '../package-files.js';

/**
 * Every hook git runs from a hooks directory. A per-worktree core.hooksPath replaces the whole
 * directory, so each one needs a script here that chains to the user's, or theirs would go silent.
 */
export const HOOK_NAMES = [
  'applypatch-msg', 'pre-applypatch', 'post-applypatch', 'pre-commit', 'pre-merge-commit', 'prepare-commit-msg',
  'commit-msg', 'post-commit', 'pre-rebase', 'post-checkout', 'post-merge', 'pre-push', 'pre-receive', 'update',
  'proc-receive', 'post-receive', 'post-update', 'push-to-checkout', 'pre-auto-gc', 'post-rewrite',
  'sendemail-validate', 'p4-changelist', 'p4-prepare-changelist', 'p4-post-changelist', 'p4-pre-submit',
] as const;

/**
 * Hooks git runs several times per command (every ref update, every index write). A script of
 * ours there would cost every commit a few shell start-ups, so these chain only when the user
 * had one when the hooks were generated (delete .git/superset/hooks to have them generated again).
 */
export const CHATTY_HOOK_NAMES = ['reference-transaction', 'post-index-change'] as const;

export const hooksDir = (repo: Repo): string => path.join(repo.stateDir, 'hooks');

/** The hooks directory git would use without us, as an absolute path (for the chatty-hook check). */
async function userHooksDir(repo: Repo): Promise<string> {
  const res = await gitResult(['config', '--get-all', 'core.hooksPath'], { cwd: repo.root, okCodes: [1] });
  const ours = hooksDir(repo);
  const value = res.stdout.split('\n').filter((v) => v && v !== ours).pop();
  if (!value) return path.join(repo.commonDir, 'hooks');
  if (value.startsWith('~/')) return path.join(process.env.HOME ?? '', value.slice(2));
  return path.resolve(repo.root, value);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Writes the hook scripts under `.git/superset/hooks/` (one copy of hook.sh per hook name) when
 * they are missing or stale. Returns true when it wrote them. Safe to run concurrently: each file
 * is written whole and renamed into place.
 */
export async function generateHooks(repo: Repo): Promise<boolean> {
  const dir = hooksDir(repo);
  const script = fs.readFileSync(HOOK_SH, 'utf8');
  const userDir = await userHooksDir(repo);
  const chatty = CHATTY_HOOK_NAMES.filter((n) => isExecutable(path.join(userDir, n)));
  const names = [...HOOK_NAMES, ...chatty];
  const version = createHash('sha1').update(script).update(names.join(',')).digest('hex');
  const marker = path.join(dir, '.version');
  if (readText(marker) === version && fs.existsSync(path.join(dir, 'post-commit'))) return false;
  fs.mkdirSync(dir, { recursive: true });
  for (const name of names) writeExecutable(path.join(dir, name), script);
  // a chatty hook the user no longer has must not keep costing every commit
  for (const name of CHATTY_HOOK_NAMES) if (!chatty.includes(name)) fs.rmSync(path.join(dir, name), { force: true });
  // The user's hooks path may have changed with this generation: drop the hook's cached answer.
  fs.rmSync(path.join(repo.stateDir, 'user-hooks-path'), { force: true });
  writeAtomic(marker, version);
  return true;
}

export function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function writeAtomic(file: string, text: string, mode = 0o644): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}

function writeExecutable(file: string, text: string): void {
  writeAtomic(file, text, 0o755);
}

/** The worktree's private git dir (`.git/worktrees/<id>`), read from its `.git` file: no git process. */
export function worktreeGitDir(worktree: string): string | null {
  return gitDirsOf(worktree)?.gitDir ?? null;
}

/** Where the hook reads the worktree's task and agent (next to its index; gone with the worktree). */
export const TASK_FILE = 'superset-task';

/**
 * Points this task worktree (only) at our hooks: `git config --worktree core.hooksPath`, and a
 * small file in its private git dir naming the task and agent for the hook. The main worktree and
 * the user's config values are untouched.
 */
export async function installWorktreeHooks(repo: Repo, worktree: string, task: string, agent: string): Promise<void> {
  const gitDir = worktreeGitDir(worktree);
  if (!gitDir || path.resolve(gitDir) === path.resolve(repo.commonDir)) {
    throw new Error(`${worktree} is not a linked worktree of ${repo.root}`);
  }
  fs.writeFileSync(path.join(gitDir, TASK_FILE), `${task}\n${agentWord(agent)}\n`);
  await git(['config', '--worktree', 'core.hooksPath', hooksDir(repo)], { cwd: worktree });
}

/** Undoes installWorktreeHooks (rm does it before removing the worktree, so nothing is left either way). */
export async function uninstallWorktreeHooks(repo: Repo, worktree: string): Promise<void> {
  const gitDir = worktreeGitDir(worktree);
  if (!gitDir || path.resolve(gitDir) === path.resolve(repo.commonDir)) return;
  fs.rmSync(path.join(gitDir, TASK_FILE), { force: true });
  await gitResult(['config', '--worktree', '--unset-all', 'core.hooksPath'], { cwd: worktree });
  const configWorktree = path.join(gitDir, 'config.worktree');
  if (readText(configWorktree)?.trim() === '') fs.rmSync(configWorktree, { force: true });
}
