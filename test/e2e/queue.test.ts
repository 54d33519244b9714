import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, cliAsync, waitFor } from '../support/cli.js';
import type { TestRepo } from '../support/repo.js';
import { created, NOTHING, stateDir, type LsRow } from './_agents.js';
import { alive, readPidFile, useWatchRepo, type WatchFixture } from './_watch.js';

/** ls --json with the queue's fields. */
type QRow = LsRow & { queuePosition: number | null; after: string[]; queuedAt: string | null; reason: string | null };

let repo: TestRepo;
let fx: WatchFixture;
const w = useWatchRepo();
beforeEach(() => ({ repo, fx } = w));

const ls = (): QRow[] => {
  const res = cli(repo.root, ['ls', '--json'], fx.env);
  if (res.code !== 0) throw new Error(`ls --json exited ${res.code}: ${res.stderr}`);
  return JSON.parse(res.stdout) as QRow[];
};
const row = (name: string): QRow | undefined => ls().find((t) => t.name === name);
const byName = (rows: QRow[]) => new Map(rows.map((r) => [r.name, r]));

/**
 * A real agent script: appends its start time (ms) to <out>/<task>.start, waits for <out>/go (or
 * <out>/<task>.go) when gated, works a little, writes a file and exits 0. Each launch is one line.
 */
function agent(gated: boolean, seconds = '0.5'): { bin: string; out: string; go: (task?: string) => void; starts: (task: string) => number[] } {
  const out = path.join(repo.dir, 'agent-out');
  fs.mkdirSync(out, { recursive: true });
  const bin = path.join(repo.dir, gated ? 'gated-agent.sh' : 'agent.sh');
  const q = `'${out}'`;
  const wait = gated ? `while [ ! -e ${q}/go ] && [ ! -e ${q}/"$SUPERSET_TASK".go ]; do sleep 0.05; done\n` : '';
  fs.writeFileSync(bin, `#!/bin/sh\necho $(($(date +%s%N) / 1000000)) >> ${q}/"$SUPERSET_TASK".start\n${wait}sleep ${seconds}\necho "$SUPERSET_TASK" > "$SUPERSET_TASK.txt"\n`, { mode: 0o755 });
  return {
    bin,
    out,
    go: (task) => fs.writeFileSync(path.join(out, task ? `${task}.go` : 'go'), ''),
    starts: (task) => {
      try {
        return fs.readFileSync(path.join(out, `${task}.start`), 'utf8').split('\n').filter(Boolean).map(Number);
      } catch {
        return [];
      }
    },
  };
}

/**
 * Agents running the script now, from the process table (not our records): the tasks of the
 * processes whose command line runs it (a fork of the script's shell, before it execs `sleep`,
 * shows the same command line, so tasks are counted, not processes).
 */
function agentsAlive(bin: string): number {
  const tasks = new Set<string>();
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(bin)) continue;
      const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      // only agents: `start --agent <script>` itself has the script as a word of its command line
      const task = env.find((e) => e.startsWith('SUPERSET_TASK='));
      if (task) tasks.add(task);
    } catch {
      /* ended meanwhile */
    }
  }
  return tasks.size;
}

const startedEvents = (task: string): number => {
  const res = cli(repo.root, ['log', task, '--json'], fx.env);
  if (res.code !== 0) return -1;
  return (JSON.parse(res.stdout) as { event: string }[]).filter((e) => e.event === 'started').length;
};

const names = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);

