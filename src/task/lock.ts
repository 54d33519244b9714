import fs from 'node:fs';
import { isAlive } from './process-alive.js';

/** A lock whose holder is alive is never broken before this, however slow its work (a big checkout). */
const MAX_HELD_MS = 10 * 60_000;
/** A lock file with no pid in it yet: its writer is between create and write, or died there. */
const EMPTY_GRACE_MS = 2_000;

/**
 * A holder that crashed leaves its lock behind: it is stale when its pid is dead (the sh hook
 * writes $$ too). Age and pid are read through one descriptor, so they describe the same file even
 * when the lock is released and taken again meanwhile; returns that file's inode, or null.
 */
function staleInode(lockPath: string): number | null {
  const fd = fs.openSync(lockPath, 'r');
  try {
    const st = fs.fstatSync(fd);
    const pid = Number.parseInt(fs.readFileSync(fd, 'utf8'), 10);
    const age = Date.now() - st.mtimeMs;
    const stale = Number.isInteger(pid) && pid > 0 ? !isAlive(pid) || age > MAX_HELD_MS : age > EMPTY_GRACE_MS;
    return stale ? st.ino : null;
  } finally {
    fs.closeSync(fd);
  }
}

function tryAcquire(lockPath: string): boolean {
  try {
    fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    try {
      const ino = staleInode(lockPath);
      // only the file judged stale: not a fresh lock someone took since
      if (ino !== null && fs.statSync(lockPath).ino === ino) fs.rmSync(lockPath, { force: true });
    } catch {
      /* raced with its owner releasing it */
    }
    return false;
  }
}

/** Runs fn while holding an exclusive lock file (O_EXCL create), retrying until it is free. */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T> | T, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (!tryAcquire(lockPath)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockPath}`);
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockPath, { force: true });
  }
}
