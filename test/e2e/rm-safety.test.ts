import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { run } from '../support/main.js';
import { testEnv, type TestRepo } from '../support/repo.js';
import { takeSnapshot } from '../../src/git/snapshots.js';
import { alive, branches, stateDir, taskIn, waitForExit, waitForStatus, worktreesDir, useAgentRepo, type AgentRepo } from './_agents.js';

// Hostile `rm`s: each one dropped work (or removed what was not ours) before rm judged by reachability.
let repo: TestRepo;
let tmux: AgentRepo['tmux'];
let env: Record<string, string>;
const fx = useAgentRepo();
// No watcher: these tests need none, and fewer processes make the /proc checks deterministic.
beforeEach(() => ({ repo, tmux, env } = { ...fx, env: { ...fx.env, SUPERSET_WATCH: '0' } }));

const wt = (name: string): string => path.join(worktreesDir(repo), name);
const start = (name: string, agent: string, extra: string[] = ['--headless']): void => {
  const res = cli(repo.root, ['start', name, '--agent', agent, ...extra], env);
  expect(res.code, res.stderr).toBe(0);
};
/** rm in-process (support/main.ts): its refusals and removals need no process of their own. */
const rm = (...args: string[]) => run(repo.root, ['rm', ...args], env);
const gitIn = (cwd: string, ...args: string[]): string => {
  const res = spawnSync('git', args, { cwd, env: testEnv(), encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`git ${args.join(' ')}: ${res.stderr}`);
  return res.stdout.trim();
};
const exists = (commit: string): boolean => spawnSync('git', ['cat-file', '-e', `${commit}^{commit}`], { cwd: repo.root }).status === 0;
const lines = (text: string): string[] => text.trimEnd().split('\n').filter(Boolean);
const COMMIT = 'sh -c "git commit -q --allow-empty -m work"';

/** The refusal: exit 2, one line per task on stderr, the worktree and branch still there. */
function expectRefused(res: { code: number; stderr: string }, name: string, says: RegExp): void {
  expect(res.code, res.stderr).toBe(2);
  expect(lines(res.stderr)).toHaveLength(1);
  expect(res.stderr).toMatch(new RegExp(`^git superset: refusing to remove ${name}: `));
  expect(res.stderr).toMatch(says);
}

async function expectForcedRemoval(name: string): Promise<void> {
  const res = await await rm(name, '--force');
  expect(res.code, res.stderr).toBe(0);
  expect(fs.existsSync(wt(name))).toBe(false);
  expect(branches(repo)).not.toContain(`superset/${name}`);
}

describe('rm judges commits by reachability', () => {
  it('refuses commits made on a detached HEAD in the worktree', async () => {
    start('t', 'true');
    await waitForExit(repo, 't', 'done', env);
    gitIn(wt('t'), 'checkout', '-q', '--detach');
    gitIn(wt('t'), 'commit', '-q', '--allow-empty', '-m', 'detached work');
    const detached = gitIn(wt('t'), 'rev-parse', 'HEAD');
    expectRefused(await rm('t'), 't', /its worktree's HEAD has 1 commit that no branch has.*use --force/);
    expect(fs.existsSync(wt('t'))).toBe(true);
    expect(branches(repo)).toContain('superset/t');
    await expectForcedRemoval('t');
    expect(exists(detached)).toBe(true); // --force leaves git's objects to git's gc
  });

  it('refuses a detached HEAD commit even when the worktree directory itself was deleted', async () => {
    start('t', 'true');
    await waitForExit(repo, 't', 'done', env);
    gitIn(wt('t'), 'checkout', '-q', '--detach');
    gitIn(wt('t'), 'commit', '-q', '--allow-empty', '-m', 'detached work');
    fs.rmSync(wt('t'), { recursive: true, force: true });
    expectRefused(await rm('t'), 't', /HEAD has 1 commit that no branch has/);
    expect(repo.git('worktree', 'list', '--porcelain')).toContain(wt('t'));
  });

  it.each([
    ['renamed', (r: TestRepo) => r.git('branch', '-m', 'main', 'trunk'), []],
    ['deleted', (r: TestRepo) => r.git('branch', '-D', 'dev'), ['--base', 'dev']],
  ] as const)('refuses unmerged commits when the base ref was %s', async (_how, change, base) => {
    repo.git('branch', 'dev');
    start('t', COMMIT, ['--headless', ...base]);
    await waitForExit(repo, 't', 'done', env);
    change(repo);
    expectRefused(await rm('t'), 't', /it has 1 commit not in (main|dev) or any other branch \(use --force to discard\)/);
    expect(branches(repo)).toContain('superset/t');
    await expectForcedRemoval('t');
  });

  it('counts commits as safe when the renamed base (as a commit) or another branch has them', async () => {
    start('t', COMMIT);
    await waitForExit(repo, 't', 'done', env);
    repo.git('branch', 'keep', 'superset/t');
    repo.git('branch', '-m', 'main', 'trunk');
    const res = await rm('t');
    expect(res.code, res.stderr).toBe(0);
    expect(branches(repo)).toEqual(['keep', 'trunk']);
  });

  it('judges a batch as if all of it were gone: a task based on another keeps its commits only while that one stays', async () => {
    start('a', COMMIT);
    await waitForExit(repo, 'a', 'done', env);
    start('b', COMMIT, ['--headless', '--base', 'superset/a']);
    await waitForExit(repo, 'b', 'done', env);
    const res = await rm('a', 'b');
    expect(res.code).toBe(2);
    expect(lines(res.stderr)).toEqual([
      expect.stringMatching(/^git superset: refusing to remove a: it has 1 commit not in main or any other branch/),
      expect.stringMatching(/^git superset: refusing to remove b: it has 1 commit not in superset\/a or any other branch/),
    ]);
    expect(branches(repo)).toEqual(['main', 'superset/a', 'superset/b']);
    // a alone: b still has a's commit
    expect((await rm('a')).code).toBe(0);
    expect(branches(repo)).toEqual(['main', 'superset/b']);
  });

  it('refuses when git cannot answer: a base commit that does not exist', async () => {
    start('t', 'true');
    await waitForExit(repo, 't', 'done', env);
    const file = path.join(stateDir(repo), 'tasks', 't.json');
    const record = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...record, baseCommit: 'b'.repeat(40) }));
    expectRefused(await rm('t'), 't', /could not tell whether its commits are in main or any other branch \(fatal: bad object b{40}\)/);
    await expectForcedRemoval('t');
  });
});

