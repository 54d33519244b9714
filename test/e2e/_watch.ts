import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach } from 'vitest';
import { makeRepo, removeRepo, type TestRepo } from '../support/repo.js';
import { cli, waitFor } from '../support/cli.js';
import { privateTmux } from '../support/tmux.js';
import { killAgents, stateDir } from './_agents.js';
import { isAlive as alive } from '../../src/task/process-alive.js';

/**
 * Small timings so the watcher's quiet and idle periods pass within a test. With the 500 ms tick
 * below a task goes idle 3-3.5 s after its last activity (it was 2-4 s with idleSeconds 2 and the
 * default 2 s tick): as soon on average, and never sooner than 3 s for tests that read `running`.
 */
export const FAST_CONFIG = { idleSeconds: 3, snapshot: { quietSeconds: 1 } };

export interface WatchFixture {
  env: Record<string, string>;
  tmux: ReturnType<typeof privateTmux>;
}

/** The watcher's tick in tests (SUPERSET_WATCH_TICK_MS; 2 s by default): what it reacts within. */
export const WATCH_TICK_MS = 500;

/**
 * How long a test watches for something that must NOT happen: the quiet period plus two ticks,
 * by which the watcher has had its chance (a negative check cannot wait on a condition).
 */
export const noReaction = (quietSeconds = FAST_CONFIG.snapshot.quietSeconds): Promise<void> =>
  new Promise((r) => setTimeout(r, quietSeconds * 1000 + 2 * WATCH_TICK_MS));

/** Config committed, so task worktrees start clean; the daemon leaves 3 s after its last live task. */
export function setUpWatchRepo(repo: TestRepo, config: object = FAST_CONFIG): WatchFixture {
  repo.commit('.supersetrc.json', JSON.stringify(config) + '\n', 'superset config');
  repo.commit('.gitignore', 'dist/\n*.log\n', 'ignore build output');
  const tmux = privateTmux();
  return { tmux, env: { ...tmux.env, SUPERSET_WATCH_LINGER_SECONDS: '3', SUPERSET_WATCH_TICK_MS: String(WATCH_TICK_MS) } };
}

export function readPidFile(repo: TestRepo): number | null {
  try {
    return (JSON.parse(fs.readFileSync(path.join(stateDir(repo), 'watch.pid'), 'utf8')) as { pid: number }).pid;
  } catch {
    return null;
  }
}

/** The product's own liveness check (zombies count as dead), so tests and code agree. */
export { alive };

/** Stops agents first (so no command restarts the watcher), then the watcher; fails loudly if it survives. */
export async function tearDownWatch(repo: TestRepo, fx: WatchFixture): Promise<void> {
  killAgents(repo, { watcher: false });
  const pid = readPidFile(repo);
  cli(repo.root, ['watch', '--stop'], { ...fx.env, SUPERSET_WATCH: '0' });
  if (pid) {
    await waitFor(() => !alive(pid), 10_000, `watcher ${pid} to exit`).catch(() => {
      process.kill(pid, 'SIGKILL');
      throw new Error(`watcher ${pid} outlived its test`);
    });
  }
  fx.tmux.kill();
}

/** The task's runtime record as the watcher wrote it (no settling by ls). */
export function stateFile(repo: TestRepo, task: string): Record<string, unknown> & { status: string } {
  return JSON.parse(fs.readFileSync(path.join(stateDir(repo), 'tasks', `${task}.json`), 'utf8'));
}

export const worktreeOf = (repo: TestRepo, task: string): string => path.join(`${repo.root}.worktrees`, task);

export function gitAt(cwd: string, ...args: string[]): string {
  const res = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`git ${args.join(' ')}: ${res.stderr}`);
  return res.stdout.replace(/\n$/, '');
}

export const snapshotCount = (repo: TestRepo, task: string): number => {
  const res = spawnSync('git', ['rev-list', '--count', `refs/superset/snapshots/${task}`, '--not', `superset/${task}`], { cwd: repo.root, encoding: 'utf8' });
  return res.status === 0 ? Number(res.stdout.trim()) : 0;
};

export interface FakeAgentRepo {
  repo: TestRepo;
  fx: WatchFixture;
  /** Put first on the agents' PATH: fake agent CLIs go here. */
  binDir: string;
}

/**
 * A repository per test with a watcher config committed (`config`, small timings by default); the
 * daemon, agents and tmux server are gone and the repository removed afterwards.
 */
export function useWatchRepo(config: object = FAST_CONFIG): { repo: TestRepo; fx: WatchFixture } {
  const w = {} as { repo: TestRepo; fx: WatchFixture };
  beforeEach(() => {
    w.repo = makeRepo();
    w.fx = setUpWatchRepo(w.repo, config);
  });
  afterEach(async () => {
    await tearDownWatch(w.repo, w.fx);
    removeRepo(w.repo);
  });
  return w;
}

/**
 * A watched repository per test whose PATH starts with a directory for fake agent CLIs. No idle
 * timeout within a test: statuses here come from the agents' own signals.
 */
export function useFakeAgentRepo(): FakeAgentRepo {
  const w = useWatchRepo({ idleSeconds: 600, snapshot: { quietSeconds: 1 } });
  const f = {} as FakeAgentRepo;
  beforeEach(() => {
    Object.assign(f, w, { binDir: path.join(w.repo.dir, 'bin') });
    fs.mkdirSync(f.binDir);
    f.fx.env.PATH = `${f.binDir}:${process.env.PATH}`;
  });
  return f;
}

/** A fake CLI `name` on the fixture's PATH: `dump` prints NUL-separated words to stdout, saved per task; then it waits like a TUI. */
function fakeCli(f: FakeAgentRepo, name: string, dump: string): (task: string) => Promise<string[]> {
  const out = path.join(f.repo.dir, `${name}-out`);
  fs.mkdirSync(out, { recursive: true });
  const file = `'${out}'/"$SUPERSET_TASK"`;
  fs.writeFileSync(path.join(f.binDir, name), `#!/bin/sh\n${dump} > ${file}.tmp\nmv ${file}.tmp ${file}\nexec sleep 120\n`, { mode: 0o755 });
  return (task) =>
    waitFor(() => {
      try {
        return fs.readFileSync(path.join(out, task), 'utf8').replace(/\0$/, '').split('\0');
      } catch {
        return undefined;
      }
    }, 10_000, `the fake ${name} to run`);
}

/** A fake agent CLI that records its argv. */
export const fakeArgvAgent = (f: FakeAgentRepo, name: string): ((task: string) => Promise<string[]>) =>
  fakeCli(f, name, `for a in "$@"; do printf '%s\\0' "$a"; done`);

/** A fake agent CLI that records its environment. */
export function fakeEnvAgent(f: FakeAgentRepo, name: string): (task: string) => Promise<Record<string, string>> {
  const words = fakeCli(f, name, 'env -0');
  return async (task) => Object.fromEntries((await words(task)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}
