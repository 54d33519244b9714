import { describe, expect, it } from 'vitest';
import { parseMergeTreeBatch } from '../../src/git/merge-tree.js';
import { diffRounds, forkPoints, parseDiffTreeBatch } from '../../src/git/changed-paths.js';
import { needsBaseMerge, overlappingPairs, overlapsByTask, withoutStacked } from '../../src/task/overlap.js';
import { byStart, mainRefusal, mergeMessage, readySkip, squashMessage, tail, taskRefusal } from '../../src/task/merge-rules.js';
import { literalWord } from '../../src/runner/tmux.js';
import { splitDiffArgs } from '../../src/ops/diff.js';
import { formatDiff } from '../../src/commands/diff.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const M = 'd'.repeat(40);

describe('parseMergeTreeBatch', () => {
  it('reads clean and conflicted records, as git 2.39 prints them with --stdin -z --name-only --no-messages', () => {
    // captured from `printf 'z1 z2\nx y\n' | git merge-tree --stdin -z --name-only --no-messages`
    const out = `1\0${A}\0\0` + `0\0${B}\0a.txt\0dir/b c.txt\0\0`;
    expect(parseMergeTreeBatch(out)).toEqual([
      { clean: true, tree: A, conflicts: [] },
      { clean: false, tree: B, conflicts: ['a.txt', 'dir/b c.txt'] },
    ]);
  });

  it('reads nothing from nothing, and refuses output it does not understand', () => {
    expect(parseMergeTreeBatch('')).toEqual([]);
    expect(() => parseMergeTreeBatch(`${A}\0a.txt\0\0`)).toThrow(/unexpected git merge-tree output/);
  });
});

describe('parseDiffTreeBatch', () => {
  it('splits paths by the header ids, in order; a pair without differences prints nothing', () => {
    const out = `${A}\0a.txt\0n e.txt\0${C}\0b.txt\0`;
    const r = parseDiffTreeBatch(out, [A, B, C]);
    expect(r.get(A)).toEqual(['a.txt', 'n e.txt']);
    expect(r.get(B)).toEqual([]);
    expect(r.get(C)).toEqual(['b.txt']);
  });

  it('a path spelled like an earlier header is a path', () => {
    const r = parseDiffTreeBatch(`${B}\0${A}\0`, [A, B]);
    expect(r.get(B)).toEqual([A]);
    expect(r.get(A)).toEqual([]);
  });
});

describe('diffRounds', () => {
  it('keeps first ids unique within a round and drops duplicate pairs', () => {
    expect(diffRounds([[A, M], [B, M], [A, M], [A, C]])).toEqual([
      [[A, M], [B, M]],
      [[A, C]],
    ]);
  });
});

describe('forkPoints', () => {
  // rev-list --parents <tips> ^base: t2 <- t1 <- M (M is in the base); u is a merge of base commit N into t1
  const revList = [`t2 t1`, `t1 ${M}`, `u t1 ${C}`].join('\n') + '\n';
  it('finds the base commits a tip forked from', () => {
    const r = forkPoints(revList, ['t2', 'u', 'gone']);
    expect(r.get('t2')).toEqual([M]);
    expect(r.get('u')!.sort()).toEqual([C, M].sort());
    // a tip not listed is in the base already: its own merge base
    expect(r.get('gone')).toEqual(['gone']);
  });
});

describe('overlappingPairs', () => {
  const sets = [
    { task: 't1', paths: ['README.md', 'a.ts'] },
    { task: 't2', paths: ['README.md'] },
    { task: 't3', paths: ['new.txt'] },
    { task: 't4', paths: ['a.ts', 'README.md'] },
  ];
  it('pairs tasks that share a path, with the shared files, in input order', () => {
    expect(overlappingPairs(sets)).toEqual([
      { a: 't1', b: 't2', files: ['README.md'] },
      { a: 't1', b: 't4', files: ['README.md', 'a.ts'] },
      { a: 't2', b: 't4', files: ['README.md'] },
    ]);
  });
  it('with a focus, only pairs that involve it', () => {
    expect(overlappingPairs(sets, new Set(['t2']))).toEqual([
      { a: 't1', b: 't2', files: ['README.md'] },
      { a: 't2', b: 't4', files: ['README.md'] },
    ]);
    expect(overlappingPairs(sets, new Set(['t3']))).toEqual([]);
  });
  it('100 tasks with 5 overlapping pairs give exactly those 5', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ task: `t${i}`, paths: [`own/${i}.txt`, ...(i < 10 ? [`shared/${i >> 1}.txt`] : [])] }));
    expect(overlappingPairs(many).map((p) => `${p.a}-${p.b}`)).toEqual(['t0-t1', 't2-t3', 't4-t5', 't6-t7', 't8-t9']);
  });
  it('overlapsByTask lists each side', () => {
    const by = overlapsByTask(overlappingPairs(sets));
    expect(by.get('t2')).toEqual([{ task: 't1', files: ['README.md'] }, { task: 't4', files: ['README.md'] }]);
    expect(by.get('t3')).toBeUndefined();
  });
});