describe('rm refuses what it cannot read', () => {
  it('refuses a worktree whose git status fails (a corrupt index), keeping its files', async () => {
    start('t', 'true');
    await waitForExit(repo, 't', 'done', env);
    fs.writeFileSync(path.join(wt('t'), 'precious.txt'), 'uncommitted\n');
    const gitDir = gitIn(wt('t'), 'rev-parse', '--absolute-git-dir');
    fs.writeFileSync(path.join(gitDir, 'index'), 'garbage');
    expectRefused(await rm('t'), 't', /could not tell whether .* has uncommitted files: git status failed \(.*index file/);
    expect(fs.readFileSync(path.join(wt('t'), 'precious.txt'), 'utf8')).toBe('uncommitted\n');
    await expectForcedRemoval('t');
  });

  it("refuses a worktree whose HEAD file is garbage", async () => {
    start('t', 'true');
    await waitForExit(repo, 't', 'done', env);
    const gitDir = gitIn(wt('t'), 'rev-parse', '--absolute-git-dir');
    fs.writeFileSync(path.join(gitDir, 'HEAD'), 'garbage\n');
    expectRefused(await rm('t'), 't', /could not tell whether its worktree's HEAD has commits no branch has/);
    await expectForcedRemoval('t');
  });

  it("refuses a worktree whose .git file is gone (git cannot read it); --force still removes it", async () => {
    start('t', 'true');
    await waitForExit(repo, 't', 'done', env);
    fs.writeFileSync(path.join(wt('t'), 'precious.txt'), 'uncommitted\n');
    fs.rmSync(path.join(wt('t'), '.git'));
    expectRefused(await rm('t'), 't', /could not tell whether .* has uncommitted files: git status failed/);
    expect(fs.existsSync(path.join(wt('t'), 'precious.txt'))).toBe(true);
    await expectForcedRemoval('t');
    expect(repo.git('worktree', 'list', '--porcelain')).not.toContain(wt('t'));
  });

  it('refuses a locked worktree', async () => {
    start('t', 'true');
    await waitForExit(repo, 't', 'done', env);
    repo.git('worktree', 'lock', wt('t'));
    expectRefused(await rm('t'), 't', /its worktree is locked \(git worktree unlock /);
    await expectForcedRemoval('t');
  });
});

describe('rm sees a running agent without its task record', () => {
  it.each([
    ['deleted', (file: string) => fs.rmSync(file)],
    ['corrupt', (file: string) => fs.writeFileSync(file, '{"v":1,"name":')],
  ])('tmux agent, record %s: refused while it runs, --force ends it', async (_how, damage) => {
    start('t', 'sleep 60', ['--tmux']);
    const pid = (await waitForStatus(repo, 't', 'running', env)).pid!;
    damage(path.join(stateDir(repo), 'tasks', 't.json'));
    try {
      const res = await rm('t');
      expectRefused(res, 't', /its tmux session \S+ is still running; a process runs in its worktree|processes run in its worktree/);
      expect(res.stderr).toMatch(/\(end it first, or use --force to end it\)/);
      expect(fs.existsSync(wt('t'))).toBe(true);
      expect(alive(pid)).toBe(true);
      await expectForcedRemoval('t');
      await waitFor(() => !alive(pid), 10_000, 'the agent to be ended');
      expect(tmux.sessions()).toEqual([]);
    } finally {
      if (alive(pid)) process.kill(-pid, 'SIGKILL');
    }
  });

  it('headless agent, record deleted: its processes in the worktree block rm', async () => {
    start('t', 'sleep 60');
    const pid = (await waitForStatus(repo, 't', 'running', env)).pid!;
    fs.rmSync(path.join(stateDir(repo), 'tasks', 't.json'));
    try {
      expectRefused(await rm('t'), 't', new RegExp(`run in its worktree \\((${pid} sh|\\d+ sleep)`));
      expect(alive(pid)).toBe(true);
      await expectForcedRemoval('t');
      await waitFor(() => !alive(pid), 10_000, 'the agent to be ended');
    } finally {
      if (alive(pid)) process.kill(-pid, 'SIGKILL');
    }
  });

  it("any process in the worktree blocks rm (a user's editor), and --force leaves it alone", async () => {
    start('t', 'true');
    await waitForExit(repo, 't', 'done', env);
    const editor = spawnSync('sh', ['-c', 'sleep 60 >/dev/null 2>&1 & echo $!'], { cwd: wt('t'), encoding: 'utf8' });
    const pid = Number(editor.stdout.trim());
    try {
      await waitFor(() => fs.existsSync(`/proc/${pid}/cwd`), 5000, 'the editor');
      expectRefused(await rm('t'), 't', new RegExp(`a process runs in its worktree \\(${pid} sleep\\)`));
      await expectForcedRemoval('t');
      expect(alive(pid)).toBe(true); // not the task's: its environment does not name the task
    } finally {
      process.kill(pid, 'SIGKILL');
    }
  });
});

describe('rm removes only what start made', () => {
  it('leaves a worktree made by hand on the task branch, and the branch with it', async () => {
    start('x', 'true');
    await waitForExit(repo, 'x', 'done', env);
    repo.git('worktree', 'remove', wt('x'));
    const mine = path.join(repo.dir, 'mine');
    repo.git('worktree', 'add', '-q', mine, 'superset/x');
    expectRefused(await rm('x'), 'x', new RegExp(`^[^;]*superset/x is checked out at ${mine}, a worktree start did not make[^;]*$`));
    expect(fs.existsSync(mine)).toBe(true);
    fs.writeFileSync(path.join(mine, 'mine.txt'), 'my own work\n');
    const forced = await rm('x', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain(`branch superset/x kept: checked out at ${mine}`);
    expect(fs.readFileSync(path.join(mine, 'mine.txt'), 'utf8')).toBe('my own work\n');
    expect(branches(repo)).toContain('superset/x');
  });

  it("never follows a record that points at another task's worktree or branch", async () => {
    start('x', 'true');
    start('y', 'true');
    start('z', 'true');
    await waitForExit(repo, 'x', 'done', env);
    await waitForExit(repo, 'y', 'done', env);
    await waitForExit(repo, 'z', 'done', env);
    const edit = (name: string, change: object): void => {
      const file = path.join(stateDir(repo), 'tasks', `${name}.json`);
      fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), ...change }));
    };
    edit('x', { worktree: wt('y') });
    const res = await rm('x');
    expect(res.code, res.stderr).toBe(0);
    expect(fs.existsSync(wt('x'))).toBe(false);
    expect(fs.existsSync(wt('y'))).toBe(true);
    expect((await taskIn(repo, 'y', env))).toBeDefined();
    // z's record names y's branch: rm z must not delete it (y's worktree is gone, so git would let it)
    repo.git('worktree', 'remove', wt('y'));
    edit('z', { branch: 'superset/y' });
    expect((await rm('z', '--force')).code).toBe(0);
    expect(branches(repo)).toContain('superset/y');
  });

  it('does not count a tmux server that happens to have its cwd in the worktree', async () => {
    start('t', 'true');
    await waitForExit(repo, 't', 'done', env);
    // the server inherits the cwd of the client that started it; its session runs elsewhere
    spawnSync('tmux', ['-L', tmux.socket, 'new-session', '-d', '-s', 'desk', '-c', '/', 'sleep', '60'], { cwd: wt('t'), env: testEnv(env) });
    expect(tmux.sessions()).toContain('desk');
    const res = await rm('t');
    expect(res.code, res.stderr).toBe(0);
    expect(tmux.sessions()).toContain('desk');
  });

  it("does not prune other worktrees (a detached one whose directory is away keeps its HEAD)", async () => {
    const other = path.join(repo.dir, 'other');
    repo.git('worktree', 'add', '-q', '--detach', other);
    gitIn(other, 'commit', '-q', '--allow-empty', '-m', 'work in a worktree on a removable disk');
    fs.rmSync(other, { recursive: true, force: true });
    start('t', 'true');
    await waitForExit(repo, 't', 'done', env);
    expect((await rm('t')).code).toBe(0);
    expect(repo.git('worktree', 'list', '--porcelain')).toContain(other);
  });

  it('removes the worktrees directory with its last worktree, and only then', async () => {
    start('a', 'true');
    start('b', 'true');
    await waitForExit(repo, 'a', 'done', env);
    await waitForExit(repo, 'b', 'done', env);
    expect((await rm('a')).code).toBe(0);
    expect(fs.readdirSync(worktreesDir(repo))).toEqual(['b']);
    expect((await rm('b')).code).toBe(0);
    expect(fs.existsSync(worktreesDir(repo))).toBe(false);
  });
});

