import { describe, expect, it } from 'vitest';
import { launchHeader, launchesIn } from '../../src/runner/launch-header.js';

const AT = new Date('2026-12-01T08:50:12.345Z');

describe('launch headers in a task log', () => {
  it('numbers launches from the headers already there', () => {
    expect(launchHeader('', 'claude', AT)).toBe('── launch 1 · 2026-12-01 08:50:12Z · claude ──\n');
    const once = `${launchHeader('', 'claude', AT)}hello\n`;
    expect(launchesIn(once)).toBe(1);
    expect(launchHeader(once, 'claude', AT)).toBe('── launch 2 · 2026-12-01 08:50:12Z · claude ──\n');
  });

  it('starts on a line of its own when the last run ended mid-line', () => {
    expect(launchHeader('no newline at the end', 'x', AT)).toMatch(/^\n── launch 1 /);
  });

  it('counts only headers at the start of a line', () => {
    expect(launchesIn('an agent printed ── launch 9 · in the middle\n')).toBe(0);
  });

  it('keeps a long or multi-line command line to one short line', () => {
    const header = launchHeader('', `sh -c '\n${'echo x; '.repeat(30)}'`, AT);
    expect(header.split('\n')).toHaveLength(2);
    expect(header.length).toBeLessThan(140);
  });
});
