import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { makeRepo, removeRepo, type TestRepo } from '../support/repo.js';
import { privateTmux } from '../support/tmux.js';
import { cli, waitFor } from '../support/cli.js';
import { run } from '../support/main.js';
import { isAlive as alive } from '../../src/task/process-alive.js';

/** Quotes a word for a POSIX shell script we write ourselves (temp paths may hold spaces). */
const q = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

export interface ArgvAgent {
  /** Absolute path of the agent script (usable as `--agent <path>`). */
  bin: string;
  /** The argv the agent received for a task, exactly (NUL-separated on disk), once it has run. */
  argv: (task: string) => string[] | null;
  /** The agent's environment for a task, once it has run. */
  env: (task: string) => Record<string, string> | null;
}

/**
 * A real agent that records its argv (NUL-separated, so newlines in a prompt survive) and its
 * environment, then exits with $AGENT_EXIT (default 0). Written outside the repo, under repo.dir.
 */
export function argvAgent(repo: TestRepo, name = 'argv-agent'): ArgvAgent {
  const outDir = path.join(repo.dir, `${name}-out`);
  fs.mkdirSync(outDir, { recursive: true });
  const bin = path.join(repo.dir, name);
  fs.writeFileSync(
    bin,
    `#!/bin/sh
out=${q(outDir)}/"$SUPERSET_TASK"
for a in "$@"; do printf '%s\\0' "$a"; done >"$out.argv.tmp"
env -0 >"$out.env.tmp"
mv "$out.env.tmp" "$out.env"
mv "$out.argv.tmp" "$out.argv"
exit "\${AGENT_EXIT:-0}"
`,
    { mode: 0o755 },
  );
  const read = (task: string, ext: string): string[] | null => {
    try {
      const text = fs.readFileSync(path.join(outDir, `${task}.${ext}`), 'utf8');
      return text === '' ? [] : text.replace(/\0$/, '').split('\0');
    } catch {
      return null;
    }
  };
  return {
    bin,
    argv: (task) => read(task, 'argv'),
    env: (task) => {
      const lines = read(task, 'env');
      if (!lines) return null;
      return Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    },
  };
}

