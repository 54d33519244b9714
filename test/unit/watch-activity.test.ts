import { describe, expect, it } from 'vitest';
import { statusPaths } from '../../src/git/worktrees.js';
import {
  alwaysIgnored,
  flushDelay,
  inIgnoredSet,
  isIdleDue,
  isSnapshotDue,
  shouldExit,
  statusAfterActivity,
  watchLimitMessage,
} from '../../src/watch/activity.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('what the watcher ignores', () => {
  it.each(['.git', '.git/index', 'a/.git/x', 'node_modules', 'pkg/node_modules/x/y.js'])('always %s', (p) => expect(alwaysIgnored(p)).toBe(true));
  it.each(['src/a.ts', '.github/ci.yml', 'node_modules_x/a', 'git/a'])('never by name %s', (p) => expect(alwaysIgnored(p)).toBe(false));

  it('matches git-listed ignored entries and everything under ignored directories', () => {
    const ignored = new Set(['dist/', 'debug.log', 'a/b/cache/']);
    expect(inIgnoredSet('dist', ignored)).toBe(true);
    expect(inIgnoredSet('dist/x/y.js', ignored)).toBe(true);
    expect(inIgnoredSet('debug.log', ignored)).toBe(true);
    expect(inIgnoredSet('a/b/cache/z', ignored)).toBe(true);
    expect(inIgnoredSet('a/b/other', ignored)).toBe(false);
    expect(inIgnoredSet('distant/x', ignored)).toBe(false);
    expect(inIgnoredSet('src/debug.log', ignored)).toBe(false);
  });

  it('reads git status -z paths, skipping the old name of a rename', () => {
    expect(statusPaths(' M a.txt\0?? new dir/f.txt\0R  new.txt\0old.txt\0 D gone\0')).toEqual(['a.txt', 'new dir/f.txt', 'new.txt', 'gone']);
    expect(statusPaths('')).toEqual([]);
  });
});

describe('status decisions', () => {
  it('a write makes idle and waiting tasks running, unless the agent signalled after it', () => {
    expect(statusAfterActivity({ status: 'idle' }, T0)).toBe('running');
    expect(statusAfterActivity({ status: 'waiting' }, T0)).toBe('running');
    expect(statusAfterActivity({ status: 'running' }, T0)).toBe('running');
    expect(statusAfterActivity({ status: 'starting' }, T0)).toBe('starting');
    expect(statusAfterActivity({ status: 'done' }, T0)).toBe('done');
    expect(statusAfterActivity({ status: 'idle', signaledAt: iso(T0 + 50) }, T0)).toBe('idle');
    expect(statusAfterActivity({ status: 'idle', signaledAt: iso(T0 - 50) }, T0)).toBe('running');
  });

  it('idle after idleSeconds since the last activity, start or signal', () => {
    const base = { status: 'running' as const, startedAt: iso(T0), lastActivity: iso(T0 + 10_000) };
    expect(isIdleDue(base, T0 + 39_999, 30)).toBe(false);
    expect(isIdleDue(base, T0 + 40_000, 30)).toBe(true);
    expect(isIdleDue({ status: 'running', startedAt: iso(T0) }, T0 + 30_000, 30)).toBe(true);
    expect(isIdleDue({ ...base, signaledAt: iso(T0 + 20_000) }, T0 + 40_000, 30)).toBe(false);
  });

  it('never idles a running the agent signalled itself, nor a task that is not running', () => {
    expect(isIdleDue({ status: 'running', statusBy: 'agent', startedAt: iso(T0) }, T0 + 3_600_000, 30)).toBe(false);
    expect(isIdleDue({ status: 'waiting', startedAt: iso(T0) }, T0 + 3_600_000, 30)).toBe(false);
    expect(isIdleDue({ status: 'idle', startedAt: iso(T0) }, T0 + 3_600_000, 30)).toBe(false);
  });

  it('snapshots after quietSeconds of quiet, only with pending changes', () => {
    expect(isSnapshotDue(true, T0, T0 + 9_999, 10)).toBe(false);
    expect(isSnapshotDue(true, T0, T0 + 10_000, 10)).toBe(true);
    expect(isSnapshotDue(false, T0, T0 + 60_000, 10)).toBe(false);
  });

  it('leaves after lingerSeconds with no live task', () => {
    expect(shouldExit(0, T0, T0 + 119_000, 120)).toBe(false);
    expect(shouldExit(0, T0, T0 + 120_000, 120)).toBe(true);
    expect(shouldExit(1, T0, T0 + 999_000, 120)).toBe(false);
  });

  it('debounces with a ceiling', () => {
    expect(flushDelay(T0, T0, 200, 1000)).toBe(200);
    expect(flushDelay(T0, T0 + 900, 200, 1000)).toBe(100);
    expect(flushDelay(T0, T0 + 1500, 200, 1000)).toBe(0);
  });
});

describe('running out of watches', () => {
  it('names the sysctl to raise, in one line', () => {
    const line = watchLimitMessage('ENOSPC', 8192)!;
    expect(line).toContain('sudo sysctl fs.inotify.max_user_watches=524288');
    expect(line).toContain('limit 8192');
    expect(line).not.toContain('\n');
    expect(watchLimitMessage('ENOSPC', 1_000_000)).toContain('max_user_watches=2000000');
    expect(watchLimitMessage('EMFILE', null)).toContain('fs.inotify.max_user_watches=');
    expect(watchLimitMessage('EACCES', 8192)).toBeNull();
  });
});
