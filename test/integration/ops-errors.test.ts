import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { TaskStore } from '../../src/task/store.js';
import { processStart } from '../../src/task/lock.js';
import { takeSnapshot } from '../../src/git/snapshots.js';
import { signalTask } from '../../src/ops/signal.js';
import type { TaskState } from '../../src/task/state.js';
import type { TaskStatus } from '../../src/task/lifecycle.js';
import { isAlive } from '../../src/task/process-alive.js';
import { bufferCtx } from '../support/ctx.js';
import { useRecordRepo, writeRecord } from '../support/record-repo.js';
import { gitIn, sh } from '../support/repo.js';
import { waitFor } from '../support/cli.js';

// Expected failures end as one line and their exit code, through main(argv, ctx) in this process,
// against a real repository: never a stack, never "run with --debug".
const fx = useRecordRepo();
const children: ChildProcess[] = [];

beforeEach(() => {
  // these tests write live records by hand: no daemon is wanted for them
  process.env.SUPERSET_WATCH = '0';
});

afterEach(() => {
  for (const c of children.splice(0)) if (c.pid && isAlive(c.pid)) process.kill(-c.pid, 'SIGKILL');
});

async function run(argv: string[], over: Parameters<typeof bufferCtx>[1] = {}) {
  const ctx = bufferCtx(fx.t.root, over);
  const code = await main(argv, ctx);
  return { code, stdout: ctx.stdout(), stderr: ctx.stderr() };
}

/** A stand-in agent: a real process leading its own group, as a headless agent's wrapper does. */
function agentProcess(): number {
  const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
  children.push(child);
  return child.pid!;
}

const record = (name: string, status: TaskStatus, extra: Partial<TaskState> = {}): TaskState => writeRecord(fx, name, status, extra);

/** A task as start leaves it: branch, worktree, record. */
function task(name: string, status: TaskStatus = 'done', extra: Partial<TaskState> = {}): TaskState {
  const wt = `${fx.t.root}.worktrees/${name}`;
  fx.t.git('worktree', 'add', '-q', '-b', `superset/${name}`, wt);
  return record(name, status, extra);
}

const oneLine = (stderr: string) => {
  expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(stderr).toMatch(/^git superset: /);
  expect(stderr).not.toMatch(/--debug|\n\s+at /);
};

describe('interrupted', () => {
  it('sync with its signal fired: exit 130, one line, nothing pushed', async () => {
    const remote = path.join(fx.t.dir, 'remote.git');
    sh('git', ['init', '-q', '--bare', remote], fx.t.dir);
    fx.t.git('remote', 'add', 'origin', remote);
    const res = await run(['sync'], { signal: AbortSignal.abort() });
    expect(res).toEqual({ code: 130, stdout: '', stderr: 'git superset: interrupted\n' });
    expect(gitIn(remote, 'for-each-ref')).toBe('');
  });

  it('log with its signal fired: exit 130, one line', async () => {
    const res = await run(['log'], { signal: AbortSignal.abort() });
    expect(res).toEqual({ code: 130, stdout: '', stderr: 'git superset: interrupted\n' });
  });
});

describe('lock timeout', () => {
  it("signal while another live process holds the task's lock: exit 1, one line naming the lock and its holder", async () => {
    record('held', 'running', { pid: agentProcess() });
    const lock = path.join(fx.repo.stateDir, 'tasks', 'held.json.lock');
    fs.writeFileSync(lock, `${process.pid} ${processStart(process.pid)}\n`);
    process.env.SUPERSET_LOCK_TIMEOUT_SECONDS = '0.3';
    try {
      const res = await run(['signal', 'held', 'waiting']);
      expect(res.code).toBe(1);
      oneLine(res.stderr);
      expect(res.stderr).toBe(
        `git superset: timed out waiting for ${lock} (held by pid ${process.pid}): another git superset command is busy; try again, or delete the file if no such process runs\n`,
      );
      expect(new TaskStore(fx.repo).read('held')!.status).toBe('running');
    } finally {
      fs.rmSync(lock, { force: true });
    }
  });
});

describe('tmux failure', () => {
  it("start --tmux when tmux cannot make its server: exit 1, tmux's own line, nothing left behind", async () => {
    // a socket name tmux cannot create (its directory does not exist): tmux 3.3 even exits 0 then
    process.env.SUPERSET_TMUX_SOCKET = `no-such-dir-${process.pid}/socket`;
    const res = await run(['start', 't', '--tmux', '--agent', 'sleep 5', '--prompt', 'p']);
    expect(res.code).toBe(1);
    oneLine(res.stderr);
    expect(res.stderr).toMatch(/^git superset: tmux new-session failed: error creating .*no-such-dir.* \(No such file or directory\)\n$/);
    expect(fx.t.git('branch', '--list', 'superset/*')).toBe('');
    expect(fs.existsSync(`${fx.t.root}.worktrees/t`)).toBe(false);
  });
});

