import { describe, expect, it } from 'vitest';
import { judgeRemoval, refusalLine, type RemovalFacts, type WorktreeFacts } from '../../src/task/removal.js';
import { cwdInside } from '../../src/task/proc.js';
import { parseWorktreeList } from '../../src/git/worktrees.js';
import { globLiteral } from '../../src/git/reachability.js';
import { parseSnapshotOwner, refStamp } from '../../src/git/snapshots.js';
import { sessionAnswer } from '../../src/task/removal-facts.js';

const clean: WorktreeFacts = {
  path: '/r.worktrees/t',
  present: true,
  locked: false,
  operation: null,
  uncommitted: { ok: true, value: 0 },
  headOnly: null,
};
const safe: RemovalFacts = {
  name: 't',
  branch: 'superset/t',
  base: 'main',
  deletesBranch: true,
  branchOnly: { ok: true, value: 0 },
  recordLive: false,
  liveSession: null,
  processes: [],
  worktree: clean,
  checkedOutElsewhere: [],
};
const fail = (error: string) => ({ ok: false as const, error });
const reasons = (change: Partial<RemovalFacts>): string[] => judgeRemoval({ ...safe, ...change }).reasons;
const wtReasons = (change: Partial<WorktreeFacts>): string[] => reasons({ worktree: { ...clean, ...change } });

describe('judgeRemoval', () => {
  it('lets a task with nothing to lose go', () => {
    expect(judgeRemoval(safe)).toEqual({ name: 't', reasons: [], running: false, stoppable: false, keepBranch: null });
    expect(reasons({ worktree: null, branchOnly: null, deletesBranch: false })).toEqual([]);
    expect(wtReasons({ present: false, uncommitted: null })).toEqual([]);
  });

  it.each<[string, Partial<RemovalFacts>, string]>([
    ['unmerged commits', { branchOnly: { ok: true, value: 2 } }, 'it has 2 commits not in main or any other branch'],
    ['one commit, base unknown', { branchOnly: { ok: true, value: 1 }, base: null }, 'it has 1 commit not in the base or any other branch'],
    ['a failed rev-list', { branchOnly: fail('fatal: bad object') }, 'could not tell whether its commits are in main or any other branch (fatal: bad object)'],
    ['a running agent', { recordLive: true }, 'it has a running agent'],
    ['a live tmux session', { liveSession: 'superset-abc-t' }, 'its tmux session superset-abc-t is still running'],
    ['a process in the worktree', { processes: [{ pid: 42, command: 'vim' }] }, 'a process runs in its worktree (42 vim)'],
    [
      'many processes',
      { processes: [1, 2, 3, 4, 5].map((pid) => ({ pid, command: 'sh' })) },
      '5 processes run in its worktree (1 sh, 2 sh, 3 sh, and 2 more)',
    ],
    [
      'a hand-made worktree on the branch',
      { checkedOutElsewhere: ['/home/me/mine'] },
      'superset/t is checked out at /home/me/mine, a worktree start did not make (rm would leave it and keep the branch)',
    ],
  ])('refuses %s', (_what, change, says) => {
    expect(reasons(change)).toEqual([says]);
  });

  it.each<[string, Partial<WorktreeFacts>, string]>([
    ['uncommitted files', { uncommitted: { ok: true, value: 1 } }, 'it has 1 uncommitted file'],
    ['an unreadable status', { uncommitted: fail('fatal: index file smaller than expected') }, 'could not tell whether /r.worktrees/t has uncommitted files: git status failed (fatal: index file smaller than expected)'],
    ['detached HEAD commits', { headOnly: { ok: true, value: 3 } }, "its worktree's HEAD has 3 commits that no branch has (detached?)"],
    ['an unreadable HEAD', { headOnly: fail('its HEAD cannot be read') }, "could not tell whether its worktree's HEAD has commits no branch has (its HEAD cannot be read)"],
    ['a locked worktree', { locked: true }, 'its worktree is locked (git worktree unlock /r.worktrees/t)'],
    ['a rebase in progress', { operation: 'a rebase' }, 'git is busy in its worktree (a rebase)'],
  ])('refuses %s', (_what, change, says) => {
    expect(wtReasons(change)).toEqual([says]);
  });

  it('does not count a branch it keeps (adopted with --branch), nor a hand-made worktree on it', () => {
    expect(reasons({ deletesBranch: false, branchOnly: null, checkedOutElsewhere: ['/mine'] })).toEqual([]);
  });

  it('keeps the branch a worktree it does not remove has checked out, even with --force', () => {
    expect(judgeRemoval({ ...safe, checkedOutElsewhere: ['/a', '/b'] }).keepBranch).toBe('checked out at /a, /b');
  });

  it('lists every reason, running ones first', () => {
    const v = judgeRemoval({ ...safe, recordLive: true, branchOnly: { ok: true, value: 1 }, worktree: { ...clean, uncommitted: { ok: true, value: 2 } } });
    expect(v.reasons).toEqual(['it has a running agent', 'it has 2 uncommitted files', 'it has 1 commit not in main or any other branch']);
    expect(v.running).toBe(true);
  });
});

