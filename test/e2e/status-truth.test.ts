import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { BIN, testEnv, type TestRepo } from '../support/repo.js';
import { processStart } from '../../src/task/lock.js';
import { lsJson, stateDir, task as lsTask, waitForExit, waitForStatus } from './_agents.js';
import { alive, gitAt, readPidFile, stateFile, useWatchRepo, worktreeOf, type WatchFixture } from './_watch.js';

// Issue 8 §4: what `ls`, the notes and the watcher say must be what happened.

let repo: TestRepo;
let fx: WatchFixture;
const w = useWatchRepo({ idleSeconds: 600, snapshot: { quietSeconds: 1 }, stopTimeoutSeconds: 2 });
let binDir: string;
beforeEach(() => {
  ({ repo, fx } = w);
  binDir = path.join(repo.dir, 'bin');
  fs.mkdirSync(binDir);
  fx.env.PATH = `${binDir}:${process.env.PATH}`;
});

const q = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;
const start = (name: string, agent: string, extra: string[] = ['--headless'], env: Record<string, string> = {}): void => {
  const res = cli(repo.root, ['start', name, '--agent', agent, ...extra], { ...fx.env, ...env });
  expect(res.code, res.stderr).toBe(0);
};
/** An agent script in the test's bin directory. */
const agentScript = (name: string, body: string): string => {
  const file = path.join(binDir, name);
  fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
};
/** Every event of a task, whichever commit its note is on. */
const allEvents = (task: string): string[] => {
  const list = spawnSync('git', ['notes', '--ref=superset', 'list'], { cwd: repo.root, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  return list.flatMap((l) =>
    gitAt(repo.root, 'cat-file', '-p', l.split(' ')[0]!)
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { task: string; event: string })
      .filter((e) => e.task === task)
      .map((e) => e.event),
  );
};
const goFile = (): string => path.join(repo.dir, 'go');
const waitForGo = (): string => `while [ ! -f ${q(goFile())} ]; do sleep 0.05; done`;
const pids = (): number[] =>
  fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
/** Processes whose environment names this worktree: the agents launched there. */
const agentsIn = (worktree: string): number[] =>
  pids().filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`SUPERSET_WORKTREE=${worktree}`) && !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z');
    } catch {
      return false;
    }
  });

describe("an agent's own 'session over'", () => {
  it('never reads done before the exit commit and the exited note are on the branch', async () => {
    // A fake Claude Code: leaves a file uncommitted, fires its SessionEnd hook (from the --settings
    // file start gave it), then takes a moment to shut down, as the real one does.
    agentScript(
      'claude',
      `echo work > left-behind.txt
hook=$(${q(process.execPath)} -e 'console.log(require(process.argv[1]).hooks.SessionEnd[0].hooks[0].command)' "$2")
sh -c "$hook"
${waitForGo()}
exit 0`,
    );
    start('cl', 'claude');
    await waitFor(() => stateFile(repo, 'cl').status === 'finishing', 10_000, 'the SessionEnd signal');
    expect(lsTask(repo, 'cl', fx.env)!.status).toBe('finishing');
    fs.writeFileSync(goFile(), '');
    // A script that waits for done and then reads the branch finds everything.
    await waitFor(() => {
      const t = lsTask(repo, 'cl', fx.env)!;
      if (t.status !== 'done') return false;
      expect(gitAt(repo.root, 'log', '--format=%s', 'main..superset/cl')).toMatch(/left 1 uncommitted file in cl: checkpoint on exit/);
      expect(allEvents('cl')).toContain('exited');
      return true;
    }, 15_000, 'cl to be done');
  });
});

describe('the uncommitted count', () => {
  it('is the count after the exit commit, not the one before it', async () => {
    start('cnt', `sh -c ${q(`echo x > new.txt; ${waitForGo()}; exit 0`)}`);
    await waitFor(() => (lsTask(repo, 'cnt', fx.env) as { changedFiles?: number } | undefined)?.changedFiles === 1, 15_000, 'the watcher to count new.txt');
    fs.writeFileSync(goFile(), '');
    // Read the moment it is done, before any later recount by the watcher could hide a stale count.
    const t = (await waitForStatus(repo, 'cnt', 'done', fx.env)) as unknown as { ahead: number; changedFiles: number };
    expect({ ahead: t.ahead, changedFiles: t.changedFiles }).toEqual({ ahead: 1, changedFiles: 0 });
    expect(gitAt(worktreeOf(repo, 'cnt'), 'status', '--porcelain')).toBe('');
  });
});