describe('batch partly failed', () => {
  it('stop a b where b cannot be recorded: a is stopped, b is one line, exit 1', async () => {
    const a = agentProcess();
    const b = agentProcess();
    task('a', 'running', { pid: a });
    task('b', 'running', { pid: b });
    // b's record cannot be rewritten: its temp file's name is taken by a directory
    fs.mkdirSync(path.join(fx.repo.stateDir, 'tasks', `b.json.${process.pid}.tmp`));
    const res = await run(['stop', 'a', 'b']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^stopped a; worktree kept at /);
    expect(res.stdout).not.toMatch(/\bb\b/);
    oneLine(res.stderr);
    expect(res.stderr).toMatch(/^git superset: b: \S.*EISDIR/);
    expect(new TaskStore(fx.repo).read('a')!.status).toBe('stopped');
    expect(isAlive(b)).toBe(true);
  });
});

describe('batch partly failed: start', () => {
  it('start a b where b cannot be made: a starts, b is one line, exit 1', async () => {
    // An empty directory passes the batch's check of the worktrees dir, but is no worktree of b's.
    fs.mkdirSync(`${fx.t.root}.worktrees/b`, { recursive: true });
    const res = await run(['start', 'a', 'b', '--headless', '--agent', 'true', '--prompt', 'p']);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^started a on superset\/a in /);
    expect(res.stderr).toBe(`git superset: b: ${fx.t.root}.worktrees/b already exists and is not a worktree of this repository\n`);
    expect(fx.t.git('branch', '--list', '--format=%(refname:short)', 'superset/*')).toBe('superset/a');
    // a's agent exits at once; its exit is recorded by another process before the repo goes
    await waitFor(() => new TaskStore(fx.repo).read('a')?.status === 'done', 15_000, "a's exit to be recorded");
  });
});

describe('ops refusals', () => {
  it('sync: a name that is no remote, and a remote that does not exist', async () => {
    expect(await run(['sync', 'a..b'])).toEqual({ code: 2, stdout: '', stderr: 'git superset: not a remote name: a..b (see git remote -v)\n' });
    expect(await run(['sync', 'nope'])).toEqual({ code: 2, stdout: '', stderr: 'git superset: no such remote: nope (add one with git remote add nope <url>)\n' });
  });

  it('sync to an empty bare remote pushes nothing when there is no record yet', async () => {
    const remote = path.join(fx.t.dir, 'remote.git');
    sh('git', ['init', '-q', '--bare', remote], fx.t.dir);
    fx.t.git('remote', 'add', 'origin', remote);
    const res = await run(['sync', '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ remote: 'origin', merged: false, pushed: false, attempts: 1, branches: null });
  });

  it('signal: an unknown task, outside a task worktree, and an ended task left as it was', async () => {
    expect(await run(['signal', 'ghost', 'idle'])).toEqual({ code: 2, stdout: '', stderr: 'git superset: no such task: ghost (see git superset ls)\n' });
    expect((await run(['signal', 'idle'])).stderr).toBe('git superset: not inside a task worktree: name the task (git superset signal <task> <status>)\n');
    record('over', 'done');
    const res = await signalTask({ cwd: fx.t.root, task: 'over', status: 'running' });
    expect(res).toMatchObject({ task: 'over', changed: false, state: { status: 'done' } });
    record('live', 'running', { pid: agentProcess() });
    expect(await signalTask({ cwd: fx.t.root, task: 'live', status: 'waiting' })).toMatchObject({ changed: true, state: { status: 'waiting', statusBy: 'agent' } });
  });

  it('log: an unknown task; no events yet', async () => {
    expect(await run(['log', 'ghost'])).toEqual({ code: 2, stdout: '', stderr: 'git superset: no such task: ghost (see git superset ls)\n' });
    expect(await run(['log'])).toEqual({ code: 0, stdout: "no events yet: start a task with 'git superset start <task>'\n", stderr: '' });
  });

  it('restore: no snapshot yet, uncommitted work in the way, then --force keeps it as a snapshot first', async () => {
    const t = task('r');
    const wt = t.worktree;
    expect(await run(['restore', 'r'])).toEqual({ code: 2, stdout: '', stderr: 'git superset: task r has no snapshots yet (they are taken while the watcher runs)\n' });
    fs.writeFileSync(path.join(wt, 'work.txt'), 'the snapshot\n');
    expect(await takeSnapshot({ worktree: wt, task: 'r', agent: 'sh', scratchDir: fx.repo.stateDir })).toMatchObject({ made: true });
    fs.writeFileSync(path.join(wt, 'work.txt'), 'newer work\n');
    const refused = await run(['restore', 'r']);
    expect(refused).toEqual({ code: 2, stdout: '', stderr: `git superset: refusing to restore over 1 uncommitted file in ${wt} (use --force: they are snapshotted first)\n` });
    expect(fs.readFileSync(path.join(wt, 'work.txt'), 'utf8')).toBe('newer work\n');
    const forced = await run(['restore', 'r', '--force', '--json']);
    expect(forced.code).toBe(0);
    const out = JSON.parse(forced.stdout) as { savedFirst: string; restored: string };
    expect(out.savedFirst).toMatch(/^[0-9a-f]{40}$/);
    expect(fs.readFileSync(path.join(wt, 'work.txt'), 'utf8')).toBe('the snapshot\n');
    expect(gitIn(wt, 'show', `${out.savedFirst}:work.txt`)).toBe('newer work');
  });
});