export const stateDir = (repo: TestRepo): string => path.join(repo.root, '.git', 'superset');
export const taskFiles = (repo: TestRepo): string[] => {
  try {
    // dot files are the cache's own markers (.queue-checked), no task's state
    return fs.readdirSync(path.join(stateDir(repo), 'tasks')).filter((f) => !f.startsWith('.'));
  } catch {
    return [];
  }
};
export const worktreesDir = (repo: TestRepo): string => `${repo.root}.worktrees`;
export const branches = (repo: TestRepo): string[] => repo.git('for-each-ref', '--format=%(refname:short)', 'refs/heads/').split('\n').filter(Boolean);
export const worktreeCount = (repo: TestRepo): number => repo.git('worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).length;

/** Asserts-friendly snapshot of everything `start` could have created. */
export function created(repo: TestRepo): { branches: string[]; worktrees: number; worktreeDirs: string[]; stateFiles: string[] } {
  let worktreeDirs: string[] = [];
  try {
    worktreeDirs = fs.readdirSync(worktreesDir(repo));
  } catch {
    /* never made */
  }
  return { branches: branches(repo), worktrees: worktreeCount(repo), worktreeDirs, stateFiles: taskFiles(repo) };
}
export const NOTHING = { branches: ['main'], worktrees: 1, worktreeDirs: [], stateFiles: [] };

/**
 * Kills every agent process group the runtime cache knows (headless agents outlive their test
 * otherwise), and the repository's watcher: it would go on writing into .git/superset while the
 * repository is removed (ENOTEMPTY) and only notice a tick later that it is gone. Watcher tests,
 * which check it leaves when asked, pass `{ watcher: false }`.
 */
export function killAgents(repo: TestRepo, opts: { watcher?: boolean } = {}): void {
  if (opts.watcher !== false) killWatcher(repo);
  for (const f of taskFiles(repo).filter((f) => f.endsWith('.json'))) {
    try {
      const { pid } = JSON.parse(fs.readFileSync(path.join(stateDir(repo), 'tasks', f), 'utf8')) as { pid?: number };
      if (pid) process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone already */
    }
  }
}

/** SIGKILLs the repository's watcher daemon, if one is recorded (tests of its own exit stop it first). */
export function killWatcher(repo: TestRepo): void {
  try {
    const { pid } = JSON.parse(fs.readFileSync(path.join(stateDir(repo), 'watch.pid'), 'utf8')) as { pid?: number };
    if (pid && pid !== process.pid) process.kill(pid, 'SIGKILL');
  } catch {
    /* none, or gone already */
  }
}

export interface LsRow {
  name: string;
  branch: string;
  worktree: string | null;
  agent: string | null;
  status: string;
  exitCode: number | null;
  signal: string | null;
  startedAt: string | null;
  ahead: number | null;
  tmuxSession: string | null;
  pid: number | null;
  runner: string | null;
}


/** `ls --json`, parsed; fails the test on a non-zero exit. */
export function lsJson(repo: TestRepo, env: Record<string, string> = {}, cwd = repo.root): LsRow[] {
  const res = cli(cwd, ['ls', '--json'], env);
  if (res.code !== 0) throw new Error(`ls --json exited ${res.code}: ${res.stderr}`);
  return JSON.parse(res.stdout) as LsRow[];
}

export function task(repo: TestRepo, name: string, env: Record<string, string> = {}): LsRow | undefined {
  return lsJson(repo, env).find((t) => t.name === name);
}

/** `ls --json` in-process (see support/main.ts): what the polls below use, no Node start-up per poll. */
export async function lsJsonIn(repo: TestRepo, env: Record<string, string> = {}, cwd = repo.root): Promise<LsRow[]> {
  const res = await run(cwd, ['ls', '--json'], env);
  if (res.code !== 0) throw new Error(`ls --json exited ${res.code}: ${res.stderr}`);
  return JSON.parse(res.stdout) as LsRow[];
}

export async function taskIn(repo: TestRepo, name: string, env: Record<string, string> = {}): Promise<LsRow | undefined> {
  return (await lsJsonIn(repo, env)).find((t) => t.name === name);
}

export function waitForStatus(repo: TestRepo, name: string, status: string, env: Record<string, string> = {}, timeoutMs = 10_000): Promise<LsRow> {
  return waitFor(async () => {
    const t = (await lsJsonIn(repo, env)).find((r) => r.name === name);
    return t?.status === status ? t : undefined;
  }, timeoutMs, `${name} to be ${status}`);
}

/** The product's own liveness check (zombies count as dead), so tests and code agree. */
export { alive };

/**
 * Waits for the status and for the agent's wrapper to be gone: `ls` shows the exit as soon as it
 * is recorded, but the wrapper then still commits leftovers (commitOnExit) and writes notes.
 */
export async function waitForExit(repo: TestRepo, name: string, status: string, env: Record<string, string> = {}): Promise<LsRow> {
  const t = await waitForStatus(repo, name, status, env);
  if (t.pid) await waitFor(() => !alive(t.pid!), 10_000, `${name}'s wrapper to exit`);
  return t;
}

export interface AgentRepo {
  repo: TestRepo;
  tmux: ReturnType<typeof privateTmux>;
  /** The environment every CLI call of the test needs (the private tmux socket). */
  env: Record<string, string>;
}

/**
 * Registers a fresh real repository and a private tmux server for each test, and afterwards kills
 * every agent and the tmux server and removes the repository. Read the fields inside a test.
 */
export function useAgentRepo(): AgentRepo {
  const fx = {} as AgentRepo;
  beforeEach(() => {
    fx.repo = makeRepo();
    fx.tmux = privateTmux();
    fx.env = fx.tmux.env;
  });
  afterEach(() => {
    killAgents(fx.repo);
    fx.tmux.kill();
    removeRepo(fx.repo);
  });
  return fx;
}

/**
 * `git superset trust` in a repository whose config file defines agents: what a user does after
 * reading the file. Without it the file's agents are ignored (a clone's config runs nothing untrusted).
 */
export function trustConfig(root: string, env: Record<string, string> = {}): void {
  const res = cli(root, ['trust'], env);
  if (res.code !== 0) throw new Error(`git superset trust exited ${res.code}: ${res.stderr}`);
}
