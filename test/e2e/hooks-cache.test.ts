import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { gitIn, makeRepo, removeRepo, testEnv, type TestRepo } from '../support/repo.js';
import { killAgents, stateDir, worktreesDir } from './_agents.js';

// The user's hooks always run in task worktrees: with the .git/superset cache deleted mid-run, and
// for hooks the user adds after the task started.
let repo: TestRepo;
const env = { SUPERSET_WATCH: '0' };
const pids: number[] = [];

beforeEach(() => {
  repo = makeRepo();
});
afterEach(() => {
  killAgents(repo);
  for (const pid of pids.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* exited */
    }
  }
  removeRepo(repo);
});

const wt = (task: string): string => path.join(worktreesDir(repo), task);

/** Every line of every note, read with plain git (no cache, no git superset). */
function noteLines(): string[] {
  const list = spawnSync('git', ['notes', '--ref=superset', 'list'], { cwd: repo.root, env: testEnv(), encoding: 'utf8' });
  if (list.status !== 0) return [];
  return list.stdout
    .split('\n')
    .filter(Boolean)
    .flatMap((l) => gitIn(repo.root, 'cat-file', 'blob', l.split(' ')[0]!).split('\n'));
}

function userHook(name: string, body: string): void {
  const dir = path.join(repo.root, '.git/hooks');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

describe('deleting .git/superset while a task runs', () => {
  it("a failing user pre-commit still blocks the agent's commit; on exit the leftovers are committed and the exit recorded", async () => {
    userHook('pre-commit', 'if git diff --cached --name-only | grep -q "^block$"; then echo "lint failed" >&2; exit 1; fi');
    const go = path.join(repo.dir, 'go');
    const out = path.join(repo.dir, 'result');
    const agent = `sh -c 'while [ ! -f "${go}" ]; do sleep 0.05; done; echo x > block; git add block; if git commit -q -m Blocked 2>/dev/null; then echo committed > "${out}"; else echo blocked > "${out}"; fi; echo left > left.txt; exit 4'`;
    const res = cli(repo.root, ['start', 'cached', '--headless', '--agent', agent], env);
    expect(res.code, res.stderr).toBe(0);
    const pid = (JSON.parse(fs.readFileSync(path.join(stateDir(repo), 'tasks', 'cached.json'), 'utf8')) as { pid: number }).pid;
    pids.push(pid);
    const base = gitIn(repo.root, 'rev-parse', 'main');

    fs.rmSync(stateDir(repo), { recursive: true, force: true });
    fs.writeFileSync(go, '');

    await waitFor(() => noteLines().some((l) => l.includes('"task":"cached","event":"exited"')), 20_000, 'the exited event');
    expect(fs.readFileSync(out, 'utf8')).toBe('blocked\n');
    // the leftovers (the blocked file and the new one) are on the branch, in one exit commit
    const commits = gitIn(repo.root, 'rev-list', `${base}..superset/cached`).split('\n').filter(Boolean);
    expect(commits).toHaveLength(1);
    expect(gitIn(repo.root, 'show', '--name-only', '--format=%s', commits[0]!).split('\n').filter(Boolean)).toEqual([
      'sh left 2 uncommitted files in cached: checkpoint on exit',
      'block',
      'left.txt',
    ]);
    const exited = JSON.parse(noteLines().find((l) => l.includes('"event":"exited"'))!) as Record<string, unknown>;
    expect(exited).toMatchObject({ task: 'cached', status: 'failed', exitCode: 4, checkpoint: commits[0] });
    expect(gitIn(repo.root, 'notes', '--ref=superset', 'show', 'superset/cached')).toMatch(/"task":"cached","event":"exited"/);
    // and the status reads from git as well as from the rebuilt cache
    const ls = JSON.parse(cli(repo.root, ['ls', '--json'], env).stdout) as { name: string; status: string; exitCode: number }[];
    expect(ls.find((t) => t.name === 'cached')).toMatchObject({ status: 'failed', exitCode: 4 });
  });
});

describe('hooks the user adds after the task started', () => {
  it('reference-transaction, post-checkout and post-index-change run in the task worktree, as in the main one', async () => {
    const res = cli(repo.root, ['start', 'late', '--headless', '--agent', 'true'], env);
    expect(res.code, res.stderr).toBe(0);
    await waitFor(() => noteLines().some((l) => l.includes('"task":"late","event":"exited"')), 15_000, 'late to exit');
    const log = path.join(repo.dir, 'hooks.log');
    userHook('reference-transaction', `read -r line; echo "rt $1 $(basename "$PWD")" >> "${log}"`);
    userHook('post-checkout', `echo "pc $(basename "$PWD")" >> "${log}"`);
    userHook('post-index-change', `echo "pic $(basename "$PWD")" >> "${log}"`);
    const dir = wt('late');
    gitIn(dir, 'checkout', '-q', '-b', 'side');
    fs.writeFileSync(path.join(dir, 'f.txt'), 'f\n');
    gitIn(dir, 'add', 'f.txt');
    gitIn(dir, 'commit', '-q', '-m', 'Late work');
    const lines = fs.readFileSync(log, 'utf8').split('\n');
    expect(lines).toContain('pc late');
    expect(lines).toContain('rt committed late');
    expect(lines).toContain('pic late');
    // and with the cache gone too
    fs.rmSync(stateDir(repo), { recursive: true, force: true });
    fs.writeFileSync(log, '');
    gitIn(dir, 'checkout', '-q', 'superset/late');
    expect(fs.readFileSync(log, 'utf8').split('\n')).toContain('pc late');
  });
});
