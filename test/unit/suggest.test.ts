import { describe, expect, it } from 'vitest';
import { closest, editDistance } from '../../src/suggest.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0], ['a', '', 1], ['stop', 'stop', 0], ['stpo', 'stop', 1], ['strat', 'start', 1], ['lss', 'ls', 1], ['kitten', 'sitting', 3],
  ])('%s -> %s: %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('closest', () => {
  const commands = ['init', 'start', 'ls', 'status', 'stop', 'rm', 'log', 'logs', 'sync'];
  it('suggests a typo\'s command, the closest first', () => {
    expect(closest('strat', commands)).toBe('start');
    expect(closest('STOP', commands)).toBe('stop');
    expect(closest('lgos', commands)).toBe('logs');
  });
  it('suggests nothing for a word that is not a typo of any', () => {
    expect(closest('frobnicate', commands)).toBeNull();
    expect(closest('x', commands)).toBeNull();
    expect(closest('deploy', commands)).toBeNull();
  });
});
