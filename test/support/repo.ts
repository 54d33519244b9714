import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(ROOT, 'bin/git-superset.js');

/** A deterministic environment for git in tests: no system or global config, fixed identity and dates. */
export function testEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // SUPERSET_*: a suite run inside a task's agent must not make every test task its sub-task
  for (const k of Object.keys(env)) if (k.startsWith('GIT_') || k.startsWith('SUPERSET_') || k === 'TMUX' || k === 'TMUX_PANE') delete env[k];
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    GIT_EDITOR: ':',
    TZ: 'UTC',
    CI: 'true',
    ...extra,
  };
}

export function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = testEnv()): string {
  const res = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${res.status}): ${res.stderr}`);
  return res.stdout;
}

export const gitIn = (cwd: string, ...args: string[]): string => sh('git', args, cwd).replace(/\n$/, '');

export interface TestRepo {
  /** Temp dir holding the repo (so worktrees placed beside it are cleaned up too). */
  dir: string;
  root: string;
  git: (...args: string[]) => string;
  write: (rel: string, content: string) => void;
  commit: (rel: string, content: string, message?: string) => string;
}

let template: string | null = null;

/**
 * `git init -b main` and the initial commit, made once per test process and copied for each
 * repository (four git processes less per test). Nothing in it names its own path.
 */
function templateRepo(): string {
  if (template) return template;
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'superset-template-')));
  const root = path.join(dir, 'repo');
  fs.mkdirSync(root);
  gitIn(root, 'init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(root, 'README.md'), '# test\n');
  gitIn(root, 'add', '--', 'README.md');
  gitIn(root, 'commit', '-q', '-m', 'initial commit');
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  template = root;
  return root;
}

/** A real repository in a temp dir: `git init -b main`, one commit. `name` may contain spaces. */
export function makeRepo(name = 'repo'): TestRepo {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'superset-test-')));
  const root = path.join(dir, name);
  fs.cpSync(templateRepo(), root, { recursive: true, preserveTimestamps: true });
  const repo: TestRepo = {
    dir,
    root,
    git: (...args) => gitIn(root, ...args),
    write: (rel, content) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), content);
    },
    commit: (rel, content, message = `add ${rel}`) => {
      repo.write(rel, content);
      gitIn(root, 'add', '--', rel);
      gitIn(root, 'commit', '-q', '-m', message);
      return gitIn(root, 'rev-parse', 'HEAD');
    },
  };
  return repo;
}

/**
 * SIGKILLs every process left working in the test's directory: its cwd there, or its environment
 * naming a worktree there (an agent, a dev server started by `run`, a wrapper). A test that failed
 * half-way, or a fixture that only knows the agents' pids, must not leave servers behind.
 */
export function killLeftovers(dir: string): number {
  const inside = (p: string) => p === dir || p.startsWith(dir + '/');
  let killed = 0;
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      let hit = false;
      try {
        hit = inside(fs.readlinkSync(`/proc/${pid}/cwd`));
      } catch {
        /* no cwd to read (zombie, or gone) */
      }
      if (!hit) {
        const env = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
        hit = env.some((kv) => kv.startsWith('SUPERSET_WORKTREE=') && inside(kv.slice('SUPERSET_WORKTREE='.length)));
      }
      if (hit) {
        process.kill(pid, 'SIGKILL');
        killed++;
      }
    } catch {
      /* gone already, or not ours to read */
    }
  }
  return killed;
}

export function removeRepo(repo: TestRepo): void {
  killLeftovers(repo.dir);
  // An agent's exit handler may still be writing its note for a moment: retry instead of failing.
  fs.rmSync(repo.dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}
