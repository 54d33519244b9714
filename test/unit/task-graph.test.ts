import { describe, expect, it } from 'vitest';
import { blockedBehind, findCycle, graphProblem, readiness } from '../../src/task/task-graph.js';
import type { TaskStatus } from '../../src/task/lifecycle.js';

describe('graphProblem', () => {
  it('accepts a chain in one batch, and prerequisites that already exist', () => {
    expect(graphProblem([{ name: 'a' }, { name: 'b', after: ['a'] }, { name: 'c', after: ['b'] }], [])).toBeNull();
    expect(graphProblem([{ name: 'b', after: ['a'] }], [{ name: 'a' }])).toBeNull();
    expect(graphProblem([{ name: 'c', after: ['a', 'b'] }, { name: 'b' }], [{ name: 'a' }])).toBeNull();
  });

  it('names an unknown prerequisite', () => {
    expect(graphProblem([{ name: 'b', after: ['a', 'x'] }], [{ name: 'a' }])).toBe('b is after x, which is not a task (start x too, or in the same batch)');
  });

  it('refuses a task after itself', () => {
    expect(graphProblem([{ name: 'a', after: ['a'] }], [])).toBe('a cannot run after itself');
  });

  it('names a cycle in the batch in the order work would flow, starting at its first task', () => {
    // a after c, b after a, c after b: c -> a -> b -> c, told from a (the first in the batch)
    expect(graphProblem([{ name: 'a', after: ['c'] }, { name: 'b', after: ['a'] }, { name: 'c', after: ['b'] }], [])).toBe('dependency cycle: a -> b -> c -> a');
    expect(graphProblem([{ name: 'x' }, { name: 'b', after: ['a'] }, { name: 'a', after: ['b'] }], [])).toBe('dependency cycle: b -> a -> b');
  });

  it('finds a cycle through existing pending tasks', () => {
    // existing: b waits for a; the new a after b closes the loop
    expect(graphProblem([{ name: 'a', after: ['b'] }], [{ name: 'a' }, { name: 'b', after: ['a'] }])).toBe('dependency cycle: a -> b -> a');
  });

  it('a batch entry replaces the existing task of its name (new prerequisites on a restart)', () => {
    expect(graphProblem([{ name: 'b', after: ['c'] }], [{ name: 'a', after: ['b'] }, { name: 'b', after: ['a'] }, { name: 'c' }])).toBeNull();
  });

  it('a diamond is not a cycle', () => {
    expect(graphProblem([{ name: 'a' }, { name: 'b', after: ['a'] }, { name: 'c', after: ['a'] }, { name: 'd', after: ['b', 'c'] }], [])).toBeNull();
  });

  it('a long chain is fine (no recursion limit)', () => {
    const nodes = Array.from({ length: 5000 }, (_, i) => ({ name: `t${i}`, after: i ? [`t${i - 1}`] : [] }));
    expect(graphProblem(nodes, [])).toBeNull();
    nodes[0]!.after = ['t4999'];
    expect(graphProblem(nodes, [])).toMatch(/^dependency cycle: t0 -> t1 -> .* -> t4999 -> t0$/);
  });
});

describe('findCycle', () => {
  it('null without a cycle; ignores names outside the graph', () => {
    expect(findCycle(['a'], new Map([['a', ['zz']]]))).toBeNull();
  });
});

describe('readiness', () => {
  const statuses = (o: Record<string, TaskStatus>) => new Map(Object.entries(o));

  it('ready when every prerequisite is done', () => {
    expect(readiness(['a', 'b'], statuses({ a: 'done', b: 'done' }))).toEqual({ kind: 'ready' });
    expect(readiness([], statuses({}))).toEqual({ kind: 'ready' });
  });

  it('waits on every prerequisite that has not ended', () => {
    for (const s of ['queued', 'starting', 'running', 'idle', 'waiting', 'finishing'] as TaskStatus[]) {
      expect(readiness(['a', 'b'], statuses({ a: 'done', b: s }))).toEqual({ kind: 'wait', on: ['b'] });
    }
  });

  it('blocked when one failed, was stopped, is gone or is blocked: each named', () => {
    expect(readiness(['a'], statuses({ a: 'failed' }))).toEqual({ kind: 'blocked', reason: 'a failed' });
    expect(readiness(['a'], statuses({ a: 'stopped' }))).toEqual({ kind: 'blocked', reason: 'a was stopped' });
    expect(readiness(['a'], statuses({}))).toEqual({ kind: 'blocked', reason: 'a was removed' });
    expect(readiness(['b'], statuses({ b: 'blocked' }))).toEqual({ kind: 'blocked', reason: 'b is blocked' });
    expect(readiness(['a', 'b', 'c'], statuses({ a: 'failed', b: 'running' }))).toEqual({ kind: 'blocked', reason: 'a failed, c was removed' });
  });
});

describe('blockedBehind', () => {
  const t = (name: string, status: TaskStatus, after: string[] = [], reason?: string) => ({ name, status, after, ...(reason ? { reason } : {}) });
  it('those blocked only by retried tasks, down the chain', () => {
    const states = [t('b', 'blocked', ['a'], 'a failed'), t('c', 'blocked', ['b'], 'b is blocked'), t('d', 'blocked', ['c'], 'c is blocked'), t('e', 'blocked', ['b', 'x'], 'b is blocked, x failed'), t('f', 'queued', ['b'])];
    expect(blockedBehind(states, ['b']).map((s) => s.name)).toEqual(['c', 'd']);
    expect(blockedBehind(states, ['a'])).toEqual([]);
  });
});
