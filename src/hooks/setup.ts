import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Repo } from '../git/repo.js';
import { git, gitResult } from '../git/git.js';
import { withFileLock } from '../task/lock.js';
import { NOTES_REF } from '../git/note-line.js';
import { readText, refreshWorktreeHooks } from './install.js';
import { HOOK_SH } from '../package-files.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/** Tool-owned config, pulled into .git/config with include.path: deleting it restores the user's config. */
const INCLUDE = 'superset/config';

const CONFIG_TEXT = `# Written by git superset (git superset init). Included from .git/config; safe to delete.
[notes]
\tdisplayRef = ${NOTES_REF}
`;
// No notes.rewriteRef: git would copy the notes of amended and rebased commits with an unlocked
// update of the ref, racing the other writers (lost notes commits). The post-rewrite hook of task
// worktrees copies them under the notes lock instead.

function recordVersion(): string {
  return createHash('sha1').update(fs.readFileSync(HOOK_SH)).update(CONFIG_TEXT).digest('hex');
}

/**
 * Idempotent set-up of the git-native record: `extensions.worktreeConfig` (so core.hooksPath can be
 * set per worktree), the notes config (plain `git log` shows the notes), and every task worktree's
 * hooks brought up to this version. After the first run it costs one file read; concurrent callers
 * (10 `start`s at once) serialise on a lock and all succeed.
 */
export async function setUpRecord(repo: Repo): Promise<boolean> {
  const marker = path.join(repo.stateDir, 'record.version');
  const version = recordVersion();
  const done = () => readText(marker) === version;
  if (done()) return false;
  fs.mkdirSync(repo.stateDir, { recursive: true });
  return withFileLock(path.join(repo.stateDir, 'init.lock'), async () => {
    if (done()) return false;
    await refreshWorktreeHooks(repo);
    // Repository-format extensions are read from .git/config itself, never through includes.
    await git(['config', '--local', 'extensions.worktreeConfig', 'true'], { cwd: repo.root });
    const configFile = path.join(repo.stateDir, 'config');
    writeFileAtomic(configFile, CONFIG_TEXT);
    const includes = await gitResult(['config', '--local', '--get-all', 'include.path'], { cwd: repo.root, okCodes: [1] });
    if (!includes.stdout.split('\n').includes(INCLUDE)) {
      await git(['config', '--local', '--add', 'include.path', INCLUDE], { cwd: repo.root });
    }
    writeFileAtomic(marker, version);
    return true;
  });
}
