import * as msg from '../messages.js';

/**
 * The watcher's decisions as pure functions of what it has seen and the time, so they are
 * unit-tested without files, git or clocks. daemon.ts does the I/O around them.
 */

/** Never worth a watch or an event: git's own files and dependency trees. */
export function alwaysIgnored(rel: string): boolean {
  return rel.split('/').some((part) => part === '.git' || part === 'node_modules');
}

/**
 * Whether a worktree-relative path is ignored, given the ignored entries git listed
 * (`ls-files --others --ignored --directory`: directories end with '/').
 */
export function inIgnoredSet(rel: string, ignored: ReadonlySet<string>): boolean {
  if (ignored.has(rel) || ignored.has(`${rel}/`)) return true;
  for (let i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) {
    if (ignored.has(rel.slice(0, i + 1))) return true;
  }
  return false;
}

/** NUL-separated git output as a list. */
export const splitNul = (out: string): string[] => out.split('\0').filter(Boolean);


// The status rules (activity, idle) are the lifecycle's; re-exported for the watcher's callers.
export { isIdleDue, statusAfterActivity } from '../task/lifecycle.js';

/** A snapshot is due when the worktree changed since the last one and has been quiet long enough. */
export function isSnapshotDue(pending: boolean, lastChangeAt: number, now: number, quietSeconds: number): boolean {
  return pending && now - lastChangeAt >= quietSeconds * 1000;
}

/** The daemon leaves when no task has been live for lingerSeconds. */
export function shouldExit(liveTasks: number, lastLiveAt: number, now: number, lingerSeconds: number): boolean {
  return liveTasks === 0 && now - lastLiveAt >= lingerSeconds * 1000;
}

/** Trailing debounce with a ceiling: flush after quietMs without events, or maxMs after the first. */
export function flushDelay(firstEventAt: number, now: number, quietMs: number, maxMs: number): number {
  return Math.max(0, Math.min(quietMs, firstEventAt + maxMs - now));
}

/**
 * The one line printed when the OS runs out of watches, or null for other errors. The watcher
 * keeps going with what it could watch.
 */
export function watchLimitMessage(code: string | undefined, currentWatches: number | null): string | null {
  const suggested = Math.max(524288, (currentWatches ?? 0) * 2);
  if (code === 'ENOSPC') {
    return msg.watch.logLine(msg.watch.outOfWatches(currentWatches, suggested));
  }
  if (code === 'EMFILE') {
    return msg.watch.logLine(msg.watch.tooManyFiles(suggested));
  }
  return null;
}
