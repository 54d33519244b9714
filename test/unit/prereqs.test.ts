import { describe, expect, it } from 'vitest';
import { mergedCommit, noteStatus, readinessNow } from '../../src/task/prereqs.js';
import type { NoteRecord } from '../../src/git/notes.js';
import type { TaskState } from '../../src/task/state.js';

const ev = (t: string, task: string, event: string, extra: Record<string, unknown> = {}): NoteRecord => ({ t, v: 1, task, event, on: 'x', ...extra }) as NoteRecord;

describe('mergedCommit', () => {
  it('a task whose last life ended merged: the merge commit', () => {
    const notes = [ev('2026-01-01T00:00:00.000Z', 'a', 'started'), ev('2026-01-01T00:01:00.000Z', 'a', 'merged', { commit: 'm1' }), ev('2026-01-01T00:01:01.000Z', 'a', 'removed')];
    expect(mergedCommit(notes, 'a')).toBe('m1');
  });
  it('started again after the merge, or never merged: null', () => {
    expect(mergedCommit([ev('2026-01-01T00:01:00.000Z', 'a', 'merged', { commit: 'm1' }), ev('2026-01-01T00:02:00.000Z', 'a', 'started')], 'a')).toBeNull();
    expect(mergedCommit([ev('2026-01-01T00:00:00.000Z', 'a', 'started'), ev('2026-01-01T00:01:00.000Z', 'b', 'merged', { commit: 'm' })], 'a')).toBeNull();
  });
});

describe('readinessNow', () => {
  const state = (name: string, status: TaskState['status']) => ({ name, status }) as TaskState;
  it('records first, facts for prerequisites without one, missing = removed', () => {
    const facts = new Map([['gone-merged', { status: 'done' as const, tip: 'm' }]]);
    expect(readinessNow(['a', 'gone-merged'], [state('a', 'done')], facts)).toEqual({ kind: 'ready' });
    expect(readinessNow(['a', 'x'], [state('a', 'running')], facts)).toEqual({ kind: 'blocked', reason: 'x was removed' });
    expect(readinessNow(['a'], [state('a', 'running')], facts)).toEqual({ kind: 'wait', on: ['a'] });
  });
});

describe('noteStatus (a prerequisite with a branch and no record)', () => {
  it('its latest end, or running (wait) when none came after its start', () => {
    expect(noteStatus([ev('2026-01-01T00:00:00.000Z', 'x', 'started')], 'x')).toBe('running');
    expect(noteStatus([ev('2026-01-01T00:00:00.000Z', 'x', 'started'), ev('2026-01-01T00:00:01.000Z', 'x', 'commit')], 'x')).toBe('running');
    expect(noteStatus([ev('2026-01-01T00:00:00.000Z', 'x', 'started'), ev('2026-01-01T00:00:02.000Z', 'x', 'exited', { status: 'failed', exitCode: 1 })], 'x')).toBe('failed');
    expect(noteStatus([ev('2026-01-01T00:00:02.000Z', 'x', 'exited', { exitCode: 0 })], 'x')).toBe('done');
    expect(noteStatus([ev('2026-01-01T00:00:02.000Z', 'x', 'stopped')], 'x')).toBe('stopped');
  });
});
