import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
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

/**
 * Modules whose every text is a message (the board's outcomes, prompts and pane texts, the MCP
 * tools' results, the watcher's log lines), so any literal with words in it is one written inline.
 * Not view.ts: its column headers, title and "1-40 of 100" counter are layout, like the key legend
 * in format.ts.
 */
const ALL_TEXT_IN_CATALOGUE = [
  'src/board/actions.ts',
  'src/board/controller.ts',
  'src/board/detail.ts',
  'src/board/model.ts',
  'src/mcp/server.ts',
  'src/mcp/tools.ts',
  'src/watch/daemon.ts',
  'src/watch/notify.ts',
];
/** A word beside a space: prose, where `', '`, `'; '`, `${a} ${b}` or ` b/${path}` are only glue or syntax. */
const PROSE = /[A-Za-z]{2}[ \t]|[ \t][A-Za-z]{2}/;
/**
 * Where prose may stay: the MCP tools' schema documentation (`.describe(...)`, `description:` and
 * `title:`, as commander option descriptions stay in command files), and bestEffort's name of
 * what it records ('the stop'), which msg.record.failed words.
 */
const DOCUMENTATION_CALLS = new Set(['describe', 'bestEffort']);
const DOCUMENTATION_KEYS = new Set(['description', 'title']);

/** The string and template literals of a module that read as prose, outside its documentation. */
function inlineTexts(source: string): string[] {
  const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const literalText = (n: ts.Node): string | null => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) return n.text;
    if (ts.isTemplateExpression(n)) return [n.head.text, ...n.templateSpans.map((s) => s.literal.text)].join('');
    return null;
  };
  const visit = (n: ts.Node): void => {
    if (ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) return;
    if (ts.isCallExpression(n)) {
      const callee = ts.isPropertyAccessExpression(n.expression) ? n.expression.name.text : ts.isIdentifier(n.expression) ? n.expression.text : '';
      if (DOCUMENTATION_CALLS.has(callee)) return visit(n.expression);
    }
    if (ts.isPropertyAssignment(n) && ts.isIdentifier(n.name) && DOCUMENTATION_KEYS.has(n.name.text)) return;
    const text = literalText(n);
    if (text !== null && PROSE.test(text)) found.push(`${file.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${n.getText()}`);
    ts.forEachChild(n, visit);
  };
  visit(file);
  return found;
}

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

  it.each(ALL_TEXT_IN_CATALOGUE)('%s writes no message text inline', (file) => {
    expect(inlineTexts(fs.readFileSync(path.join(ROOT, file), 'utf8')), `${file}: put the text in src/messages.ts`).toEqual([]);
  });

  it('the inline-text guard catches what these modules used to write, and lets their documentation be', () => {
    const old = [
      "if (!r) return { ok: false, text: `no such task: ${name}` };",
      "return { ok: Boolean(r), text: r ? `removed ${name}` : `${name} was not removed` };",
      "return none(list(state, 'send cancelled'));",
      "const text = tasks.length ? tasks.map((t) => t.name).join('\\n') : 'no tasks';",
      "const text = [...res.removed.map((r) => `removed ${r.name}`)].join('\\n');",
      "this.opts.log(`tick failed: ${(e as Error).message}`);",
      "if (added) this.opts.log(`recorded ${added} commit${added === 1 ? '' : 's'} made without our hooks`);",
      "return this.stop('no live task');",
    ];
    for (const line of old) expect(inlineTexts(line), line).not.toEqual([]);
    const documentation = [
      "const name = z.string().min(1).describe('task name: letters, digits');",
      "tool('x', { title: 'Start a task', description: 'Start a coding agent ' + 'on a new task.' }, fn);",
      "await bestEffort('the stop', () => record(), warn);",
      "const text = [a.join(', '), `${a} ${b}`, `${x}: ${y}`, msg.mcp.noTasks].join('; ');",
    ];
    for (const line of documentation) expect(inlineTexts(line), line).toEqual([]);
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
