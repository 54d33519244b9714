import fs from 'node:fs';
import path from 'node:path';
import type { Repo } from '../git/repo.js';
import { git, gitResult } from '../git/git.js';
import { agentWord } from '../git/trailers.js';
import { gitDirsOf } from '../git/gitdir.js';
import { HOOK_SH } from '../package-files.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/**
 * Every hook name githooks(5) lists for git 2.39 that git looks up in the hooks directory
 * (fsmonitor-watchman is named by core.fsmonitor, not looked up). A per-worktree core.hooksPath
 * replaces the whole directory, so each needs an entry here that chains to the user's hook, found
 * when it runs: a hook the user adds after the task started runs as it would in the main worktree.
 * reference-transaction and post-index-change run several times per commit; for them our script
 * is a builtin-only lookup that execs the user's hook or exits (bench/hooks.js).
 */
export const HOOK_NAMES = [
  'applypatch-msg', 'pre-applypatch', 'post-applypatch', 'pre-commit', 'pre-merge-commit', 'prepare-commit-msg',
  'commit-msg', 'post-commit', 'pre-rebase', 'post-checkout', 'post-merge', 'pre-push', 'pre-receive', 'update',
  'proc-receive', 'post-receive', 'post-update', 'reference-transaction', 'push-to-checkout', 'pre-auto-gc',
  'post-rewrite', 'sendemail-validate', 'p4-changelist', 'p4-prepare-changelist', 'p4-post-changelist',
  'p4-pre-submit', 'post-index-change',
] as const;

/** Where the hook reads the worktree's task and agent (next to its index; gone with the worktree). */
export const TASK_FILE = 'superset-task';

/** The hooks directory of one task worktree, inside its private git dir: gone with the worktree, untouched by deleting .git/superset. */
export const HOOKS_DIR_NAME = 'superset-hooks';
/** The one script; every hook name is a symlink to it (the script dispatches on $0). */
const SCRIPT_NAME = '.hook.sh';

export const worktreeHooksDir = (worktreeGitDir: string): string => path.join(worktreeGitDir, HOOKS_DIR_NAME);

/**
 * Writes (or refreshes) a worktree's hooks directory: hook.sh as `.hook.sh`, written whole and
 * renamed into place, and a symlink to it under every hook name. Returns the directory.
 */
export function writeHooksDir(worktreeGitDir: string, script = fs.readFileSync(HOOK_SH, 'utf8')): string {
  const dir = worktreeHooksDir(worktreeGitDir);
  fs.mkdirSync(dir, { recursive: true });
  if (readText(path.join(dir, SCRIPT_NAME)) !== script) writeFileAtomic(path.join(dir, SCRIPT_NAME), script, 0o755);
  for (const name of HOOK_NAMES) {
    const link = path.join(dir, name);
    let target: string | null = null;
    try {
      target = fs.readlinkSync(link);
    } catch {
      /* missing, or not a link */
    }
    if (target === SCRIPT_NAME) continue;
    fs.rmSync(link, { force: true });
    try {
      fs.symlinkSync(SCRIPT_NAME, link);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return dir;
}

/** The linked worktrees' private git dirs that hold a task (our task file), read from the directory. */
export function taskWorktreeGitDirs(repo: Repo): string[] {
  const base = path.join(repo.commonDir, 'worktrees');
  let ids: string[];
  try {
    ids = fs.readdirSync(base);
  } catch {
    return [];
  }
  return ids.map((id) => path.join(base, id)).filter((d) => fs.existsSync(path.join(d, TASK_FILE)));
}

/**
 * Brings every task worktree's hooks up to this version of hook.sh (after an upgrade), and moves a
 * worktree whose core.hooksPath still names the old shared `.git/superset/hooks` to its own.
 */
export async function refreshWorktreeHooks(repo: Repo): Promise<void> {
  const script = fs.readFileSync(HOOK_SH, 'utf8');
  for (const gitDir of taskWorktreeGitDirs(repo)) {
    const dir = writeHooksDir(gitDir, script);
    const config = readText(path.join(gitDir, 'config.worktree')) ?? '';
    const worktree = readText(path.join(gitDir, 'gitdir'))?.trim();
    if (config.includes(path.join(repo.stateDir, 'hooks')) && worktree && fs.existsSync(worktree)) {
      await gitResult(['config', '--worktree', 'core.hooksPath', dir], { cwd: path.dirname(worktree) });
    }
  }
}

export function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}



/** The worktree's private git dir (`.git/worktrees/<id>`), read from its `.git` file: no git process. */
export function worktreeGitDir(worktree: string): string | null {
  return gitDirsOf(worktree)?.gitDir ?? null;
}


/**
 * Points this task worktree (only) at our hooks: `git config --worktree core.hooksPath`, and a
 * small file in its private git dir naming the task and agent for the hook. The main worktree and
 * the user's config values are untouched.
 */
/** `fresh`: the worktree was just made, so it has no hooksPath of its own yet (nothing to read first). */
export async function installWorktreeHooks(repo: Repo, worktree: string, task: string, agent: string, opts: { fresh?: boolean } = {}): Promise<void> {
  const gitDir = worktreeGitDir(worktree);
  if (!gitDir || path.resolve(gitDir) === path.resolve(repo.commonDir)) {
    throw new Error(`${worktree} is not a linked worktree of ${repo.root}`);
  }
  fs.writeFileSync(path.join(gitDir, TASK_FILE), `${task}\n${agentWord(agent)}\n`);
  const dir = writeHooksDir(gitDir);
  if (opts.fresh || (await gitResult(['config', '--worktree', 'core.hooksPath'], { cwd: worktree })).stdout.trim() !== dir) {
    await git(['config', '--worktree', 'core.hooksPath', dir], { cwd: worktree });
  }
}

/** Undoes installWorktreeHooks (rm does it before removing the worktree, so nothing is left either way). */
export async function uninstallWorktreeHooks(repo: Repo, worktree: string): Promise<void> {
  const gitDir = worktreeGitDir(worktree);
  if (!gitDir || path.resolve(gitDir) === path.resolve(repo.commonDir)) return;
  fs.rmSync(path.join(gitDir, TASK_FILE), { force: true });
  fs.rmSync(worktreeHooksDir(gitDir), { recursive: true, force: true });
  await gitResult(['config', '--worktree', '--unset-all', 'core.hooksPath'], { cwd: worktree });
  const configWorktree = path.join(gitDir, 'config.worktree');
  if (readText(configWorktree)?.trim() === '') fs.rmSync(configWorktree, { force: true });
}
