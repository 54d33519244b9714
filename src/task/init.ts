import fs from 'node:fs';
import path from 'node:path';
import type { Repo } from '../git/repo.js';
import { setUpRecord } from '../hooks/setup.js';

const README = `This directory is git superset's runtime cache (pids, tmux sessions, exit codes, logs).
Everything that matters lives in git: task branches (superset/*), worktrees, refs/notes/superset.
Deleting this directory loses no work; git superset rebuilds what it can from git.
`;

/** Idempotent set-up of the repository for git superset. Returns true when something was created. */
export async function initRepo(repo: Repo): Promise<boolean> {
  const marker = path.join(repo.stateDir, 'README');
  // hooks, worktreeConfig and notes config: one file read once done (src/hooks/setup.ts)
  const recorded = await setUpRecord(repo);
  if (fs.existsSync(marker)) return recorded;
  for (const dir of ['tasks', 'logs']) fs.mkdirSync(path.join(repo.stateDir, dir), { recursive: true });
  fs.writeFileSync(marker, README);
  return true;
}
