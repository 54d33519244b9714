import { describe, expect, it } from 'vitest';
import { age, byUrgency, clip, taskTable } from '../../src/task/format.js';
import type { TaskView } from '../../src/task/catalog.js';
import { ellipsis, renderTable } from '../../src/table.js';

const NOW = Date.parse('2026-01-02T12:00:00.000Z');

function view(over: Partial<TaskView>): TaskView {
  return {
    name: 't', branch: 'superset/t', worktree: '/w/t', agent: 'claude', prompt: null, runner: 'tmux', status: 'running',
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
  it('--wide: every column, aligned to its content, the worktree last and unpadded', () => {
    const out = taskTable([
      view({ name: 'auth', ahead: 12 }),
      view({ name: 'a-much-longer-name', agent: null, status: 'failed', exitCode: 3, ahead: null, changedFiles: null, startedAt: null, worktree: null }),
    ], { now: NOW, wide: true });
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
    expect(taskTable([view({ status: 'failed', exitCode: 137, signal: 'SIGKILL' })], { now: NOW })).toContain('failed (SIGKILL)');
    expect(taskTable([view({ status: 'failed', exitCode: null, reason: 'vanished' })], { now: NOW })).toMatch(/ failed /);
    expect(taskTable([view({ status: 'done', exitCode: 0 })], { now: NOW })).toMatch(/ done /);
  });

  it('shows a branch only where it is not the task\'s own, and no BRANCH column when none is', () => {
    const own = taskTable([view({ name: 'a', branch: 'superset/a' })], { now: NOW, columns: 200 });
    expect(own.split('\n')[0]).not.toContain('BRANCH');
    const adopted = taskTable([view({ name: 'a', branch: 'superset/a' }), view({ name: 'b', branch: 'feature/login' })], { now: NOW, columns: 200 });
    expect(adopted.split('\n')[0]).toContain('BRANCH');
    expect(adopted).toMatch(/^b .*feature\/login/m);
    expect(adopted).not.toContain('superset/a');
    expect(taskTable([view({ name: 'a', branch: 'work/a' })], { now: NOW, branchPrefix: 'work/' })).not.toContain('BRANCH');
  });

  it('shows worktrees relative to the current directory when that is shorter', () => {
    const out = taskTable([view({ name: 'a', worktree: '/home/me/src/demo.worktrees/a' })], { now: NOW, cwd: '/home/me/src/demo' });
    expect(out).toMatch(/ \.\.\/demo\.worktrees\/a$/m);
    expect(taskTable([view({ name: 'a', worktree: '/w/a' })], { now: NOW, cwd: '/home/me/src/demo/deep/er' })).toMatch(/ \/w\/a$/m);
  });

  // 17 tasks as a user has them: long names, command-line agents, worktrees deep in a home directory.
  const many = Array.from({ length: 17 }, (_, i) =>
    view({
      name: i % 3 === 0 ? `refactor-the-authentication-middleware-${i}` : `task-${i}`,
      agent: i % 2 ? `sh -c 'echo working on "$1"; sleep 600' agent-${i}` : 'claude',
      status: i % 5 === 0 ? 'failed' : 'running',
      signal: i % 5 === 0 ? 'SIGKILL' : null,
      branch: i === 4 ? 'feature/a-rather-long-adopted-branch-name' : `superset/${i % 3 === 0 ? `refactor-the-authentication-middleware-${i}` : `task-${i}`}`,
      worktree: `/home/someone/projects/customer-portal.worktrees/${i % 3 === 0 ? `refactor-the-authentication-middleware-${i}` : `task-${i}`}`,
      ahead: i * 3,
      changedFiles: i,
    }),
  );

  it.each([80, 120, 200])('never makes a row wider than %i columns, and keeps name and status', (columns) => {
    const out = taskTable(many, { now: NOW, columns, cwd: '/home/someone/projects/customer-portal' });
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(18);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns);
    expect(lines[0]).toMatch(/^NAME\s+AGENT\s+STATUS\s/);
    expect(out).toMatch(/^task-1 .*running/m);
    expect(out).toContain('failed (SIGKILL)');
  });

  it('gives way in order: cut cells first, then drop worktree, age, branch; everything at 200', () => {
    const at = (columns: number) => taskTable(many, { now: NOW, columns, cwd: '/home/someone/projects/customer-portal' }).split('\n')[0]!.split(/\s+/);
    expect(at(200)).toEqual(['NAME', 'AGENT', 'STATUS', 'BRANCH', 'AHEAD', 'CHANGED', 'AGE', 'WORKTREE']);
    expect(at(160)).toEqual(['NAME', 'AGENT', 'STATUS', 'BRANCH', 'AHEAD', 'CHANGED', 'AGE', 'WORKTREE']);
    expect(at(120)).toEqual(['NAME', 'AGENT', 'STATUS', 'BRANCH', 'AHEAD', 'CHANGED', 'AGE']);
    expect(at(80)).toEqual(['NAME', 'AGENT', 'STATUS', 'AHEAD', 'CHANGED']);
    // a cut path keeps its end (the task's directory), a cut name or command its start
    const mid = taskTable(many, { now: NOW, columns: 160, cwd: '/home/someone/projects/customer-portal' });
    expect(mid).toMatch(/ …\S*middleware-0$/m);
    expect(taskTable(many, { now: NOW, columns: 80 })).toMatch(/^refactor-the-authentica… /m);
  });

  it('marks overlapping tasks and lists the pairs under the table, cut to the width too', () => {
    const files = Array.from({ length: 30 }, (_, i) => `src/some/deeply/nested/file-${i}.ts`);
    const out = taskTable([
      view({ name: 'a', overlaps: [{ task: 'b', files }] } as Partial<TaskView>),
      view({ name: 'b', overlaps: [{ task: 'a', files }] } as Partial<TaskView>),
    ], { now: NOW, columns: 60 });
    expect(out).toMatch(/^a !\s/m);
    expect(out).toMatch(/^! a and b both change src\/some/m);
    for (const line of out.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(60);
  });

  it('fits even a very narrow terminal by cutting the row, never wrapping it', () => {
    const out = taskTable(many, { now: NOW, columns: 30 });
    for (const line of out.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(30);
  });

  it('--wide ignores the width: absolute paths and whole command lines', () => {
    const out = taskTable(many, { now: NOW, columns: 80, wide: true, cwd: '/home/someone/projects/customer-portal' });
    expect(out).toContain('/home/someone/projects/customer-portal.worktrees/task-1');
    expect(out).toContain(`sh -c 'echo working on "$1"; sleep 600' agent-1`);
    expect(Math.max(...out.split('\n').map((l) => l.length))).toBeGreaterThan(150);
  });
});

describe('renderTable', () => {
  it('applies shrink and drop steps only while the rows are too wide', () => {
    const cols = [{ header: 'A', cells: ['aaaaaaaaaa'] }, { header: 'B', cells: ['bbbb'] }];
    expect(renderTable(cols, 80, [{ drop: 'B' }])).toBe('A           B\naaaaaaaaaa  bbbb\n');
    expect(renderTable(cols, 12, [{ shrink: 'A', to: 4 }])).toBe('A       B\naaaaa…  bbbb\n');
    expect(renderTable(cols, 12, [{ shrink: 'A', to: 8 }, { drop: 'B' }])).toBe('A\naaaaaaaaaa\n');
  });
  it('ellipsis keeps the start or the end', () => {
    expect(ellipsis('abcdef', 4)).toBe('abc…');
    expect(ellipsis('abcdef', 4, 'end')).toBe('…def');
    expect(ellipsis('abc', 4)).toBe('abc');
  });
});

describe('taskTable: the task graph in the status cell', () => {
  const tasks = () => [
    view({ name: 'a', status: 'done' }),
    view({ name: 'b', status: 'running' }),
    view({ name: 'c', status: 'queued', after: ['a', 'b'], worktree: null, startedAt: null }),
    view({ name: 'd', status: 'blocked', after: ['x'], blockedReason: 'a and x conflict in src/shared/config.ts, README.md', worktree: null }),
  ];
  it('a waiting task names the prerequisites not done yet; a blocked one its reason', () => {
    const out = taskTable(tasks(), { now: NOW, columns: 200 });
    expect(out).toMatch(/^c\s.*queued \(after b\)/m);
    expect(out).toMatch(/^d\s.*blocked \(a and x conflict in src\/shared\/config\.ts, README\.md\)/m);
  });
  it('every prerequisite done: the plain queue cell', () => {
    expect(taskTable([view({ name: 'a', status: 'done' }), view({ name: 'c', status: 'queued', after: ['a'], queuePosition: 1 })], { now: NOW })).toMatch(/^c\s.*queued #1/m);
  });
  it('fits 80 and 50 columns: the reason is cut, the row never wraps', () => {
    for (const columns of [80, 50]) {
      const lines = taskTable(tasks(), { now: NOW, columns }).split('\n').filter(Boolean);
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(columns);
      expect(lines.find((l) => l.startsWith('d '))).toMatch(/blocked \(/);
    }
  });
});
