import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../src/config/schema.js';
import { ROOT } from '../support/repo.js';

describe('.supersetrc.example', () => {
  const text = fs.readFileSync(path.join(ROOT, '.supersetrc.example'), 'utf8');
  const example = JSON.parse(text.replace(/^\s*\/\/.*$/gm, ''));

  it('is a valid config once its comment lines are dropped', () => {
    expect(() => parseConfig(example, '.supersetrc.example')).not.toThrow();
    expect(parseConfig(example, '.supersetrc.example').agents.mine?.command).toContain('{prompt}');
  });

  it('shows every config key', () => {
    expect(Object.keys(example).sort()).toEqual(Object.keys(DEFAULT_CONFIG).sort());
  });
});