describe('watch --status', () => {
  it('says running for a watcher that is being started, after start and after a restart', async () => {
    start('ws', 'sleep 60');
    // The one start launched is on record at once: no second one is spawned, and --status sees it.
    const recorded = readPidFile(repo);
    expect(recorded).not.toBeNull();
    const first = cli(repo.root, ['watch', '--status'], fx.env);
    expect(first.stdout).toMatch(/^watcher running \(pid \d+\)/);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`pid ${recorded}`);
    const pid = recorded!;
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !alive(pid), 10_000, 'the watcher to die');
    expect(cli(repo.root, ['ls'], fx.env).code).toBe(0); // brings it back
    expect(readPidFile(repo)).not.toBe(pid);
    const again = cli(repo.root, ['watch', '--status'], { ...fx.env, SUPERSET_WATCH: '0' });
    expect(again.stdout).toMatch(/^watcher running \(pid \d+\)/);
    expect(Number(/pid (\d+)/.exec(again.stdout)![1])).not.toBe(pid);
  });
});

describe('the watcher', () => {
  it('outlives rm --force of a running task and goes on watching the others', async () => {
    start('gone', `sh -c ${q('while :; do date > tick.txt; sleep 0.1; done')}`);
    start('kept', 'sleep 60');
    const pid = await waitFor(() => readPidFile(repo), 10_000, 'the watcher');
    await waitFor(() => (lsTask(repo, 'gone', fx.env) as { changedFiles?: number } | undefined)?.changedFiles === 1, 15_000, 'gone to be watched');
    const rm = cli(repo.root, ['rm', '--force', 'gone'], fx.env);
    expect(rm.code, rm.stderr).toBe(0);
    fs.writeFileSync(path.join(worktreeOf(repo, 'kept'), 'after.txt'), 'x\n');
    await waitFor(() => (lsTask(repo, 'kept', { ...fx.env, SUPERSET_WATCH: '0' }) as { changedFiles?: number } | undefined)?.changedFiles === 1, 15_000, 'kept to be watched still');
    expect(alive(pid)).toBe(true);
    expect(readPidFile(repo)).toBe(pid);
  });
});