describe('the queue (maxRunning)', () => {
  it('10 tasks with --max-running 3: never more than 3 agents at once, all done, started in queue order', async () => {
    // gated: the queue stands still until the test has looked at it (a loaded machine is slower
    // to run `ls` than the first agents are to finish)
    const a = agent(true);
    let most = 0;
    const sampler = setInterval(() => (most = Math.max(most, agentsAlive(a.bin))), 20);
    try {
      const res = await cliAsync(repo.root, ['start', ...names(10), '--headless', '--max-running', '3', '--agent', a.bin], fx.env);
      expect(res.code, res.stderr).toBe(0);
      // start launches what fits now (3), and queues the rest in order
      expect(res.stdout.match(/^queued \S+/gm)).toEqual(names(10).slice(3).map((n) => `queued ${n}`));
      expect(res.stdout).toMatch(/^queued t9 \(position 7 in the queue\)/m);
      expect(byName(ls()).get('t9')).toMatchObject({ status: 'queued', worktree: null, startedAt: null, after: [] });
      a.go();
      await waitFor(() => ls().filter((t) => t.status === 'done').length === 10, 60_000, 'all 10 done');
    } finally {
      clearInterval(sampler);
    }
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(3);
    const starts = names(10).map((n) => a.starts(n));
    expect(starts.every((s) => s.length === 1), JSON.stringify(starts)).toBe(true);
    // start launched t0-t2 (holding the schedule lock until they ran); the watcher chose the rest in
    // queue order (launches in flight overlap, so their agents' first moments may interleave)
    for (let i = 0; i < 3; i++) for (let j = 3; j < 10; j++) expect(starts[i]![0]!, `t${i} before t${j}`).toBeLessThan(starts[j]![0]!);
    const watchLog = fs.readFileSync(path.join(stateDir(repo), 'logs', 'watch.log'), 'utf8');
    expect([...watchLog.matchAll(/ (t\d): launching from the queue/g)].map((m) => m[1])).toEqual(names(10).slice(3));
    for (const n of names(10)) expect(repo.git('log', '-1', '--format=%s', `superset/${n}`)).not.toBe('initial commit');
  });

  it('start of a queued task jumps the queue; stop takes one out; rm removes one that never ran', async () => {
    const a = agent(true);
    const res = cli(repo.root, ['start', 'a', 'b', 'c', 'd', '--headless', '--max-running', '1', '--agent', a.bin, '--prompt', 'the d prompt'], fx.env);
    expect(res.code, res.stderr).toBe(0);
    let rows = byName(ls());
    expect(rows.get('a')!.status).toBe('running');
    expect([rows.get('b')!.queuePosition, rows.get('c')!.queuePosition, rows.get('d')!.queuePosition]).toEqual([1, 2, 3]);
    // the prompt is in git while it waits
    expect(repo.git('cat-file', '-p', 'refs/superset/tasks/d')).toMatch(/\nqueued .*\n\nthe d prompt$/);

    const jump = cli(repo.root, ['start', 'c'], fx.env);
    expect(jump.code, jump.stderr).toBe(0);
    expect(jump.stdout).toMatch(/^started c on superset\/c/);
    rows = byName(ls());
    expect(rows.get('c')!.status).toBe('running');
    expect(rows.get('b')).toMatchObject({ status: 'queued', queuePosition: 1 });
    expect(rows.get('d')).toMatchObject({ status: 'queued', queuePosition: 2 });

    const stop = cli(repo.root, ['stop', 'b'], fx.env);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toMatch(/stopped b: taken out of the queue/);
    expect(row('b')).toMatchObject({ status: 'stopped', queuePosition: null, worktree: null });
    expect(row('d')!.queuePosition).toBe(1);

    // what needs a worktree says plainly that a queued task has none yet
    for (const args of [['diff', 'd'], ['path', 'd'], ['send', 'd', 'hi']]) {
      const res = cli(repo.root, args, fx.env);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toBe('git superset: task d is queued and has not started yet: it has no worktree or branch (git superset start d starts it now)\n');
    }
    const rm = cli(repo.root, ['rm', 'd'], fx.env);
    expect(rm.code, rm.stderr).toBe(0);
    expect(row('d')).toBeUndefined();
    expect(repo.git('for-each-ref', 'refs/superset/tasks/d', 'refs/heads/superset/d')).toBe('');

    a.go();
    await waitFor(() => ['a', 'c'].every((n) => row(n)?.status === 'done'), 30_000, 'a and c done');
    // neither the stopped nor the removed task was launched when the slots freed
    await waitFor(() => !fs.existsSync(path.join(stateDir(repo), 'schedule.lock')), 5000, 'the queue run');
    expect(row('b')).toMatchObject({ status: 'stopped', worktree: null });
    expect([a.starts('b'), a.starts('d')]).toEqual([[], []]);
    expect(repo.git('for-each-ref', '--format=%(refname:short)', 'refs/heads/').split('\n').sort()).toEqual(['main', 'superset/a', 'superset/c']);
    expect(startedEvents('c')).toBe(1);
  });

  it('kill -9 of the watcher with tasks queued: the next command brings it back, the queue resumes, nothing starts twice', async () => {
    const a = agent(true, '0.2');
    const res = cli(repo.root, ['start', ...names(4), '--headless', '--max-running', '1', '--agent', a.bin], fx.env);
    expect(res.code, res.stderr).toBe(0);
    const pid = await waitFor(() => readPidFile(repo), 10_000, 'the watcher');
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !alive(pid), 5000, 'the watcher to die');
    a.go('t0');
    await waitFor(() => row('t0')?.status === 'done', 20_000, 't0 done');
    // this ls started a new watcher (tasks are queued), which launches the rest one by one
    await waitFor(() => readPidFile(repo) !== pid && readPidFile(repo), 10_000, 'a new watcher');
    a.go();
    await waitFor(() => ls().filter((t) => t.status === 'done').length === 4, 30_000, 'all 4 done');
    for (const n of names(4)) {
      expect(a.starts(n), `${n} launched once`).toHaveLength(1);
      expect(startedEvents(n), `${n} has one started event`).toBe(1);
    }
  });

  it('.git/superset deleted with tasks queued: ls rebuilds them from git, queued in order', async () => {
    const a = agent(true, '0.2');
    const res = cli(repo.root, ['start', 'q1', 'q2', 'q3', '--headless', '--max-running', '1', '--agent', a.bin, '--prompt', 'p'], fx.env);
    expect(res.code, res.stderr).toBe(0);
    const pid = await waitFor(() => readPidFile(repo), 10_000, 'the watcher');
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !alive(pid), 5000, 'the watcher to die');
    fs.rmSync(stateDir(repo), { recursive: true, force: true });
    const rows = byName(ls());
    expect(rows.get('q2')).toMatchObject({ status: 'queued', queuePosition: 1, agent: a.bin, prompt: 'p', worktree: null });
    expect(rows.get('q3')).toMatchObject({ status: 'queued', queuePosition: 2 });
    // and they still run: q1's agent is released, the rebuilt queue launches the others
    a.go();
    await waitFor(() => ['q2', 'q3'].every((n) => row(n)?.status === 'done'), 30_000, 'q2 and q3 done');
    expect([a.starts('q2'), a.starts('q3')].map((s) => s.length)).toEqual([1, 1]);
  });

  it("a queue that reached another clone by sync is not launched there when that clone's cache is rebuilt", async () => {
    const a = agent(true, '0.2');
    const res = cli(repo.root, ['start', 'q1', 'q2', '--headless', '--max-running', '1', '--agent', a.bin, '--prompt', 'p'], fx.env);
    expect(res.code, res.stderr).toBe(0);
    const remote = path.join(repo.dir, 'remote.git');
    repo.git('init', '-q', '--bare', remote);
    repo.git('remote', 'add', 'origin', remote);
    repo.git('push', '-q', 'origin', 'main');
    expect(cli(repo.root, ['sync'], fx.env).code).toBe(0);
    const other = path.join(repo.dir, 'other');
    repo.git('clone', '-q', remote, other);
    const synced = cli(other, ['sync'], fx.env);
    expect(synced.code, synced.stderr).toBe(0);
    const there = cli(other, ['ls', '--json'], fx.env);
    expect(there.code, there.stderr).toBe(0);
    // the teammate's queue is theirs: listed as nothing to launch here, and no watcher for it
    expect((JSON.parse(there.stdout) as QRow[]).filter((t) => t.status === 'queued' || t.status === 'blocked')).toEqual([]);
    expect(fs.existsSync(path.join(other, '.git', 'superset', 'watch.pid'))).toBe(false);
    expect(fs.existsSync(path.join(other, '.git', 'superset', 'tasks', 'q2.json'))).toBe(false);
    // here the queue goes on as before, and q2 runs once, in this clone
    a.go();
    await waitFor(() => row('q2')?.status === 'done', 30_000, 'q2 done here');
    expect(a.starts('q2')).toHaveLength(1);
  });

  it('a queued task whose agent is gone by launch time fails with the reason, makes nothing, and the queue goes on', async () => {
    const a = agent(true, '0.1');
    const gone = path.join(repo.dir, 'gone-agent.sh');
    fs.writeFileSync(gone, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    for (const [name, bin] of [['a', a.bin], ['b', gone], ['c', a.bin]] as const) {
      const res = cli(repo.root, ['start', name, '--headless', '--max-running', '1', '--agent', bin], fx.env);
      expect(res.code, res.stderr).toBe(0);
    }
    expect(row('b')).toMatchObject({ status: 'queued', queuePosition: 1 });
    fs.rmSync(gone);
    a.go();
    await waitFor(() => row('c')?.status === 'done', 30_000, 'c done');
    const b = row('b')!;
    expect(b).toMatchObject({ status: 'failed', worktree: null, exitCode: null });
    expect(b.reason).toMatch(/^could not launch from the queue: /);
    expect(repo.git('for-each-ref', 'refs/heads/superset/b')).toBe('');
    const log = JSON.parse(cli(repo.root, ['log', 'b', '--json'], fx.env).stdout) as { event: string }[];
    expect(log.map((e) => e.event)).toEqual(['queued', 'launch-failed']);
  });

  it('relaunching an ended task past the limit queues it in its worktree; it runs there again, on its branch', async () => {
    const a = agent(true, '0.1');
    const run = (...args: string[]) => {
      const res = cli(repo.root, ['start', ...args, '--headless', '--agent', a.bin], fx.env);
      expect(res.code, res.stderr).toBe(0);
      return res;
    };
    run('r');
    a.go('r');
    await waitFor(() => row('r')?.status === 'done', 20_000, 'r done');
    const firstTip = repo.git('rev-parse', 'superset/r');
    run('g', '--max-running', '1');
    expect(run('r', '--max-running', '1').stdout).toMatch(/^queued r \(position 1 in the queue\)/m);
    const queued = row('r')!;
    expect(queued).toMatchObject({ status: 'queued', queuePosition: 1 });
    expect(queued.worktree).not.toBeNull();
    a.go('g');
    await waitFor(() => row('r')?.status === 'done' && a.starts('r').length === 2, 20_000, 'r done again');
    const events = JSON.parse(cli(repo.root, ['log', 'r', '--json'], fx.env).stdout) as { event: string; relaunch?: boolean }[];
    expect(events.filter((e) => e.event === 'started').map((e) => Boolean(e.relaunch))).toEqual([false, true]);
    expect(events.some((e) => e.event === 'queued')).toBe(true);
    repo.git('merge-base', '--is-ancestor', firstTip, 'superset/r');
  });

  it('refuses a bad --max-running or config maxRunning with one line, creating nothing', () => {
    for (const bad of ['0', 'abc', '-1', '1.5']) {
      const res = cli(repo.root, ['start', 'x', '--headless', '--agent', 'true', '--max-running', bad], fx.env);
      expect(res.code, bad).toBe(2);
      expect(res.stderr).toBe(`git superset: --max-running must be a whole number >= 1, not "${bad}"\n`);
      expect(created(repo)).toEqual(NOTHING);
    }
    fs.writeFileSync(path.join(repo.root, '.supersetrc.json'), JSON.stringify({ maxRunning: 0 }));
    const res = cli(repo.root, ['start', 'x', '--headless', '--agent', 'true'], fx.env);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^git superset: config .*"maxRunning" must be a whole number >= 1 \(or null: no limit\)\n$/);
    expect(created(repo)).toEqual(NOTHING);
  });
});
