import { describe, expect, it } from 'vitest';
import { ancestry, parseStat, type ProcStat } from '../../src/task/proc.js';

describe('/proc parsing', () => {
  it('reads state, parent, group and start time after the last ")", whatever the command name holds', () => {
    const fields = ['S', '10', '42', '42', '0', '-1', '4194560', '1', '0', '0', '0', '0', '0', '0', '0', '20', '0', '1', '0', '987654', '1000'];
    expect(parseStat(`123 (sh) ${fields.join(' ')}`)).toEqual({ state: 'S', ppid: 10, pgrp: 42, start: '987654' });
    expect(parseStat(`123 (a) (b c) ${fields.join(' ')}`)).toEqual({ state: 'S', ppid: 10, pgrp: 42, start: '987654' });
    expect(parseStat('')).toBeNull();
    expect(parseStat('123 (sh')).toBeNull();
  });

  it('follows parents up to init, nearest first, and stops at an unreadable one', () => {
    const parents: Record<number, number> = { 50: 40, 40: 30, 30: 1 };
    const of = (pid: number): ProcStat | null => (pid in parents ? { state: 'S', ppid: parents[pid]!, pgrp: pid, start: '' } : null);
    expect(ancestry(50, of)).toEqual([50, 40, 30]);
    expect(ancestry(7, of)).toEqual([7]);
  });
});