describe('withoutStacked', () => {
  const pair = (a: string, b: string) => ({ a, b, files: ['api.txt'] });
  it('drops a task and one it was started after, directly or down a chain, and keeps the others', () => {
    const afterOf = new Map([['client', ['api']], ['docs', ['client']], ['api', []], ['other', []]]);
    const pairs = [pair('api', 'client'), pair('api', 'docs'), pair('client', 'docs'), pair('api', 'other'), pair('other', 'client')];
    expect(withoutStacked(pairs, afterOf)).toEqual([pair('api', 'other'), pair('other', 'client')]);
  });
  it('ends on a cycle in the records rather than looping', () => {
    const afterOf = new Map([['a', ['b']], ['b', ['a']]]);
    expect(withoutStacked([pair('a', 'c')], afterOf)).toEqual([pair('a', 'c')]);
  });
});

describe('needsBaseMerge', () => {
  it('only when the base moved and touched a path the task changed', () => {
    expect(needsBaseMerge({ mergeBase: M, baseTip: M, paths: ['a'], basePaths: [] })).toBe(false);
    expect(needsBaseMerge({ mergeBase: M, baseTip: A, paths: ['a'], basePaths: ['b'] })).toBe(false);
    expect(needsBaseMerge({ mergeBase: M, baseTip: A, paths: ['a'], basePaths: ['b', 'a'] })).toBe(true);
    expect(needsBaseMerge({ mergeBase: null, baseTip: A, paths: ['a'], basePaths: ['a'] })).toBe(false);
  });
});

describe('merge rules', () => {
  const clean = { branch: 'main', dirty: 0, busy: null };
  it('refuses a busy, dirty or wrong-branch main worktree, in that order', () => {
    expect(mainRefusal(clean, 'main')).toBeNull();
    expect(mainRefusal({ ...clean, dirty: 2 }, 'main')).toBe('the main worktree has 2 uncommitted changes: commit or stash them first');
    expect(mainRefusal({ ...clean, branch: 'dev' }, 'main')).toBe('the main worktree is on dev, not on main: git switch main first');
    expect(mainRefusal({ ...clean, branch: null }, 'main')).toMatch(/is detached/);
    expect(mainRefusal({ ...clean, dirty: 1, busy: 'a rebase' }, 'main')).toMatch(/in the middle of a rebase/);
  });
  it('refuses uncommitted work always, a running agent unless forced', () => {
    expect(taskRefusal({ name: 't', live: false, uncommitted: 0 }, {})).toBeNull();
    expect(taskRefusal({ name: 't', live: true, uncommitted: 0 }, {})).toBe('t is still running: git superset stop t first, or use --force');
    expect(taskRefusal({ name: 't', live: true, uncommitted: 0 }, { force: true })).toBeNull();
    expect(taskRefusal({ name: 't', live: true, uncommitted: 3 }, { force: true })).toBe('t has 3 uncommitted files: commit them, or git superset stop t and let commit-on-exit do it');
    expect(taskRefusal({ name: 't', live: false, uncommitted: 1 }, {})).toBe('t has 1 uncommitted file: commit them in its worktree first');
  });
  it('the ready queue takes ended, done tasks with commits and a clean worktree', () => {
    const ok = { status: 'done' as const, live: false, commits: 2, uncommitted: 0 };
    expect(readySkip(ok)).toBeNull();
    expect(readySkip({ ...ok, status: 'running', live: true })).toBe('still running');
    expect(readySkip({ ...ok, status: 'failed' })).toBe('status is failed');
    expect(readySkip({ ...ok, commits: 0 })).toBe('no commits to merge');
    expect(readySkip({ ...ok, uncommitted: 2 })).toBe('2 uncommitted files in its worktree');
  });
  it('orders by start time, unknown last', () => {
    const ts = [
      { name: 'c', startedAt: null },
      { name: 'b', startedAt: '2026-01-02T00:00:00.000Z' },
      { name: 'a', startedAt: '2026-01-03T00:00:00.000Z' },
    ];
    expect([...ts].sort(byStart).map((t) => t.name)).toEqual(['b', 'a', 'c']);
  });
  it('squash message: the prompt\'s first non-empty line, else the task name, and the trailers last', () => {
    expect(squashMessage('t', 'claude', '\n  Fix the login\nmore', ['one', 'two'])).toBe(
      'Fix the login\n\nSquashed from 2 commits of t:\n- one\n- two\n\nSuperset-Task: t\nSuperset-Agent: claude\n',
    );
    expect(squashMessage('t', 'my agent', undefined, [])).toBe('t\n\nSuperset-Task: t\nSuperset-Agent: my_agent\n');
    expect(squashMessage('t', 'x', 'y'.repeat(100), []).split('\n')[0]).toHaveLength(72);
  });
  it('merge message as git words it', () => {
    expect(mergeMessage('superset/t', 'main', 't', 'sh')).toBe("Merge branch 'superset/t'\n\nSuperset-Task: t\nSuperset-Agent: sh\n");
    expect(mergeMessage('superset/t', 'dev', 't', 'sh').split('\n')[0]).toBe("Merge branch 'superset/t' into dev");
  });
  it('tail keeps the last lines', () => {
    expect(tail('1\n2\n3\n\n', 2)).toBe('2\n3');
  });
});

