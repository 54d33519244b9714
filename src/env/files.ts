import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.js';
import { gitResult } from '../git/git.js';
import * as msg from '../messages.js';

/** A copy/link pattern must stay inside the repository. Pure. */
export function patternProblem(pattern: string): string | null {
  if (pattern.trim() === '') return 'is empty';
  if (path.isAbsolute(pattern) || pattern.startsWith('~')) return 'is not relative to the repository root';
  if (pattern.split(/[\\/]/).includes('..')) return "reaches outside the repository ('..')";
  return null;
}

export function assertPatterns(key: string, patterns: readonly string[]): void {
  for (const p of patterns) {
    const problem = patternProblem(p);
    if (problem) throw new UserError(msg.config.badPattern(key, p, problem));
  }
}

export interface BroughtFiles {
  copied: string[];
  linked: string[];
}

/** Untracked files and directories of the main worktree matching the globs (dotfiles included). */
async function matching(root: string, patterns: readonly string[]): Promise<string[]> {
  if (patterns.length === 0) return [];
  const { glob } = await import('tinyglobby');
  const found = await glob([...patterns], { cwd: root, dot: true, onlyFiles: false, expandDirectories: false, ignore: ['.git/**'] });
  return found.map((p) => p.replace(/\/$/, '')).filter((p) => !isInside(p, '.git'));
}

const isInside = (rel: string, dir: string): boolean => rel === dir || rel.startsWith(`${dir}/`);

/**
 * Gitignored files the root's `.worktreeinclude` lists (gitignore syntax: the convention Claude
 * Code and ccmanager use): only ignored files, so nothing tracked is ever overwritten.
 */
async function worktreeIncluded(root: string): Promise<string[]> {
  let text: string;
  try {
    text = fs.readFileSync(path.join(root, '.worktreeinclude'), 'utf8');
  } catch {
    return [];
  }
  const res = await gitResult(['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory'], { cwd: root });
  if (res.code !== 0) return [];
  const { default: ignore } = await import('ignore');
  const include = ignore().add(text);
  return res.stdout
    .split('\0')
    .filter(Boolean)
    .map((p) => p.replace(/\/$/, ''))
    .filter((p) => include.ignores(p) || include.ignores(`${p}/`));
}

/**
 * Brings untracked files from the main worktree into a new task worktree before setup: `copy`
 * and `.worktreeinclude` as copies, `link` as symlinks (a large cache). A missing source is
 * skipped; an existing file in the worktree is never overwritten.
 */
export async function bringFiles(root: string, worktree: string, copy: readonly string[], link: readonly string[]): Promise<BroughtFiles> {
  assertPatterns('copy', copy);
  assertPatterns('link', link);
  const toCopy = [...new Set([...(await matching(root, copy)), ...(await worktreeIncluded(root))])];
  const toLink = await matching(root, link);
  const done: BroughtFiles = { copied: [], linked: [] };
  for (const rel of toCopy) {
    const dest = path.join(worktree, rel);
    if (fs.existsSync(dest)) continue;
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.cpSync(path.join(root, rel), dest, { recursive: true, errorOnExist: false, force: false, verbatimSymlinks: true });
    done.copied.push(rel);
  }
  for (const rel of toLink) {
    const dest = path.join(worktree, rel);
    if (fs.existsSync(dest) || toCopy.includes(rel)) continue;
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.symlinkSync(path.join(root, rel), dest);
    done.linked.push(rel);
  }
  return done;
}
