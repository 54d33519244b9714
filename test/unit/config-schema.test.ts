import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseConfig } from '../../src/config/schema.js';

describe('parseConfig', () => {
  it('fills in every default for an empty or missing config', () => {
    expect(parseConfig({}, 'f')).toEqual(DEFAULT_CONFIG);
    expect(parseConfig(null, 'f')).toEqual(DEFAULT_CONFIG);
    expect(parseConfig(undefined, 'f')).toEqual(DEFAULT_CONFIG);
  });

  it('never hands out the defaults object itself', () => {
    const a = parseConfig({}, 'f');
    a.agents.x = { command: 'x' };
    a.snapshot.quietSeconds = 99;
    expect(DEFAULT_CONFIG.agents).toEqual({});
    expect(DEFAULT_CONFIG.snapshot.quietSeconds).not.toBe(99);
  });

  it('keeps given values and merges nested snapshot defaults', () => {
    const c = parseConfig({ agent: 'codex', yolo: true, worktreesDir: '../wt', snapshot: {}, agents: { mine: { command: 'my-agent {prompt}', resume: 'my-agent -c' } } }, 'f');
    expect(c).toMatchObject({ agent: 'codex', yolo: true, worktreesDir: '../wt', snapshot: DEFAULT_CONFIG.snapshot, agents: { mine: { command: 'my-agent {prompt}', resume: 'my-agent -c' } } });
    expect(c.branchPrefix).toBe('superset/');
  });

  it.each([
    [[], 'must be an object'],
    ['text', 'must be an object'],
    [{ nope: 1 }, 'unknown key "nope"'],
    [{ agent: 3 }, '"agent" must be a string'],
    [{ yolo: 'true' }, '"yolo" must be true or false'],
    [{ commitOnExit: 1 }, '"commitOnExit" must be true or false'],
    [{ runner: 'docker' }, '"runner" must be one of auto, tmux, headless'],
    [{ idleSeconds: -5 }, '"idleSeconds" must be a number >= 0'],
    [{ idleSeconds: Number.NaN }, '"idleSeconds" must be a number >= 0'],
    [{ stopTimeoutSeconds: '5' }, '"stopTimeoutSeconds" must be a number >= 0'],
    [{ worktreesDir: 1 }, '"worktreesDir" must be a string'],
    [{ base: false }, '"base" must be a string'],
    [{ snapshot: 3 }, '"snapshot" must be an object'],
    [{ snapshot: { quietSecs: 1 } }, 'unknown key "snapshot.quietSecs"'],
    [{ agents: [] }, '"agents" must be an object'],
    [{ agents: { a: 'cmd' } }, '"agents.a" must be an object'],
    [{ agents: { a: {} } }, '"agents.a.command" is required'],
    [{ agents: { a: { command: 'x', headles: 'y' } } }, 'unknown key "agents.a.headles"'],
    [{ agents: { a: { command: 'x', yolo: true } } }, '"agents.a.yolo" must be a string'],
    // keys that name Object.prototype members are unknown keys, not crashes
    [JSON.parse('{"__proto__": {"x": 1}}'), 'unknown key "__proto__"'],
    [{ constructor: 1 }, 'unknown key "constructor"'],
    [{ toString: 'x' }, 'unknown key "toString"'],
    [{ snapshot: { hasOwnProperty: 1 } }, 'unknown key "snapshot.hasOwnProperty"'],
    [{ agents: { a: { command: 'x', constructor: 'y' } } }, 'unknown key "agents.a.constructor"'],
    [JSON.parse('{"agents": {"__proto__": {"command": "x"}}}'), '"agents.__proto__": an agent name may only hold'],
    // blank values say so, with their key
    [{ agents: { a: { command: 'x', headless: '' } } }, '"agents.a.headless" must not be blank'],
    [{ agents: { a: { command: 'x', headless: '   ' } } }, '"agents.a.headless" must not be blank'],
    [{ agents: { a: { command: 'x', resume: '' } } }, '"agents.a.resume" must not be blank'],
    [{ agents: { a: { command: '' } } }, '"agents.a.command" must not be blank'],
    [{ agents: { a: { command: 'x "open' } } }, '"agents.a.command" must be a valid command line (unterminated " quote in command line)'],
    [{ agents: { a: { command: 'x', yolo: "'" } } }, '"agents.a.yolo" must be a valid command line'],
    [{ agent: '' }, '"agent" must not be blank'],
    [{ base: ' ' }, '"base" must not be blank'],
    [{ worktreesDir: '' }, '"worktreesDir" must not be blank'],
  ])('%j -> %s, naming the file', (raw, message) => {
    expect(() => parseConfig(raw, '.supersetrc.json')).toThrow(`config .supersetrc.json: ${message}`);
  });

  it.each(['superset/', 'ai/', 'a_b.c-d/', 'x1/'])('accepts branchPrefix %j', (prefix) => {
    expect(parseConfig({ branchPrefix: prefix }, 'f').branchPrefix).toBe(prefix);
  });

  it.each(['', 'superset', 'a/b/', '../', './', '.x/', '-x/', 'a..b/', 'x.lock/', 'x./', 'a b/', 'a~/'])('refuses branchPrefix %j', (prefix) => {
    expect(() => parseConfig({ branchPrefix: prefix }, 'f')).toThrow(/"branchPrefix" must be like "superset\/"/);
  });

  it('accepts null for the nullable keys', () => {
    expect(parseConfig({ base: null, worktreesDir: null }, 'f')).toMatchObject({ base: null, worktreesDir: null });
  });
});
