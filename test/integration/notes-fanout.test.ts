import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { gitIn, testEnv, type TestRepo } from '../support/repo.js';
import { useRecordRepo } from '../support/record-repo.js';
import type { Repo } from '../../src/git/repo.js';
import { appendNotes, readNotes } from '../../src/git/notes.js';
import { installWorktreeHooks } from '../../src/hooks/install.js';

// git stores notes with fan-out (`ab/cdef...`) once the notes tree is large; a writer that puts a
// note at another path than the one it is at leaves it at two, and git reads (and writes back)
// both, joined by a blank line: the lines repeat and multiply.
let t: TestRepo;
let repo: Repo;
const fx = useRecordRepo();
beforeEach(() => ({ t, repo } = fx));

/** n commits on a side branch, made by one fast-import (no hooks, no per-commit process). */
function manyCommits(n: number): string[] {
  let stream = '';
  for (let i = 1; i <= n; i++) stream += `commit refs/heads/many\nmark :${i}\ncommitter T <t@e> ${1_700_000_000 + i} +0000\ndata 2\nc\n${i > 1 ? `from :${i - 1}\n` : ''}\n`;
  const res = spawnSync('git', ['fast-import', '--quiet'], { cwd: t.root, env: testEnv(), input: stream, encoding: 'utf8' });
  expect(res.status, res.stderr).toBe(0);
  return gitIn(t.root, 'rev-list', '--reverse', 'many').split('\n');
}

/** Every annotated object in the notes tree, once per path it is stored at. */
function notePaths(): string[] {
  return gitIn(t.root, 'ls-tree', '-r', '--name-only', 'refs/notes/superset').split('\n').map((p) => p.replace(/\//g, ''));
}

const showNote = (rev: string): string => gitIn(t.root, 'notes', '--ref=superset', 'show', rev);

describe('notes in a fanned-out tree', () => {
  it('the batch writer and the sh hook keep one path per note: no repeated lines, no blank lines', async () => {
    const shas = manyCommits(120);
    await appendNotes(repo, shas.map((c, i) => ({ commit: c, event: { task: `t${i}`, event: 'commit' } })));
    // a commit through the sh hook: `git notes` rewrites the tree with fan-out
    const wt = path.join(t.dir, 'wt');
    gitIn(t.root, 'worktree', 'add', '-q', '-b', 'superset/hooked', wt);
    await installWorktreeHooks(repo, wt, 'hooked', 'agent');
    gitIn(wt, 'commit', '-q', '--allow-empty', '-m', 'hooked');
    const hooked = gitIn(wt, 'rev-parse', 'HEAD');
    expect(gitIn(t.root, 'ls-tree', '--name-only', 'refs/notes/superset').split('\n').every((p) => p.length === 2)).toBe(true);

    // the batch writer again, on notes that now live at fanned-out paths, and on new objects
    for (let round = 0; round < 3; round++) {
      await appendNotes(repo, [
        { commit: shas[0]!, event: { task: 't0', event: 'stopped', round } },
        { commit: hooked, event: { task: 'hooked', event: 'exited', round } },
        { commit: 'main', event: { task: 'x', event: 'removed', round } },
      ]);
      // and the hook on top of them
      gitIn(wt, 'commit', '-q', '--allow-empty', '-m', `hooked ${round}`);
    }
    const paths = notePaths();
    expect(paths.length).toBe(new Set(paths).size);
    expect(paths.length).toBe(120 + 1 + 3 + 1);
    const first = showNote(shas[0]!).split('\n');
    expect(first).toHaveLength(4);
    expect(new Set(first).size).toBe(4);
    expect(first.filter((l) => l.trim() === '')).toHaveLength(0);
    expect(showNote(hooked).split('\n').map((l) => JSON.parse(l).event)).toEqual(['commit', 'exited', 'exited', 'exited']);
    // plain git log of main stays short: its one note has its three lines
    expect(gitIn(t.root, 'log', '-1', 'main').split('\n').length).toBeLessThan(12);
    const events = await readNotes(repo);
    expect(events).toHaveLength(120 + 3 + 1 + 3 + 3 + 3);
  });

  it('a note already stored at two paths (an older writer) is repaired by the next write', async () => {
    const shas = manyCommits(2);
    const c = shas[0]!;
    const blob = (text: string) => spawnSync('git', ['hash-object', '-w', '--stdin'], { cwd: t.root, env: testEnv(), input: text, encoding: 'utf8' }).stdout.trim();
    const a = blob('{"t":"2026-01-01T00:00:00.000Z","v":1,"task":"a","event":"commit"}\n');
    const sub = spawnSync('git', ['mktree'], { cwd: t.root, env: testEnv(), input: `100644 blob ${a}\t${c.slice(2)}\n`, encoding: 'utf8' }).stdout.trim();
    const both = spawnSync('git', ['mktree'], {
      cwd: t.root,
      env: testEnv(),
      input: `100644 blob ${a}\t${c}\n040000 tree ${sub}\t${c.slice(0, 2)}\n`,
      encoding: 'utf8',
    }).stdout.trim();
    expect(both).not.toBe('');
    gitIn(t.root, 'update-ref', 'refs/notes/superset', gitIn(t.root, 'commit-tree', both, '-m', 'old notes'));
    await appendNotes(repo, [{ commit: c, event: { task: 'a', event: 'exited' } }]);
    expect(notePaths()).toEqual([c]);
    expect(showNote(c).split('\n').map((l) => JSON.parse(l).event)).toEqual(['commit', 'exited']);
  });
});
