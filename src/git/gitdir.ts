import fs from 'node:fs';
import path from 'node:path';

/**
 * Where git keeps a worktree's private files, found by reading files instead of running git:
 * commands that run on every agent turn (`signal`) and the watcher's per-event checks cannot
 * afford a git process. A linked worktree's `.git` is a file `gitdir: <dir>`; that dir holds a
 * `commondir` file pointing at the shared git dir.
 */
export interface GitDirs {
  /** The worktree's top directory. */
  worktree: string;
  /** `.git` of the main worktree, or `<common>/worktrees/<id>` of a linked one. */
  gitDir: string;
  /** The shared git dir (refs, objects, our `superset/` cache). */
  commonDir: string;
}

/**
 * Pure: the path in a `.git` file (`gitdir: <path>`), resolved against the worktree. Read the way
 * git reads it: the whole file, trailing white space stripped; the path may hold a newline.
 */
export function parseGitFile(text: string, worktree: string): string | null {
  const m = /^gitdir: ?([^]+?)\s*$/.exec(text);
  return m ? path.resolve(worktree, m[1]!) : null;
}

export function gitDirsOf(worktree: string): GitDirs | null {
  const dotGit = path.join(worktree, '.git');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dotGit);
  } catch {
    return null;
  }
  if (stat.isDirectory()) return { worktree, gitDir: dotGit, commonDir: dotGit };
  let gitDir: string | null;
  try {
    gitDir = parseGitFile(fs.readFileSync(dotGit, 'utf8'), worktree);
  } catch {
    return null;
  }
  if (!gitDir) return null;
  let commonDir = gitDir;
  try {
    commonDir = path.resolve(gitDir, fs.readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
  } catch {
    /* no commondir file: a separate git dir, not a linked worktree */
  }
  return { worktree, gitDir, commonDir };
}

/** The nearest worktree around `cwd` (walking up), without running git. */
export function findGitDirs(cwd: string): GitDirs | null {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const found = gitDirsOf(dir);
    if (found) return found;
    if (path.dirname(dir) === dir) return null;
  }
}

/** The branch a worktree has checked out, read from its HEAD file; null when detached. */
export function checkedOutBranch(gitDir: string): string | null {
  try {
    const m = /^ref: refs\/heads\/(.+)$/m.exec(fs.readFileSync(path.join(gitDir, 'HEAD'), 'utf8'));
    return m ? m[1]!.trim() : null;
  } catch {
    return null;
  }
}

/**
 * A branch's tip from the ref files (loose ref, else packed-refs), or null. Lets the watcher
 * notice commits every tick without a git process.
 */
export function readBranchTip(commonDir: string, branch: string): string | null {
  try {
    const loose = fs.readFileSync(path.join(commonDir, 'refs/heads', branch), 'utf8').trim();
    if (/^[0-9a-f]{40,64}$/.test(loose)) return loose;
  } catch {
    /* packed, or no such branch */
  }
  try {
    return tipFromPackedRefs(fs.readFileSync(path.join(commonDir, 'packed-refs'), 'utf8'), `refs/heads/${branch}`);
  } catch {
    return null;
  }
}

/** Pure: a ref's object name from packed-refs text. */
export function tipFromPackedRefs(text: string, ref: string): string | null {
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.startsWith('^')) continue;
    const space = line.indexOf(' ');
    if (space > 0 && line.slice(space + 1) === ref) return line.slice(0, space);
  }
  return null;
}

/** The git operation in progress in a worktree (whose files must not be read as a finished state), or null. */
export function operationInProgress(gitDir: string): string | null {
  const markers: [string, string][] = [
    ['index.lock', 'a git command holds the index lock'],
    ['rebase-merge', 'a rebase'],
    ['rebase-apply', 'a rebase or am'],
    ['MERGE_HEAD', 'a merge'],
    ['CHERRY_PICK_HEAD', 'a cherry-pick'],
    ['REVERT_HEAD', 'a revert'],
    ['BISECT_LOG', 'a bisect'],
  ];
  for (const [file, what] of markers) if (fs.existsSync(path.join(gitDir, file))) return what;
  return null;
}
