import { describe, expect, it } from 'vitest';
import { isStaleLock } from '../../src/task/lock.js';

// What a lock file says against what the system says now: the holder's pid, and its start time.
const sys = (alive: Record<number, string | null>) => ({ alive: (pid: number) => pid in alive, start: (pid: number) => alive[pid] ?? null });

describe('a lock file is stale', () => {
  it('when its holder is dead', () => {
    expect(isStaleLock('42 1000\n', 10, sys({}))).toBe(true);
    expect(isStaleLock('42\n', 10, sys({}))).toBe(true);
  });

  it('when its pid now belongs to another process (another start time)', () => {
    expect(isStaleLock('42 1000\n', 10, sys({ 42: '5000' }))).toBe(true);
  });

  it('never while its holder lives, however long (up to the ceiling)', () => {
    expect(isStaleLock('42 1000\n', 9 * 60_000, sys({ 42: '1000' }))).toBe(false);
    // an older writer wrote the pid alone; with no /proc the pid is all there is
    expect(isStaleLock('42\n', 9 * 60_000, sys({ 42: '1000' }))).toBe(false);
    expect(isStaleLock('42 1000\n', 10, sys({ 42: null }))).toBe(false);
    expect(isStaleLock('42 1000\n', 11 * 60_000, sys({ 42: '1000' }))).toBe(true);
  });

  it('when empty (a full disk, or a writer killed between create and write) once past a short grace', () => {
    expect(isStaleLock('', 100, sys({}))).toBe(false);
    expect(isStaleLock('', 5_000, sys({}))).toBe(true);
    expect(isStaleLock('garbage', 5_000, sys({}))).toBe(true);
  });
});
