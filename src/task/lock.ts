import fs from 'node:fs';
import { isAlive } from './process-alive.js';

/** A lock whose holder is alive is never broken before this, however slow its work (a big checkout). */
const MAX_HELD_MS = 10 * 60_000;
/** A lock file with no pid in it yet: its writer is between create and write, or died there. */
const EMPTY_GRACE_MS = 2_000;

/** A holder that crashed leaves its lock behind: broken when its pid is dead (the sh hook writes $$ too). */
function isStale(lockPath: string): boolean {
  const age = Date.now() - fs.statSync(lockPath).mtimeMs;
  const pid = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
  if (Number.isInteger(pid) && pid > 0) return !isAlive(pid) || age > MAX_HELD_MS;
  return age > EMPTY_GRACE_MS;
}

function tryAcquire(lockPath: string): boolean {
  try {
    fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    try {
      if (isStale(lockPath)) fs.rmSync(lockPath, { force: true });
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