describe('never two agents in one worktree', () => {
  it('a wrapper killed with -9 leaves a running task, which start refuses and stop ends', async () => {
    start('k9', 'sleep 60');
    const row = lsTask(repo, 'k9', fx.env)!;
    const wt = worktreeOf(repo, 'k9');
    await waitFor(() => agentsIn(wt).length >= 2, 10_000, 'the wrapper and its agent');
    process.kill(row.pid!, 'SIGKILL');
    await waitFor(() => !alive(row.pid!), 10_000, 'the wrapper to die');
    const agents = agentsIn(wt);
    expect(agents.length).toBeGreaterThan(0);
    expect(lsTask(repo, 'k9', fx.env)!.status).toBe('running');

    const again = cli(repo.root, ['start', 'k9', '--headless', '--agent', 'sleep 60'], fx.env);
    expect(again.code).toBe(2);
    expect(again.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(again.stderr).toMatch(/already running|still runs/);
    expect(agentsIn(wt).sort()).toEqual(agents.sort());

    const stop = cli(repo.root, ['stop', 'k9'], fx.env);
    expect(stop.code, stop.stderr).toBe(0);
    await waitFor(() => agentsIn(wt).length === 0, 10_000, 'the orphaned agent to end');
    expect(lsTask(repo, 'k9', fx.env)!.status).toBe('stopped');
  });
});

describe('an agent whose wrapper was killed', () => {
  it('is recorded by the watcher when it ends: failed (its code is unknown), its leftovers committed', async () => {
    start('orph', `sh -c ${q(`echo x > left.txt; ${waitForGo()}; exit 0`)}`);
    const row = lsTask(repo, 'orph', fx.env)!;
    await waitFor(() => readPidFile(repo), 10_000, 'the watcher');
    await waitFor(() => agentsIn(worktreeOf(repo, 'orph')).length >= 2, 10_000, 'the agent');
    process.kill(row.pid!, 'SIGKILL');
    await waitFor(() => !alive(row.pid!), 10_000, 'the wrapper to die');
    expect(lsTask(repo, 'orph', fx.env)!.status).toBe('running');
    fs.writeFileSync(goFile(), '');
    await waitFor(() => allEvents('orph').includes('exited'), 20_000, 'the watcher to record the exit');
    expect(lsTask(repo, 'orph', fx.env)).toMatchObject({ status: 'failed', exitCode: null });
    expect(gitAt(repo.root, 'log', '--format=%s', 'main..superset/orph')).toMatch(/checkpoint on exit/);
  });
});

describe('a task whose terminal went away', () => {
  for (const [how, ignored] of [
    ['the tmux server is killed', 'HUP'],
    ['its tmux session is killed', 'HUP TERM'],
  ] as const) {
    it(`is ended and recorded when ${how} (an agent that ignores ${ignored})`, async () => {
      // Like the real TUIs: the hang-up is ignored (SIGTERM too, for the second: it takes the KILL).
      const tui = agentScript('tui', `trap '' ${ignored}\necho work > tui.txt\nwhile :; do sleep 0.2; done`);
      start('tm', tui, ['--tmux']);
      const wt = worktreeOf(repo, 'tm');
      await waitFor(() => readPidFile(repo), 10_000, 'the watcher');
      await waitFor(() => agentsIn(wt).length >= 2, 10_000, 'the agent to run');
      const session = lsTask(repo, 'tm', fx.env)!.tmuxSession!;
      spawnSync('tmux', ['-L', fx.tmux.socket, ...(how === 'the tmux server is killed' ? ['kill-server'] : ['kill-session', '-t', `=${session}`])]);
      await waitFor(() => agentsIn(wt).length === 0, 20_000, 'the agent to be ended');
      const t = await waitFor(() => {
        const row = lsTask(repo, 'tm', { ...fx.env, SUPERSET_WATCH: '0' });
        return row && row.status === 'stopped' && allEvents('tm').includes('exited') ? row : undefined;
      }, 15_000, 'the end to be recorded');
      expect((t as unknown as { reason: string }).reason).toMatch(/tmux session .* went away/);
      expect(allEvents('tm')).toContain('stopped');
      // its work was kept, as on any exit
      expect(gitAt(repo.root, 'log', '--format=%s', 'main..superset/tm')).toMatch(/checkpoint on exit/);
    });
  }
});

describe('an agent that deletes its own worktree', () => {
  it('still has its exit recorded', async () => {
    start('self', `sh -c ${q('cd .. && rm -rf "$SUPERSET_WORKTREE"; exit 0')}`);
    await waitForExit(repo, 'self', 'done', fx.env);
    await waitFor(() => allEvents('self').includes('exited'), 10_000, 'the exited note');
    const log = fs.readFileSync(path.join(stateDir(repo), 'logs', 'self.log'), 'utf8');
    expect(log).not.toMatch(/uv_cwd|could not finish recording/);
  });
});

describe('locks left behind', () => {
  /** A lock as a holder that is gone would leave it. */
  const leaveLock = (file: string, content: string): void => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(file, old, old);
  };
  // The pid of a live process that is not the holder: this test's own, with another start time.
  const reused = `${process.pid} 1\n`;

  for (const [what, content] of [
    ['a dead pid', '999999999 1\n'],
    ['a pid reused by a live, unrelated process', reused],
    ['nothing (a full disk let it be made but not written)', ''],
  ] as const) {
    it(`a notes lock holding ${what} does not hold up a commit, nor lose its note`, () => {
      // No watcher: its own notes writes would break the lock for the hook.
      start('lk', 'sleep 60', ['--headless'], { SUPERSET_WATCH: '0' });
      const wt = worktreeOf(repo, 'lk');
      leaveLock(path.join(stateDir(repo), 'notes.lock'), content);
      fs.writeFileSync(path.join(wt, 'a.txt'), 'a\n');
      gitAt(wt, 'add', 'a.txt');
      // Before: the hook waited 15-30 s, then broke the lock or dropped the line.
      const res = spawnSync('git', ['commit', '-q', '-m', 'a'], { cwd: wt, env: testEnv({ ...fx.env, SUPERSET_WATCH: '0' }), encoding: 'utf8', timeout: 8_000 });
      expect(res.status, `${res.error ?? ''} ${res.stderr}`).toBe(0);
      expect(allEvents('lk')).toContain('commit');
    });
  }

  it('a commit waiting for a live holder while .git/superset is deleted still records its note', async () => {
    start('dl', 'sleep 60', ['--headless'], { SUPERSET_WATCH: '0' });
    const wt = worktreeOf(repo, 'dl');
    const dir = stateDir(repo);
    // a live holder: this test's process, with its real start time
    fs.writeFileSync(path.join(dir, 'notes.lock'), `${process.pid} ${processStart(process.pid)}\n`);
    fs.writeFileSync(path.join(wt, 'a.txt'), 'a\n');
    gitAt(wt, 'add', 'a.txt');
    const commit = spawn('git', ['commit', '-q', '-m', 'a'], { cwd: wt, env: testEnv({ ...fx.env, SUPERSET_WATCH: '0' }) });
    const done = new Promise<number | null>((r) => commit.on('close', r));
    // the hook waits with its own lock file ready beside the lock; the cache goes, both files with it
    await waitFor(() => fs.existsSync(dir) && fs.readdirSync(dir).some((f) => /^notes\.lock\.\d+\.hook$/.test(f)), 10_000, 'the hook to wait');
    fs.rmSync(dir, { recursive: true, force: true });
    expect(await done).toBe(0);
    expect(allEvents('dl')).toContain('commit');
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('notes.lock'))).toEqual([]);
  });

  it('a task lock holding a reused pid does not hold up signal', () => {
    start('sg', 'sleep 60', ['--headless'], { SUPERSET_WATCH: '0' });
    leaveLock(path.join(stateDir(repo), 'tasks', 'sg.json.lock'), reused);
    const res = spawnSync(process.execPath, [BIN, 'signal', 'sg', 'waiting'], { cwd: repo.root, env: testEnv({ ...fx.env, SUPERSET_WATCH: '0' }), encoding: 'utf8', timeout: 8_000 });
    expect(res.status, `${res.error ?? ''} ${res.stderr}`).toBe(0);
    expect(stateFile(repo, 'sg').status).toBe('waiting');
  });
});

