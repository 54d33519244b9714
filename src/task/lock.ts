import fs from 'node:fs';
import { LockTimeout } from '../errors.js';

export { LockTimeout };
import { isAlive } from './process-alive.js';
import { procStat } from './proc.js';

/** A lock whose holder is alive is never broken before this, however slow its work (a big checkout). */
const MAX_HELD_MS = 10 * 60_000;
/** A lock file with no pid in it yet: its writer is between create and write (microseconds), or died there. */
const EMPTY_GRACE_MS = 1_000;

/**
 * A lock file holds `<pid> <start>`: the holder's pid and its start time (field 22 of
 * /proc/<pid>/stat, clock ticks since boot), so a pid the kernel gave to an unrelated process
 * since the holder died is told apart from the holder. The sh hook writes the same (src/hooks/hook.sh
 * `lock_notes`); a file with a pid alone (an older writer, or no /proc) is judged by the pid.
 */
export function processStart(pid: number): string | null {
  return procStat(pid)?.start || null;
}

let ownContent: string | null = null;
function content(): string {
  ownContent ??= `${[process.pid, processStart(process.pid)].filter((x) => x !== null).join(' ')}\n`;
  return ownContent;
}

/** Pure: whether a lock file's holder is gone, given what it says and what the system says now. */
export function isStaleLock(
  text: string,
  ageMs: number,
  sys: { alive: (pid: number) => boolean; start: (pid: number) => string | null },
): boolean {
  const [pidText, start] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!pidText || !Number.isInteger(pid) || pid <= 0) return ageMs > EMPTY_GRACE_MS;
  if (!sys.alive(pid)) return true;
  if (start) {
    const now = sys.start(pid);
    if (now !== null && now !== start) return true; // the pid was reused
  }
  return ageMs > MAX_HELD_MS;
}

/**
 * A holder that crashed leaves its lock behind. Age and content are read through one descriptor,
 * so they describe the same file even when the lock is released and taken again meanwhile;
 * returns that file's inode when it is stale, or null.
 */
function staleInode(lockPath: string): number | null {
  const fd = fs.openSync(lockPath, 'r');
  try {
    const st = fs.fstatSync(fd);
    const text = fs.readFileSync(fd, 'utf8');
    return isStaleLock(text, Date.now() - st.mtimeMs, { alive: isAlive, start: processStart }) ? st.ino : null;
  } finally {
    fs.closeSync(fd);
  }
}

let tmpSeq = 0;

/**
 * Takes the lock with its content already in it: the pid is written to a private file, which is
 * then hard-linked into place (link(2) fails if the lock exists, like O_EXCL). A lock made by
 * Node is never empty, so a writer killed at any instant (kill -9 of `start`) leaves a lock whose
 * dead holder is known at once, instead of an empty file that must age first.
 */
function tryAcquire(lockPath: string): boolean {
  const tmp = `${lockPath}.${process.pid}.${++tmpSeq}.tmp`;
  try {
    // A full disk fails here, before any lock exists: nothing is left to hold up later writers.
    fs.writeFileSync(tmp, content(), { flag: 'wx' });
    fs.linkSync(tmp, lockPath);
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
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** The pid a lock file names, for the timeout's message; '' when it cannot be read (released just now). */
function holderOf(lockPath: string): string {
  try {
    return fs.readFileSync(lockPath, 'utf8').trim().split(/\s+/)[0] ?? '';
  } catch {
    return '';
  }
}

/**
 * How long a writer waits for a lock before giving up (LockTimeout): 30 s, or
 * SUPERSET_LOCK_TIMEOUT_SECONDS (tests, and users of very slow disks).
 */
export function defaultLockTimeoutMs(): number {
  const s = Number(process.env.SUPERSET_LOCK_TIMEOUT_SECONDS);
  return Number.isFinite(s) && s > 0 ? s * 1000 : 30_000;
}

/** Runs fn holding the lock if it is free now (a stale one is broken first); false when it was busy. */
export function withFileLockNow(lockPath: string, fn: () => void): boolean {
  if (!tryAcquire(lockPath) && !tryAcquire(lockPath)) return false;
  try {
    fn();
  } finally {
    fs.rmSync(lockPath, { force: true });
  }
  return true;
}

/**
 * Removes a lock file whose holder is dead (a `kill -9` left it); true when it was stale.
 * A lock held by a live process is left alone.
 */
export function breakStaleLock(lockPath: string): boolean {
  try {
    const ino = staleInode(lockPath);
    if (ino === null || fs.statSync(lockPath).ino !== ino) return false;
    fs.rmSync(lockPath, { force: true });
    return true;
  } catch {
    return false; // gone already, or raced with its owner releasing it
  }
}

/** Runs fn while holding an exclusive lock file (O_EXCL create), retrying until it is free. */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T> | T, timeoutMs = defaultLockTimeoutMs()): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (!tryAcquire(lockPath)) {
    if (Date.now() > deadline) throw new LockTimeout(lockPath, holderOf(lockPath));
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockPath, { force: true });
  }
}
