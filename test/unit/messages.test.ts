import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/repo.js';
import { exitCodeFor } from '../../src/cli.js';
import { BatchFailed, GitError, Interrupted, LockTimeout, TmuxError, UserError, errorLine, throwIfAborted } from '../../src/errors.js';
import * as msg from '../../src/messages.js';

const sources = (dir: string): string[] =>
  fs
    .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));

/** `new UserError('…')`, `new UserError("…")`, ``new UserError(`…`)``: a message written where it is thrown. */
const INLINE_ERROR = /new UserError\(\s*['"`]/;
/** Our prefix spelled out by hand (or its old `git-superset:` form) instead of msg.line / msg.PREFIX. */
const INLINE_PREFIX = /['"`]git[ -]superset: /;

// Every user-facing text lives in src/messages.ts (as lint-staged keeps lib/messages.js).
describe('the message catalogue', () => {
  const guarded = sources('src').filter((f) => f !== path.join('src', 'messages.ts'));

  it.each(guarded)('%s throws no UserError with an inline message', (file) => {
    const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
    const offending = lines.map((l, i) => `${i + 1}: ${l.trim()}`).filter((l) => INLINE_ERROR.test(l));
    expect(offending, `${file}: put the text in src/messages.ts`).toEqual([]);
  });

  it.each(guarded)('%s spells no prefix by hand', (file) => {
    const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n');
    expect(lines.filter((l) => INLINE_PREFIX.test(l)), `${file}: use msg.line()`).toEqual([]);
  });

  it('one prefix: git superset:', () => {
    expect(msg.PREFIX).toBe('git superset:');
    expect(msg.line('x')).toBe('git superset: x\n');
  });
});

describe('expected failures and their exit codes (the one map in cli.ts)', () => {
  it.each([
    ['a UserError', new UserError('bad input'), 2],
    ["a UserError with merge's own code", new UserError('test failed', 3), 3],
    ['a GitError', new GitError(['status'], 128, 'fatal: x'), 1],
    ['a TmuxError', new TmuxError('new-session', 1, 'no server\nmore'), 1],
    ['a LockTimeout', new LockTimeout('/r/.git/superset/x.lock', '42'), 1],
    ['Interrupted', new Interrupted(), 130],
    ['BatchFailed', new BatchFailed([{ name: 'a', error: new Error('boom') }]), 1],
    ['a bug', new TypeError('x is undefined'), 1],
  ] as const)('%s -> %i', (_what, e, code) => {
    expect(exitCodeFor(e)).toBe(code);
  });

  it("tmux's first line of stderr, one line per batch failure, never a stack", () => {
    expect(errorLine(new TmuxError('new-session', 1, 'error creating /x (No such file or directory)\nsecond'))).toBe(
      'git superset: tmux new-session failed: error creating /x (No such file or directory)',
    );
    const batch = new BatchFailed([
      { name: 'a', error: new GitError(['worktree', 'remove'], 128, "fatal: '/w/a' is locked\nhint: x") },
      { name: 'b', error: 'EISDIR' },
    ]);
    expect(batch.lines()).toEqual(["a: fatal: '/w/a' is locked", 'b: EISDIR']);
    expect(errorLine(batch)).toBe("git superset: a: fatal: '/w/a' is locked\ngit superset: b: EISDIR");
    expect(errorLine(new LockTimeout('/l', '7'))).toMatch(/^git superset: timed out waiting for \/l \(held by pid 7\): /);
  });

  it('throwIfAborted: nothing before the signal fires, Interrupted after', () => {
    const abort = new AbortController();
    expect(() => throwIfAborted(abort.signal)).not.toThrow();
    expect(() => throwIfAborted(undefined)).not.toThrow();
    abort.abort();
    expect(() => throwIfAborted(abort.signal)).toThrow(Interrupted);
  });
});
