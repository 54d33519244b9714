import fs from 'node:fs';

const STALE_MS = 15_000;

function tryAcquire(lockPath: string): boolean {
  try {
    fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // A holder that crashed leaves its lock behind; a lock this old cannot still be held.
    try {
      if (Date.now() - fs.statSync(lockPath).mtimeMs > STALE_MS) fs.rmSync(lockPath, { force: true });
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