describe('sessionAnswer', () => {
  it.each<[string, { code: number; stdout: string; stderr: string }, ReturnType<typeof sessionAnswer>]>([
    ['a live pane', { code: 0, stdout: '1\n0\n', stderr: '' }, 'live'],
    ['only dead panes (remain-on-exit)', { code: 0, stdout: '1\n', stderr: '' }, 'gone'],
    ['no such session', { code: 1, stdout: '', stderr: "can't find session: =x\n" }, 'gone'],
    ['no such session on a running server', { code: 1, stdout: '', stderr: "can't find window: superset-abc-t\n" }, 'gone'],
    ['no server', { code: 1, stdout: '', stderr: 'no server running on /tmp/tmux-0/s\n' }, 'gone'],
    ['no socket', { code: 1, stdout: '', stderr: 'error connecting to /tmp/tmux-0/s (No such file or directory)\n' }, 'gone'],
    ['no tmux', { code: 127, stdout: '', stderr: 'spawnSync tmux ENOENT' }, 'gone'],
    ['anything else', { code: 1, stdout: '', stderr: 'directory /tmp/tmux-0 has unsafe permissions\n' }, { error: 'directory /tmp/tmux-0 has unsafe permissions' }],
  ])('%s', (_what, res, answer) => {
    expect(sessionAnswer(res)).toEqual(answer);
  });

  it('an unanswered session question refuses', () => {
    expect(reasons({ sessionError: 's: directory /tmp/tmux-0 has unsafe permissions' })).toEqual([
      'could not tell whether its tmux session runs (s: directory /tmp/tmux-0 has unsafe permissions)',
    ]);
  });
});

describe('refusalLine', () => {
  it('says to stop a running task first, not to force it', () => {
    expect(refusalLine(judgeRemoval({ ...safe, recordLive: true }))).toBe('refusing to remove t: it has a running agent (stop it first: git superset stop t)');
  });
  it('says --force ends what stop cannot see (no live record)', () => {
    expect(refusalLine(judgeRemoval({ ...safe, liveSession: 's' }))).toBe('refusing to remove t: its tmux session s is still running (end it first, or use --force to end it)');
  });
  it('says --force discards work', () => {
    expect(refusalLine(judgeRemoval({ ...safe, branchOnly: { ok: true, value: 1 } }))).toBe(
      'refusing to remove t: it has 1 commit not in main or any other branch (use --force to discard)',
    );
  });
});

describe('helpers', () => {
  it('cwdInside: the directory, below it, and a deleted one; not a sibling with the same prefix', () => {
    expect(cwdInside('/w/t', '/w/t')).toBe(true);
    expect(cwdInside('/w/t/src', '/w/t')).toBe(true);
    expect(cwdInside('/w/t (deleted)', '/w/t')).toBe(true);
    expect(cwdInside('/w/t2', '/w/t')).toBe(false);
    expect(cwdInside('/w', '/w/t')).toBe(false);
  });

  it('parseWorktreeList reads -z records, a newline in a path included', () => {
    const z = [
      'worktree /r', 'HEAD ' + 'a'.repeat(40), 'branch refs/heads/main', '',
      'worktree /w/odd\nname', 'HEAD ' + 'b'.repeat(40), 'detached', 'locked because', 'prunable gitdir file points to non-existent location', '',
    ].join('\0');
    expect(parseWorktreeList(z)).toEqual([
      { path: '/r', head: 'a'.repeat(40), branch: 'refs/heads/main', bare: false, locked: false, prunable: false },
      { path: '/w/odd\nname', head: 'b'.repeat(40), branch: null, bare: false, locked: true, prunable: true },
    ]);
  });

  it('globLiteral escapes wildmatch characters', () => {
    expect(globLiteral('superset/t')).toBe('superset/t');
    expect(globLiteral('a*b?[c]\\')).toBe('a\\*b\\?\\[c\\]\\\\');
  });

  it('parseSnapshotOwner: the task of a snapshot commit, null for any other commit', () => {
    expect(parseSnapshotOwner('abc\0t\n')).toBe('t');
    expect(parseSnapshotOwner('\0t\n')).toBeNull();
    expect(parseSnapshotOwner('\0\n')).toBeNull();
  });

  it('refStamp is ref-safe and sortable', () => {
    expect(refStamp(new Date('2026-12-01T08:40:12.345Z'))).toBe('20261201T084012345Z');
  });
});
