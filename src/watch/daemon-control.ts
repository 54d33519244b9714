import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type { Repo } from '../git/repo.js';
import { withoutHookGitVars } from '../git/git.js';
import { CLI_BIN } from '../package-files.js';
import { withFileLock, withFileLockNow } from '../task/lock.js';
import { TaskStore, isAlive } from '../task/store.js';
import { awaitsLaunch, isLive, type TaskStatus } from '../task/lifecycle.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { procCmdline } from '../task/proc.js';

/**
 * Finding, starting and stopping the one watcher daemon of a repository. Everything here is
 * cheap (a file read and kill(0)) because every command that reads tasks calls ensureWatcherFor.
 */

export interface WatchFiles {
  /** `{"pid":N,"startedAt":ISO}` of the running daemon. */
  pid: string;
  /** Held only while a daemon claims or releases the pid file. */
  lock: string;
  log: string;
}

export function watchFiles(stateDir: string): WatchFiles {
  return { pid: path.join(stateDir, 'watch.pid'), lock: path.join(stateDir, 'watch.lock'), log: path.join(stateDir, 'logs', 'watch.log') };
}

interface PidRecord {
  pid: number;
  startedAt: string;
}

function readRecord(file: string): PidRecord | null {
  try {
    const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as PidRecord;
    return Number.isInteger(rec.pid) && rec.pid > 0 ? rec : null;
  } catch {
    return null;
  }
}

/**
 * After a crash the pid may be reused by an unrelated process: where /proc exists, the pid only
 * counts if that process is a `watch`.
 */
function isWatcherProcess(pid: number): boolean {
  if (!isAlive(pid)) return false;
  const argv = procCmdline(pid);
  return argv === undefined || (argv?.includes('watch') ?? false);
}

/** The pid of the live daemon, or null. */
export function watcherPid(stateDir: string): number | null {
  const rec = readRecord(watchFiles(stateDir).pid);
  return rec && (rec.pid === process.pid || isWatcherProcess(rec.pid)) ? rec.pid : null;
}

function writeRecord(file: string, pid: number): void {
  writeFileAtomic(file, JSON.stringify({ pid, startedAt: new Date().toISOString() }) + '\n');
}

/** Claims the repository for this process; returns the pid of the daemon already running instead, if any. */
export async function claimWatcher(stateDir: string): Promise<number | null> {
  const files = watchFiles(stateDir);
  fs.mkdirSync(path.dirname(files.log), { recursive: true });
  return withFileLock(files.lock, () => {
    const running = watcherPid(stateDir);
    if (running && running !== process.pid) return running;
    writeRecord(files.pid, process.pid);
    return null;
  });
}

/** Whether the pid file still names this process (another watcher may have taken over). */
export function ownsWatcher(stateDir: string): boolean {
  return readRecord(watchFiles(stateDir).pid)?.pid === process.pid;
}

/** Gives the claim up, if it is still ours. */
export function releaseWatcher(stateDir: string): void {
  const file = watchFiles(stateDir).pid;
  if (readRecord(file)?.pid === process.pid) fs.rmSync(file, { force: true });
}

/**
 * Whether tasks in these statuses need a watcher: a live one is followed (activity, idle, exits
 * a wrapper could not record), a pending one (queued/blocked) is launched by it. Pure.
 */
export const needsWatcher = (tasks: readonly { status: TaskStatus }[]): boolean => tasks.some((t) => isLive(t.status) || awaitsLaunch(t.status));

/**
 * A command's decision, taken once after it read tasks: start the daemon if some task needs it and
 * none runs. This is how a daemon killed with -9 (or a reboot) comes back, and how queued tasks get
 * launched, on the next command that reads tasks. Reading tasks never starts anything by itself
 * (loadTasks has no such side effect); commands, the board's refresh and the MCP server call this.
 * Without `tasks`, the runtime records are read (settled, no git). Returns the new daemon's pid or null.
 */
export function ensureWatcherFor(repo: Repo, tasks?: readonly { status: TaskStatus }[]): number | null {
  if (process.env.SUPERSET_WATCH === '0') return null;
  if (watcherPid(repo.stateDir)) return null;
  if (!tasks) {
    const store = new TaskStore(repo);
    tasks = store.all().map((s) => store.settle(s));
  }
  return needsWatcher(tasks) ? spawnWatcher(repo) : null;
}

/** Starts the daemon, detached, now (ensureWatcherFor decides whether). */
export function spawnWatcher(repo: Repo): number | null {
  const files = watchFiles(repo.stateDir);
  fs.mkdirSync(path.dirname(files.log), { recursive: true });
  // Set when we run inside a git hook; they would point the daemon's git calls at one worktree.
  // And the task variables of an agent that ran `start`: the daemon is no agent of that task.
  const env = withoutHookGitVars(process.env);
  for (const k of ['SUPERSET_TASK', 'SUPERSET_BRANCH', 'SUPERSET_WORKTREE', 'SUPERSET_BASE', 'SUPERSET_PROMPT']) delete env[k];
  const log = fs.openSync(files.log, 'a');
  try {
    const child = spawn(process.execPath, [CLI_BIN, 'watch', '--daemon'], { cwd: repo.root, env, detached: true, stdio: ['ignore', log, log] });
    child.on('error', () => {});
    child.unref();
    // Recorded by the spawner at once, so `watch --status` and the next command see a watcher being
    // started as running (the daemon's claim then keeps the record). Under the claim lock, and only
    // when no watcher is recorded, so a daemon that claimed meanwhile is never overwritten.
    if (child.pid) {
      const pid = child.pid;
      try {
        withFileLockNow(files.lock, () => {
          if (!watcherPid(repo.stateDir)) writeRecord(files.pid, pid);
        });
      } catch {
        /* the daemon writes its own record */
      }
    }
    return child.pid ?? null;
  } finally {
    fs.closeSync(log);
  }
}

/** Ends the daemon: SIGTERM, then SIGKILL after timeoutMs. */
export async function stopWatcher(stateDir: string, timeoutMs = 5000): Promise<'not-running' | 'stopped' | 'killed'> {
  const pid = watcherPid(stateDir);
  if (!pid) return 'not-running';
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'not-running';
  }
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (!isAlive(pid)) return 'stopped';
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
  fs.rmSync(watchFiles(stateDir).pid, { force: true });
  return 'killed';
}
