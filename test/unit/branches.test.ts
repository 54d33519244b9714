import { describe, expect, it } from 'vitest';
import { countReachable } from '../../src/git/branches.js';

// `git rev-list --parents` lines: "<commit> <parent>...", limited to commits not in any base.
const revList = (...lines: string[]): string => lines.join('\n') + '\n';

describe('countReachable', () => {
  it('counts a linear history per tip', () => {
    // base <- a1 <- a2 <- a3 ; base <- b1
    const out = revList('a3 a2', 'a2 a1', 'a1 base', 'b1 base');
    expect(countReachable(out, ['a3', 'a2', 'b1'])).toEqual(new Map([['a3', 3], ['a2', 2], ['b1', 1]]));
  });

  it('a tip not listed (nothing ahead of its base) counts 0', () => {
    expect(countReachable(revList('a1 base'), ['base', 'zzz']).get('base')).toBe(0);
    expect(countReachable('', ['x']).get('x')).toBe(0);
  });

  it('counts a merge commit and both sides once, shared history once', () => {
    // base <- s <- l ; s <- r ; m merges l and r
    const out = revList('m l r', 'l s', 'r s', 's base');
    expect(countReachable(out, ['m']).get('m')).toBe(4);
  });

  it('stops at parents outside the listed set (they are in a base)', () => {
    const out = revList('t2 t1', 't1 main-tip other-base');
    expect(countReachable(out, ['t2']).get('t2')).toBe(2);
  });

  it('a root commit (no parents) and blank lines are fine', () => {
    expect(countReachable('\nroot\nc root\n\n', ['c']).get('c')).toBe(2);
  });

  it('handles a long history without recursion', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `c${i + 1} c${i}`);
    expect(countReachable(revList(...lines), ['c20000']).get('c20000')).toBe(20_000);
  });
});
