import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeRepo, removeRepo, type TestRepo } from '../support/repo.js';
import { baseFromTips } from '../../src/git/prereq-base.js';

// A dependent task's base, made from its prerequisites' tips without touching any worktree.
let r: TestRepo;
beforeEach(() => {
  r = makeRepo();
});
afterEach(() => removeRepo(r));

/** A branch from main with one commit writing `file`; back on main afterwards. */
function branch(name: string, file: string, content: string): string {
  r.git('checkout', '-q', '-b', name, 'main');
  const commit = r.commit(file, content, `${name}: ${file}`);
  r.git('checkout', '-q', 'main');
  return commit;
}

const untouched = () => ({ head: r.git('rev-parse', 'HEAD'), status: r.git('status', '--porcelain'), refs: r.git('for-each-ref') });

describe('baseFromTips', () => {
  it('one prerequisite: its tip as it is', async () => {
    const a = branch('a', 'a.txt', 'a\n');
    expect(await baseFromTips(r.root, [{ task: 'a', commit: a }])).toEqual({ commit: a });
  });

  it('two clean prerequisites: a commit with both tips as parents and both files, no worktree or ref touched', async () => {
    const a = branch('a', 'a.txt', 'a\n');
    const b = branch('b', 'b.txt', 'b\n');
    const before = untouched();
    const res = await baseFromTips(r.root, [{ task: 'a', commit: a }, { task: 'b', commit: b }], 'c');
    expect('commit' in res).toBe(true);
    const commit = (res as { commit: string }).commit;
    expect(r.git('rev-list', '--parents', '-n1', commit).split(' ').slice(1)).toEqual([a, b]);
    expect(r.git('ls-tree', '--name-only', commit).split('\n')).toEqual(['README.md', 'a.txt', 'b.txt']);
    expect(r.git('log', '-1', '--format=%s%n%an', commit)).toBe('superset: start c from a, b\ngit superset');
    expect(untouched()).toEqual(before);
  });

  it('two conflicting prerequisites: the conflicted file named, nothing made on any ref', async () => {
    const a = branch('a', 'shared.txt', 'from a\n');
    const b = branch('b', 'shared.txt', 'from b\n');
    branch('x', 'x.txt', 'x\n');
    const before = untouched();
    expect(await baseFromTips(r.root, [{ task: 'a', commit: a }, { task: 'b', commit: b }])).toEqual({ conflicts: ['shared.txt'] });
    expect(untouched()).toEqual(before);
  });

  it('three prerequisites: one commit with three parents and all three files', async () => {
    const a = branch('a', 'a.txt', 'a\n');
    const b = branch('b', 'b.txt', 'b\n');
    const c = branch('c', 'c.txt', 'c\n');
    const res = (await baseFromTips(r.root, [{ task: 'a', commit: a }, { task: 'b', commit: b }, { task: 'c', commit: c }], 'd')) as { commit: string };
    expect(r.git('rev-list', '--parents', '-n1', res.commit).split(' ').slice(1)).toEqual([a, b, c]);
    expect(r.git('ls-tree', '--name-only', res.commit).split('\n')).toEqual(['README.md', 'a.txt', 'b.txt', 'c.txt']);
  });

  it('three prerequisites where the third conflicts with the first two merged: its file named', async () => {
    const a = branch('a', 'a.txt', 'a\n');
    const b = branch('b', 'b.txt', 'b\n');
    const c = branch('c', 'b.txt', 'c wrote it\n');
    expect(await baseFromTips(r.root, [{ task: 'a', commit: a }, { task: 'b', commit: b }, { task: 'c', commit: c }])).toEqual({ conflicts: ['b.txt'] });
  });

  it('a prerequisite another one contains adds nothing: the chain tip as it is', async () => {
    const a = branch('a', 'a.txt', 'a\n');
    r.git('checkout', '-q', '-b', 'b', 'a');
    const b = r.commit('b.txt', 'b\n');
    r.git('checkout', '-q', 'main');
    expect(await baseFromTips(r.root, [{ task: 'a', commit: a }, { task: 'b', commit: b }])).toEqual({ commit: b });
    expect(await baseFromTips(r.root, [{ task: 'a', commit: a }, { task: 'a2', commit: a }])).toEqual({ commit: a });
  });
});
