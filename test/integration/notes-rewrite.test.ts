import path from 'node:path';
import { spawn } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { gitIn, testEnv, type TestRepo } from '../support/repo.js';
import { useRecordRepo } from '../support/record-repo.js';
import type { Repo } from '../../src/git/repo.js';
import { appendNotes, readNotes } from '../../src/git/notes.js';
import { installWorktreeHooks } from '../../src/hooks/install.js';

// Amends and rebases in a task worktree carry the notes over under the notes lock (the
// post-rewrite hook), never through git's unlocked notes.rewriteRef copy: nothing is lost while
// other writers write, and each new commit has one commit event.
let t: TestRepo;
let repo: Repo;
let wt: string;
const fx = useRecordRepo();
beforeEach(async () => {
  ({ t, repo } = fx);
  wt = path.join(t.dir, 'wt');
  gitIn(t.root, 'worktree', 'add', '-q', '-b', 'superset/rw', wt);
  await installWorktreeHooks(repo, wt, 'rw', 'agent');
});

function run(args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('git', args, { cwd, env: testEnv() });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
  });
}

/** n Node writers, each adding one event to the main worktree's HEAD commit. */
const writers = (n: number, tag: string): Promise<void>[] =>
  Array.from({ length: n }, (_, i) => appendNotes(repo, [{ commit: 'main', event: { task: `${tag}${i}`, event: 'stopped' } }]));

const commitEvents = (notes: Awaited<ReturnType<typeof readNotes>>, on: string) => notes.filter((n) => n.on === on && n.event === 'commit' && n.task === 'rw');

describe('notes through amend and rebase', () => {
  it('a rebase carries every note over while 30 writers write: each new commit one commit event, nothing lost', async () => {
    for (let i = 0; i < 5; i++) gitIn(wt, 'commit', '-q', '--allow-empty', '-m', `w${i}`);
    const old = gitIn(wt, 'rev-list', '--reverse', 'HEAD~5..HEAD').split('\n');
    await appendNotes(repo, [{ commit: old[2]!, event: { task: 'rw', event: 'stopped', how: 'marker' } }]);
    t.commit('main.txt', 'main\n', 'main moves on');
    const [rebase] = await Promise.all([run(['rebase', '-q', 'main'], wt), ...writers(30, 'r')]);
    expect(rebase.code, rebase.stderr).toBe(0);

    const now = gitIn(wt, 'rev-list', '--reverse', 'main..HEAD').split('\n');
    expect(now).toHaveLength(5);
    const notes = await readNotes(repo);
    for (const c of now) expect(commitEvents(notes, c), `commit events on ${c}`).toHaveLength(1);
    expect(notes.filter((n) => n.on === now[2] && n.how === 'marker')).toHaveLength(1);
    expect(notes.filter((n) => /^r\d+$/.test(n.task))).toHaveLength(30);
    const shown = gitIn(t.root, 'notes', '--ref=superset', 'show', now[2]!);
    expect(shown).not.toMatch(/\n\n/);
  });

  it('10 amends while 30 writers write: the tip has its events once, no writer loses a line', async () => {
    gitIn(wt, 'commit', '-q', '--allow-empty', '-m', 'a0');
    await appendNotes(repo, [{ commit: 'superset/rw', event: { task: 'rw', event: 'stopped', how: 'marker' } }]);
    const amends = (async () => {
      for (let i = 1; i <= 10; i++) {
        const r = await run(['commit', '-q', '--amend', '--allow-empty', '-m', `a${i}`], wt);
        expect(r.code, r.stderr).toBe(0);
      }
    })();
    await Promise.all([amends, ...writers(30, 'm')]);
    const tip = gitIn(wt, 'rev-parse', 'HEAD');
    const notes = await readNotes(repo);
    expect(commitEvents(notes, tip)).toHaveLength(1);
    expect(notes.filter((n) => n.on === tip && n.how === 'marker')).toHaveLength(1);
    expect(notes.filter((n) => /^m\d+$/.test(n.task))).toHaveLength(30);
    const lines = gitIn(t.root, 'notes', '--ref=superset', 'show', tip).split('\n');
    expect(new Set(lines).size).toBe(lines.length);
    expect([...lines].sort()).toEqual(lines);
  });
});