describe('literalWord (tmux send-keys)', () => {
  it('escapes only a final semicolon, which tmux would read as the end of the command', () => {
    expect(literalWord('a; b')).toBe('a; b');
    expect(literalWord('run it;')).toBe('run it\\;');
    expect(literalWord(';')).toBe('\\;');
    expect(literalWord('a\\;')).toBe('a\\\\;');
  });
});

describe('diff', () => {
  it('splits options from paths at --', () => {
    expect(splitDiffArgs(['--stat', '--', 'a', '--b'])).toEqual({ options: ['--stat'], paths: ['a', '--b'] });
    expect(splitDiffArgs(['-U5'])).toEqual({ options: ['-U5'], paths: [] });
  });
  it('labels each part, and prints the committed part alone unlabelled', () => {
    const committed = { range: 'main...superset/t', output: 'C\n' };
    expect(formatDiff({ task: 't', committed, uncommitted: null, exitCode: 0 })).toBe('C\n');
    expect(formatDiff({ task: 't', committed, uncommitted: { range: 'HEAD', output: 'U\n', worktree: '/w', untracked: ['x'] }, exitCode: 0 })).toBe(
      '# committed on the branch (main...superset/t)\nC\n# uncommitted in /w (against HEAD)\nU\n# untracked in /w: x\n',
    );
    expect(formatDiff({ task: 't', committed: { ...committed, output: '' }, uncommitted: { range: 'HEAD', output: '', worktree: '/w', untracked: [] }, exitCode: 0 })).toBe('');
  });
});

describe('compare', async () => {
  const { variantsOf, parseShortstat } = await import('../../src/ops/compare.js');
  it('finds the variants a best-of-N start named <task>-<agent label>', () => {
    const tasks = [
      { name: 'p-claude', agent: 'claude' },
      { name: 'p-codex', agent: 'codex' },
      { name: 'p-x', agent: 'claude' },
      { name: 'pp-claude', agent: 'claude' },
      { name: 'p-mine', agent: '/opt/bin/mine --fast' },
      { name: 'p-sh-1', agent: "sh -c 'a'" },
      { name: 'p-sh-2', agent: "sh -c 'b'" },
      { name: 'p-sh-x', agent: "sh -c 'b'" },
    ];
    expect(variantsOf('p', tasks).map((t) => t.name)).toEqual(['p-claude', 'p-codex', 'p-mine', 'p-sh-1', 'p-sh-2']);
  });
  it('reads git diff --shortstat', () => {
    expect(parseShortstat(' 2 files changed, 3 insertions(+), 1 deletion(-)\n')).toEqual({ files: 2, insertions: 3, deletions: 1 });
    expect(parseShortstat(' 1 file changed, 1 deletion(-)\n')).toEqual({ files: 1, insertions: 0, deletions: 1 });
    expect(parseShortstat('')).toEqual({ files: 0, insertions: 0, deletions: 0 });
  });
});

describe('ls overlap marker', async () => {
  const { overlapNote } = await import('../../src/task/format.js');
  it('names each overlapping pair once, under the table', () => {
    const base = { overlaps: [] as { task: string; files: string[] }[] };
    const tasks = [
      { ...base, name: 'b', overlaps: [{ task: 'a', files: ['x.ts', 'y.ts'] }] },
      { ...base, name: 'a', overlaps: [{ task: 'b', files: ['x.ts', 'y.ts'] }] },
      { ...base, name: 'c' },
    ] as unknown as Parameters<typeof overlapNote>[0];
    expect(overlapNote(tasks)).toBe('! a and b both change x.ts, y.ts\n');
  });
});
