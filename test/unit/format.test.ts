import { describe, expect, it } from 'vitest';
import { age, byUrgency, clip, taskTable } from '../../src/task/format.js';
import type { TaskView } from '../../src/task/catalog.js';

const NOW = Date.parse('2026-01-02T12:00:00.000Z');

function view(over: Partial<TaskView>): TaskView {
  return {
    name: 't', branch: 'superset/t', worktree: '/w/t', agent: 'claude', runner: 'tmux', status: 'running',
    exitCode: null, signal: null, startedAt: new Date(NOW - 90_000).toISOString(), endedAt: null, base: 'main',
    commit: 'abc', ahead: 2, changedFiles: 1, lastActivity: null, reason: null, pid: 1, tmuxSession: null, parent: null, ports: null,
    ...over,
  };
}

describe('age', () => {
  it.each([
    [0, '0s'], [59_000, '59s'], [60_000, '1m'], [3_599_000, '59m'], [3_600_000, '1h'], [86_399_000, '23h'], [86_400_000, '1d'], [10 * 86_400_000, '10d'],
  ])('%i ms ago -> %s', (ms, text) => {
    expect(age(new Date(NOW - ms).toISOString(), NOW)).toBe(text);
  });
  it('is "-" without a time, and never negative', () => {
    expect(age(null, NOW)).toBe('-');
    expect(age(new Date(NOW + 5000).toISOString(), NOW)).toBe('0s');
  });
});

describe('byUrgency', () => {
  it('puts waiting, then failed first, stopped last, names breaking ties', () => {
    const tasks = [
      view({ name: 'd', status: 'stopped' }), view({ name: 'c', status: 'done' }), view({ name: 'b', status: 'running' }),
      view({ name: 'a', status: 'running' }), view({ name: 'f', status: 'failed' }), view({ name: 'w', status: 'waiting' }),
      view({ name: 'i', status: 'idle' }),
    ];
    expect(tasks.sort(byUrgency).map((t) => t.name)).toEqual(['w', 'f', 'a', 'b', 'i', 'c', 'd']);
  });
});

describe('clip', () => {
  it('keeps short text and ends long text with an ellipsis at the limit', () => {
    expect(clip('short', 10)).toBe('short');
    expect(clip('x'.repeat(10), 10)).toBe('x'.repeat(10));
    expect(clip('x'.repeat(11), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('taskTable', () => {
  it('aligns columns to their content, the worktree last and unpadded', () => {
    const out = taskTable([
      view({ name: 'auth', ahead: 12 }),
      view({ name: 'a-much-longer-name', agent: null, status: 'failed', exitCode: 3, ahead: null, changedFiles: null, startedAt: null, worktree: null }),
    ], NOW);
    expect(out).toBe(
      [
        'NAME                AGENT   STATUS      BRANCH      AHEAD  CHANGED  AGE  WORKTREE',
        'auth                claude  running     superset/t  12     1        1m   /w/t',
        'a-much-longer-name  -       failed (3)  superset/t  -      -        -    (no worktree)',
        '',
      ].join('\n'),
    );
  });

  it('shows the signal of a killed agent, and a plain status otherwise', () => {
    expect(taskTable([view({ status: 'failed', exitCode: 137, signal: 'SIGKILL' })], NOW)).toContain('failed (SIGKILL)');
    expect(taskTable([view({ status: 'failed', exitCode: null, reason: 'vanished' })], NOW)).toMatch(/ failed /);
    expect(taskTable([view({ status: 'done', exitCode: 0 })], NOW)).toMatch(/ done /);
  });
});
