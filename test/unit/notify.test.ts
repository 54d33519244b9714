import { describe, expect, it } from 'vitest';
import { transitions } from '../../src/watch/notify.js';
import { parseConfig } from '../../src/config/schema.js';
import type { TaskState, TaskStatus } from '../../src/task/state.js';

const state = (name: string, status: TaskStatus): TaskState => ({
  v: 1, name, branch: `superset/${name}`, worktree: `/w/${name}`, agent: 'claude', argv: [], runner: 'tmux', base: 'main', baseCommit: 'abc', startedAt: 'x', status,
});

describe('notify transitions', () => {
  it('fires when a known task becomes waiting, done or failed, once', () => {
    const prev = new Map<string, TaskStatus>([['a', 'running'], ['b', 'running'], ['c', 'running'], ['d', 'running'], ['e', 'done']]);
    const now = [state('a', 'waiting'), state('b', 'done'), state('c', 'failed'), state('d', 'idle'), state('e', 'done')];
    expect(transitions(prev, now)).toEqual([
      { task: 'a', status: 'waiting', worktree: '/w/a' },
      { task: 'b', status: 'done', worktree: '/w/b' },
      { task: 'c', status: 'failed', worktree: '/w/c' },
    ]);
  });
  it('does not fire for a task seen for the first time (a restarted watcher)', () => {
    expect(transitions(new Map(), [state('a', 'done'), state('b', 'waiting')])).toEqual([]);
  });
  it.each([['stopped'], ['running'], ['idle'], ['starting']] as const)('does not fire for %s', (status) => {
    expect(transitions(new Map([['a', 'waiting']]), [state('a', status)])).toEqual([]);
  });
});

describe('config notify', () => {
  it('is null by default and takes an argv array', () => {
    expect(parseConfig({}, 'f').notify).toBeNull();
    expect(parseConfig({ notify: ['notify-send', 'git superset'] }, 'f').notify).toEqual(['notify-send', 'git superset']);
  });
  it.each([['notify-send "$SUPERSET_TASK"'], [[]], [['ok', 3]], [['']], [{ cmd: 'x' }]])('refuses %j with one clear line', (value) => {
    expect(() => parseConfig({ notify: value }, '.supersetrc.json')).toThrow(
      'config .supersetrc.json: "notify" must be a command as an array of words, e.g. ["notify-send", "git superset"]',
    );
  });
});
