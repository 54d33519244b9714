import fs from 'node:fs';
import os from 'node:os';
import { createHash } from 'node:crypto';
import type { Repo } from '../git/repo.js';

/**
 * Which clone of a repository this is, as recorded in `queued` events: the notes and anchors travel
 * with `sync`, and a queue rebuilt from them (when .git/superset is gone) must launch only what was
 * queued here, never a teammate's queue on another machine. Made from the machine, the common git
 * dir's path and its inode, so it needs no stored state and no write; a copy of the repository (a
 * new inode) counts as another clone, which is what it is.
 */
export function cloneIdentity(host: string, commonDir: string, inode: number): string {
  return createHash('sha1').update(`${host}\0${commonDir}\0${inode}`).digest('hex').slice(0, 12);
}

export const cloneId = (repo: Repo): string => cloneIdentity(os.hostname(), repo.commonDir, fs.statSync(repo.commonDir).ino);