describe('merge cleans up as rm does', () => {
  it("keeps a merged task whose worktree's detached HEAD has commits no branch has", async () => {
    start('t', COMMIT);
    await waitForExit(repo, 't', 'done', env);
    gitIn(wt('t'), 'checkout', '-q', '--detach');
    gitIn(wt('t'), 'commit', '-q', '--allow-empty', '-m', 'after the branch');
    const res = cli(repo.root, ['merge', 't'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/merged t but kept it: its worktree's HEAD has 1 commit that no branch has/);
    expect(fs.existsSync(wt('t'))).toBe(true);
    expect(repo.git('merge-base', '--is-ancestor', 'superset/t', 'main')).toBe('');
  });
});

describe('rm reports every refusal', () => {
  it('one line per task, stop-first for a running one, nothing removed; --json lists them', async () => {
    start('a', COMMIT);
    start('b', 'true');
    start('c', 'sleep 60');
    await waitForExit(repo, 'a', 'done', env);
    await waitForExit(repo, 'b', 'done', env);
    await waitForStatus(repo, 'c', 'running', env);
    fs.writeFileSync(path.join(wt('b'), 'dirty.txt'), 'x\n');
    const res = await rm('a', 'b', 'c');
    expect(res.code).toBe(2);
    expect(lines(res.stderr)).toEqual([
      'git superset: refusing to remove a: it has 1 commit not in main or any other branch (use --force to discard)',
      'git superset: refusing to remove b: it has 1 uncommitted file (use --force to discard)',
      expect.stringMatching(/^git superset: refusing to remove c: it has a running agent; .*\(stop it first: git superset stop c\)$/),
    ]);
    const asJson = await rm('a', 'b', 'c', '--json');
    expect(asJson.code).toBe(2);
    const out = JSON.parse(asJson.stdout) as { removed: unknown[]; refused: { name: string; reasons: string[] }[] };
    expect(out.removed).toEqual([]);
    expect(out.refused.map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(out.refused[1]!.reasons).toEqual(['it has 1 uncommitted file']);
    expect(branches(repo)).toEqual(['main', 'superset/a', 'superset/b', 'superset/c']);
    expect(['a', 'b', 'c'].every((n) => fs.existsSync(wt(n)))).toBe(true);

    const forced = await rm('a', 'b', 'c', '--force', '--json');
    expect(forced.code, forced.stderr).toBe(0);
    expect((JSON.parse(forced.stdout) as { removed: { name: string }[] }).removed.map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(branches(repo)).toEqual(['main']);
    expect(fs.existsSync(worktreesDir(repo))).toBe(false);
  });
});

describe('a new task with a removed task name', () => {
  it("does not inherit its snapshots: restore never brings back another task's work", async () => {
    start('t', 'true');
    await waitForExit(repo, 't', 'done', env);
    fs.writeFileSync(path.join(wt('t'), 'old.txt'), 'the old task\n');
    const snap = await takeSnapshot({ worktree: wt('t'), task: 't', agent: 'true', scratchDir: stateDir(repo) });
    expect(snap.made).toBe(true);
    const removed = await rm('t', '--force');
    expect(removed.code, removed.stderr).toBe(0);
    const archived = /its snapshots are kept at (refs\/superset\/removed\/t\/\S+)/.exec(removed.stdout)?.[1];
    expect(archived).toBeDefined();
    expect(repo.git('rev-parse', archived!)).toBe(snap.made && snap.commit);

    start('t', 'true');
    await waitForExit(repo, 't', 'done', env);
    const res = cli(repo.root, ['restore', 't'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/task t has no snapshots yet/);
    expect(fs.existsSync(path.join(wt('t'), 'old.txt'))).toBe(false);

    // Nor another task's snapshot by name
    start('u', 'true');
    await waitForExit(repo, 'u', 'done', env);
    fs.writeFileSync(path.join(wt('u'), 'u.txt'), 'u work\n');
    const uSnap = await takeSnapshot({ worktree: wt('u'), task: 'u', agent: 'true', scratchDir: stateDir(repo) });
    fs.rmSync(path.join(wt('u'), 'u.txt'));
    const other = cli(repo.root, ['restore', 't', 'refs/superset/snapshots/u'], env);
    expect(other.code).toBe(2);
    expect(other.stderr).toBe('git superset: refs/superset/snapshots/u is a snapshot of task u, not of t\n');
    expect(fs.existsSync(path.join(wt('t'), 'u.txt'))).toBe(false);
    expect(uSnap.made).toBe(true);
  });

  it('nor when the old task was removed by hand (worktree, branch and cache deleted)', async () => {
    start('t', 'true');
    await waitForExit(repo, 't', 'done', env);
    fs.writeFileSync(path.join(wt('t'), 'old.txt'), 'the old task\n');
    const snap = await takeSnapshot({ worktree: wt('t'), task: 't', agent: 'true', scratchDir: stateDir(repo) });
    repo.git('worktree', 'remove', '--force', wt('t'));
    repo.git('branch', '-D', 'superset/t');
    fs.rmSync(stateDir(repo), { recursive: true, force: true });
    start('t', 'true');
    await waitForExit(repo, 't', 'done', env);
    const res = cli(repo.root, ['restore', 't'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/task t has no snapshots yet/);
    const kept = repo.git('for-each-ref', '--format=%(objectname)', 'refs/superset/removed/t/');
    expect(kept).toBe(snap.made ? snap.commit : 'a snapshot');
  });
});