describe('ls', () => {
  it('lists a finishing task among the running ones', () => {
    start('f1', 'sleep 60');
    cli(repo.root, ['signal', 'f1', 'done'], fx.env);
    expect(lsJson(repo, fx.env).find((t) => t.name === 'f1')!.status).toBe('finishing');
  });
});

describe('a full disk', () => {
  // A small tmpfs of our own is the only honest full disk; mounting one needs root.
  const canMount = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v mount && command -v umount'], { encoding: 'utf8' }).status === 0;
  const mounted: string[] = [];
  afterEach(() => {
    for (const dir of mounted.splice(0)) {
      spawnSync('umount', ['-l', dir]);
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });

  it.skipIf(!canMount)('an agent that exited 0 reads done, and no lock is left to hold up the next commit', async () => {
    const outer = fs.mkdtempSync(path.join(os.tmpdir(), 'superset-full-'));
    const disk = path.join(outer, 'disk');
    fs.mkdirSync(disk);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', disk], { encoding: 'utf8' });
    if (mount.status !== 0) return; // a container that forbids mounts: nothing to prove here
    mounted.push(disk);
    const root = path.join(disk, 'repo');
    fs.mkdirSync(root);
    const env = { ...fx.env, SUPERSET_WATCH: '0' };
    const g = (cwd: string, ...args: string[]) => spawnSync('git', args, { cwd, env: testEnv(env), encoding: 'utf8' });
    g(root, 'init', '-q', '-b', 'main');
    g(root, 'commit', '-q', '--allow-empty', '-m', 'init');
    const go = path.join(outer, 'go');
    const res = cli(root, ['start', 'full', '--headless', '--agent', `sh -c ${q(`while [ ! -f ${q(go)} ]; do sleep 0.05; done; exit 0`)}`], env);
    expect(res.code, res.stderr).toBe(0);
    const wrapper = (JSON.parse(cli(root, ['ls', '--json'], env).stdout) as { pid: number }[])[0]!.pid;

    // Fill it: big writes, then ever smaller ones, until not one more page is free.
    const fd = fs.openSync(path.join(disk, 'fill'), 'w');
    for (const size of [1 << 20, 1 << 16, 1 << 12, 1]) {
      const chunk = Buffer.alloc(size);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch {
        /* ENOSPC at this size */
      }
    }
    fs.closeSync(fd);
    for (let i = 0; ; i++) {
      try {
        fs.writeFileSync(path.join(disk, `small${i}`), 'x'.repeat(4096));
      } catch {
        break;
      }
    }
    fs.writeFileSync(go, '');
    await waitFor(() => !alive(wrapper), 15_000, 'the wrapper to exit');
    const t = (JSON.parse(cli(root, ['ls', '--json'], env).stdout) as { status: string; exitCode: number | null }[])[0]!;
    expect({ status: t.status, exitCode: t.exitCode }).toEqual({ status: 'done', exitCode: 0 });

    // Room again: whatever failed on the full disk left no lock behind.
    for (const f of fs.readdirSync(disk)) if (f === 'fill' || f.startsWith('small')) fs.rmSync(path.join(disk, f));
    const locks = [path.join(root, '.git/superset/notes.lock'), ...fs.readdirSync(path.join(root, '.git/superset/tasks')).filter((f) => f.endsWith('.lock')).map((f) => path.join(root, '.git/superset/tasks', f))];
    expect(locks.filter((f) => fs.existsSync(f))).toEqual([]);
    const wt = path.join(`${root}.worktrees`, 'full');
    fs.writeFileSync(path.join(wt, 'b.txt'), 'b\n');
    g(wt, 'add', 'b.txt');
    const commit = spawnSync('git', ['commit', '-q', '-m', 'b'], { cwd: wt, env: testEnv(env), encoding: 'utf8', timeout: 8_000 });
    expect(commit.status, `${commit.error ?? ''} ${commit.stderr}`).toBe(0);
  });
});
