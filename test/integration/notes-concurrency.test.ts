import path from 'node:path';
import { spawn } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { gitIn, testEnv, type TestRepo } from '../support/repo.js';
import { useRecordRepo } from '../support/record-repo.js';
import type { Repo } from '../../src/git/repo.js';
import { appendNotes, readNotes } from '../../src/git/notes.js';
import { installWorktreeHooks } from '../../src/hooks/install.js';

let t: TestRepo;
let repo: Repo;
const fx = useRecordRepo();
beforeEach(() => ({ t, repo } = fx));

function commits(n: number): string[] {
  return Array.from({ length: n }, (_, i) => t.commit(`f${i}.txt`, `${i}\n`));
}

/** Runs a command and resolves with its exit code and stderr. */
function run(cmd: string, args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: testEnv() });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

describe('appendNotes', () => {
  it('loses nothing with 24 writers at once, and each line stays one line', async () => {
    const shas = commits(4);
    // 6 writers per commit, so writers contend for the same note as well as for the ref
    const writes = Array.from({ length: 24 }, (_, i) => appendNotes(repo, [{ commit: shas[i % 4]!, event: { task: `w${i}`, event: 'commit' } }]));
    await Promise.all(writes);
    const events = await readNotes(repo);
    expect(events.map((e) => e.task).sort()).toEqual(Array.from({ length: 24 }, (_, i) => `w${i}`).sort());
    const note = gitIn(t.root, 'notes', '--ref=superset', 'show', shas[0]!);
    expect(note.split('\n')).toHaveLength(6);
    expect(note).not.toMatch(/\n\n/);
  });

  it('writes many entries in one notes commit, appending to notes already there', async () => {
    const shas = commits(30);
    await appendNotes(repo, [{ commit: shas[0]!, event: { task: 'first', event: 'started' } }]);
    const before = gitIn(t.root, 'rev-parse', 'refs/notes/superset');
    await appendNotes(repo, shas.map((c, i) => ({ commit: c, event: { task: `t${i}`, event: 'commit' } })));
    expect(gitIn(t.root, 'rev-parse', 'refs/notes/superset^')).toBe(before);
    const events = await readNotes(repo);
    expect(events).toHaveLength(31);
    expect(events.filter((e) => e.on === shas[0]).map((e) => e.task)).toEqual(['first', 't0']);
    // plain git reads them too
    expect(gitIn(t.root, 'notes', '--ref=superset', 'show', shas[29]!)).toMatch(/"task":"t29","event":"commit"/);
  });

  it('accepts refs as well as hashes', async () => {
    await appendNotes(repo, [{ commit: 'main', event: { task: 'a', event: 'stopped' } }]);
    expect((await readNotes(repo))[0]).toMatchObject({ task: 'a', on: gitIn(t.root, 'rev-parse', 'main') });
  });
});

describe('the sh hook and Node writing at the same instant', () => {
  it('20 commits in 20 worktrees plus 20 Node appends: 40 events, none lost', async () => {
    const worktrees: string[] = [];
    for (let i = 0; i < 20; i++) {
      const wt = path.join(t.dir, `wt${i}`);
      gitIn(t.root, 'worktree', 'add', '-q', '-b', `superset/w${i}`, wt);
      await installWorktreeHooks(repo, wt, `w${i}`, 'agent');
      worktrees.push(wt);
    }
    const base = gitIn(t.root, 'rev-parse', 'HEAD');
    const results = await Promise.all([
      ...worktrees.map((wt) => run('git', ['commit', '-q', '--allow-empty', '-m', 'work'], wt)),
      ...worktrees.map((_, i) => appendNotes(repo, [{ commit: base, event: { task: `w${i}`, event: 'started' } }]).then(() => ({ code: 0, stderr: '' }))),
    ]);
    for (const r of results) expect(r, r.stderr).toEqual({ code: 0, stderr: '' });
    const events = await readNotes(repo);
    expect(events.filter((e) => e.event === 'commit')).toHaveLength(20);
    expect(events.filter((e) => e.event === 'started' && e.on === base)).toHaveLength(20);
    for (let i = 0; i < 20; i++) {
      const tip = gitIn(t.root, 'rev-parse', `superset/w${i}`);
      expect(events.filter((e) => e.on === tip).map((e) => [e.task, e.event])).toEqual([[`w${i}`, 'commit']]);
    }
  });
});
