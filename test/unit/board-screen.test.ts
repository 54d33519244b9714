import { describe, expect, it } from 'vitest';
import { fit, line, paint, sgr } from '../../src/board/screen.js';
import { parseKeys } from '../../src/board/keys.js';
import { frame, layout } from '../../src/board/view.js';
import { initialState } from '../../src/board/model.js';
import type { TaskView } from '../../src/task/catalog.js';

// eslint-disable-next-line no-control-regex
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('fit', () => {
  it('keeps text that fits, cuts longer text with an ellipsis, counting cells not characters', () => {
    expect(fit('hello', 10)).toEqual({ text: 'hello', cells: 5 });
    expect(fit('hello world', 6)).toEqual({ text: 'hello…', cells: 6 });
    expect(fit('日本語テキスト', 6)).toEqual({ text: '日本…', cells: 5 }); // a wide character does not fit in the last cell
    expect(fit('e\u0301te', 3)).toEqual({ text: 'e\u0301te', cells: 3 }); // a combining accent takes no cell
    expect(fit('▶ running', 20).cells).toBe(9);
  });
  it('keeps colour codes (closing them), drops cursor movement and controls, expands tabs', () => {
    expect(fit('\x1b[32m+added\x1b[m line', 8)).toEqual({ text: '\x1b[32m+added\x1b[m …\x1b[0m', cells: 8 });
    expect(fit('a\x1b[2Jb\x07c', 10)).toEqual({ text: 'abc', cells: 3 });
    expect(fit('a\tb', 20)).toEqual({ text: 'a       b', cells: 9 });
  });
});

describe('line and paint', () => {
  it('pads each segment to its width and styles only its text', () => {
    expect(line({ text: 'ab', width: 4 }, { text: 'c', width: 2, style: { color: 'red', bold: true } })).toBe(`ab  ${sgr({ color: 'red', bold: true })}c\x1b[0m `);
    expect(sgr({ bg: 'yellow', color: 'black', inverse: true })).toBe('\x1b[7;30;43m');
  });
  it('rewrites only the lines that changed; the first frame clears the screen', () => {
    expect(paint(null, ['a', 'b'])).toBe('\x1b[H\x1b[2J\x1b[1;1H\x1b[2Ka\x1b[2;1H\x1b[2Kb');
    expect(paint(['a', 'b', 'c'], ['a', 'B', 'c'])).toBe('\x1b[2;1H\x1b[2KB');
    expect(paint(['a', 'b'], ['a', 'b'])).toBe('');
    expect(paint(['a', 'b', 'c'], ['a'])).toBe('\x1b[2;1H\x1b[2K\x1b[3;1H\x1b[2K');
  });
});

describe('parseKeys', () => {
  it('reads cursor keys in both forms, Enter, Tab, Backspace, Esc and control keys', () => {
    expect(parseKeys('\x1b[A\x1bOB\x1b[5~\x1b[6~\x1b[H\x1b[4~')).toEqual([
      { input: '', up: true }, { input: '', down: true }, { input: '', pageUp: true }, { input: '', pageDown: true }, { input: '', home: true }, { input: '', end: true },
    ]);
    expect(parseKeys('\r\t\x7f\x1b\x03\x15')).toEqual([
      { input: '', enter: true }, { input: '', tab: true }, { input: '', backspace: true }, { input: '', escape: true }, { input: 'c', ctrl: true }, { input: 'u', ctrl: true },
    ]);
    expect(parseKeys('\x1b[1;5A')).toEqual([{ input: '', up: true }]);
    expect(parseKeys('\x1b[C')).toEqual([]); // left/right mean nothing to the board
  });
  it('keeps typed text whole, splits it at Enter, and reads Esc then a key typed quickly as two', () => {
    expect(parseKeys('hello from the board')).toEqual([{ input: 'hello from the board' }]);
    expect(parseKeys('fix it\rx')).toEqual([{ input: 'fix it' }, { input: '', enter: true }, { input: 'x' }]);
    expect(parseKeys('\x1b/')).toEqual([{ input: '', escape: true }, { input: '/' }]);
    expect(parseKeys('héllo ✓')).toEqual([{ input: 'héllo ✓' }]);
  });
});

describe('frame', () => {
  const now = Date.parse('2026-01-02T12:00:00.000Z');
  const task = (name: string, status: TaskView['status']): TaskView => ({
    name, branch: `superset/${name}`, worktree: `/w/${name}`, agent: 'claude', runner: 'headless', status, exitCode: null, signal: null,
    startedAt: new Date(now - 5000).toISOString(), endedAt: null, base: 'main', commit: 'abc', ahead: 1, changedFiles: 0,
    lastActivity: null, reason: null, pid: 1, tmuxSession: null, parent: null, ports: null,
  });
  const snap = (tasks: TaskView[]) => ({ state: initialState(tasks, { listHeight: listHeightOf(120, 20) }), detail: { task: tasks[0]?.name ?? null, output: ['agent says hi'], stat: [' a.ts | 2 +-'], diff: null, log: null }, now });
  const listHeightOf = (w: number, h: number) => layout(w, h).body - 2;

  it('is one line short of the terminal, every line exactly as wide as it', () => {
    const lines = frame(snap([task('a', 'running'), task('b', 'waiting')]), 120, 20);
    expect(lines).toHaveLength(19);
    for (const l of lines) expect([...plain(l)].length).toBe(120);
    const text = lines.map(plain);
    expect(text[0]).toMatch(/^git superset board · 2 tasks {2}! 1 waiting {2}▶ 1 running/);
    expect(text[1]).toMatch(/^ {2}STATUS .* LAST +b · superset\/b · waiting/);
    expect(text[2]).toMatch(/^>! waiting {3}b .* \+1 ~0 +5s ago {2}agent says hi/);
    expect(text.some((l) => l.includes('agent says hi'))).toBe(true);
    expect(text[18]).toMatch(/o editor/);
  });
  it('names the tasks a selected task overlaps in the right pane', () => {
    const s = snap([task('a', 'running'), task('b', 'running')]);
    const lines = frame({ ...s, state: { ...s.state, overlaps: { a: [{ task: 'b', files: ['x.ts'] }], b: [{ task: 'a', files: ['x.ts'] }] } } }, 120, 20).map(plain);
    expect(lines[2]).toMatch(/^>▶ running {3}a ! /);
    expect(lines[2]).toMatch(/ {2}! overlaps b \(x\.ts\) *$/);
  });
  it('says what a queued task waits for, and why a blocked one is blocked', () => {
    const queued = { ...task('b', 'queued'), after: ['a', 'c'] };
    const on = (sn: ReturnType<typeof snap>) => ({ ...sn, state: { ...sn.state, selected: 'b' } });
    const waits = frame(on(snap([queued, task('a', 'running'), task('c', 'done')])), 120, 20).map(plain);
    expect(waits.some((l) => / {2}waits for a *$/.test(l))).toBe(true);
    const blocked = { ...task('b', 'blocked'), after: ['a'], blockedReason: 'a failed' };
    const why = frame(on(snap([blocked, task('a', 'failed')])), 120, 20).map(plain);
    expect(why.some((l) => /blocked: a failed \(start b retries it\)/.test(l))).toBe(true);
  });
});
