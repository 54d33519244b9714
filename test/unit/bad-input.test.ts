import { describe, expect, it } from 'vitest';
import { sessionName } from '../../src/runner/tmux.js';
import { encodeArgvFile } from '../../src/runner/launch.js';
import { argvProblem, MAX_ARG_STRLEN, MAX_PROMPT_BYTES, promptProblem } from '../../src/runner/arg-limits.js';
import { branchBlocked, prefixProblem, worktreesDirProblem } from '../../src/task/start-checks.js';
import { isLockContention } from '../../src/git/git.js';
import { parseGitFile } from '../../src/git/gitdir.js';
import { parseWorktreeList } from '../../src/git/worktrees.js';

describe('sessionName', () => {
  it('is injective on task names, and never holds the "." or ":" tmux rewrites', () => {
    const names = ['a.b', 'a_b', 'a_db', 'a__b', 'a_d.b', 'a.db', 'a-b', 'a__db', 'a_c', 'a.c'];
    const sessions = names.map((n) => sessionName('abc123', n));
    expect(new Set(sessions).size).toBe(names.length);
    for (const s of sessions) expect(s).not.toMatch(/[.:]/);
  });
});

describe('encodeArgvFile', () => {
  it('one field per line, a newline inside a field continued with "+"', () => {
    expect(encodeArgvFile('p\nq', ['a', '', 'x\n+y'])).toBe('Pp\n+q\nAa\nA\nAx\n++y\n');
  });
});

describe('prompt limits', () => {
  it('a prompt up to MAX_PROMPT_BYTES fits; more, or a NUL, is refused with what to do', () => {
    expect(MAX_PROMPT_BYTES).toBe(131072 - 1 - 'SUPERSET_PROMPT='.length);
    expect(promptProblem(undefined)).toBeNull();
    expect(promptProblem('x'.repeat(MAX_PROMPT_BYTES))).toBeNull();
    expect(promptProblem('x'.repeat(MAX_PROMPT_BYTES + 1))).toMatch(/131056 bytes, over the 131055 .*MAX_ARG_STRLEN.*put it in a file/);
    // bytes, not characters
    expect(promptProblem('é'.repeat(MAX_PROMPT_BYTES / 2 + 1))).toMatch(/bytes, over/);
    expect(promptProblem('a\0b')).toMatch(/NUL byte/);
    expect(argvProblem(['agent', 'x'.repeat(MAX_ARG_STRLEN - 1)])).toBeNull();
    expect(argvProblem(['agent', `--prompt=${'x'.repeat(MAX_ARG_STRLEN)}`])).toMatch(/over the 131071/);
  });
});

describe('worktreesDirProblem', () => {
  const repo = { root: '/r/repo', commonDir: '/r/repo/.git' };
  it.each([
    ['/', /file system root/],
    ['/r/repo/.git', /inside the git directory/],
    ['/r/repo/.git/wt', /inside the git directory/],
    ['/r/repo', /inside the work tree/],
    ['/r/repo/sub', /inside the work tree/],
    ['/r', /contains the repository/],
  ])('%s', (dir, message) => expect(worktreesDirProblem(dir, repo)).toMatch(message));
  it.each(['/r/repo.worktrees', '/r/wt', '/elsewhere'])('%s is fine', (dir) => expect(worktreesDirProblem(dir, repo)).toBeNull());
});

describe('branches that block the prefix', () => {
  it('a branch named like the prefix blocks the batch; one below a task branch blocks that task', () => {
    expect(prefixProblem(['refs/heads/superset'], 'superset/')).toMatch(/a branch named superset exists/);
    expect(prefixProblem(['refs/heads/superset/a'], 'superset/')).toBeNull();
    expect(branchBlocked(['refs/heads/superset/deep/x'], 'superset/deep')).toMatch(/superset\/deep\/x exists/);
    expect(branchBlocked(['refs/heads/superset/deep-x'], 'superset/deep')).toBeNull();
  });
  it('the ref clash is not lock contention (no retry)', () => {
    expect(isLockContention("fatal: cannot lock ref 'refs/heads/superset/t': 'refs/heads/superset' exists; cannot create 'refs/heads/superset/t'")).toBe(false);
    expect(isLockContention("fatal: cannot lock ref 'refs/heads/superset/t': Unable to create '/r/.git/refs/heads/superset/t.lock': File exists.")).toBe(true);
  });
  it("a worktree listing that read another `worktree add`'s short-lived lock file is retried", () => {
    expect(isLockContention("fatal: failed to read '.git/worktrees/c6/locked': No such file or directory")).toBe(true);
    expect(isLockContention('fatal: failed to read .git/worktrees/c6/commondir: Success')).toBe(true);
    expect(isLockContention("fatal: failed to read '/r/notes.txt': No such file or directory")).toBe(false);
  });
});

describe('paths with a newline', () => {
  it('a .git file is read whole', () => {
    expect(parseGitFile('gitdir: /tmp/a\nb/.git/worktrees/t\n', '/w')).toBe('/tmp/a\nb/.git/worktrees/t');
  });
  it('worktree list -z keeps the path whole', () => {
    const text = 'worktree /tmp/a\nb\0HEAD 1111\0branch refs/heads/main\0\0worktree /tmp/a\nb.worktrees/t\0HEAD 2222\0branch refs/heads/superset/t\0locked\0\0';
    expect(parseWorktreeList(text).map((w) => [w.path, w.branch, w.locked])).toEqual([
      ['/tmp/a\nb', 'refs/heads/main', false],
      ['/tmp/a\nb.worktrees/t', 'refs/heads/superset/t', true],
    ]);
  });
});
