import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { makeRepo, removeRepo, type TestRepo } from '../support/repo.js';
import { privateTmux } from '../support/tmux.js';
import { argvAgent, branches, killAgents, lsJson, lsJsonIn, stateDir } from './_agents.js';

// The repository is found through git's common dir from anywhere inside it.
let repo: TestRepo | undefined;
let tmux = privateTmux();
afterEach(() => {
  if (repo) {
    killAgents(repo);
    removeRepo(repo);
  }
  repo = undefined;
  tmux.kill();
  tmux = privateTmux();
});

describe('where git superset runs from', () => {
  it('a subdirectory of the main worktree', async () => {
    repo = makeRepo();
    fs.mkdirSync(path.join(repo.root, 'src', 'deep'), { recursive: true });
    const sub = path.join(repo.root, 'src', 'deep');
    const res = cli(sub, ['start', 't', '--headless', '--agent', 'true'], tmux.env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(path.join(`${repo.root}.worktrees`, 't'));
    expect(fs.existsSync(path.join(stateDir(repo), 'tasks', 't.json'))).toBe(true);
    expect(lsJson(repo, tmux.env, sub).map((t) => t.name)).toEqual(['t']);
  });

  it("inside a task's worktree: same repo, new tasks beside it, not nested in it", async () => {
    repo = makeRepo();
    const agent = argvAgent(repo);
    expect(cli(repo.root, ['start', 'outer', '--headless', '--agent', 'true'], tmux.env).code).toBe(0);
    const inner = path.join(`${repo.root}.worktrees`, 'outer');
    fs.mkdirSync(path.join(inner, 'pkg'));
    const res = cli(path.join(inner, 'pkg'), ['start', 'second', '--headless', '--agent', agent.bin, '--prompt', 'p'], tmux.env);
    expect(res.code, res.stderr).toBe(0);
    const second = path.join(`${repo.root}.worktrees`, 'second');
    expect(fs.existsSync(second)).toBe(true);
    expect(fs.existsSync(path.join(`${inner}.worktrees`))).toBe(false);
    // the base is the main worktree's HEAD, not the task's
    expect(await waitFor(() => agent.env('second'))).toMatchObject({ SUPERSET_BASE: 'main', SUPERSET_WORKTREE: second });
    expect(lsJson(repo, tmux.env, inner).map((t) => t.name).sort()).toEqual(['outer', 'second']);
    expect(fs.existsSync(path.join(inner, '.git', 'superset'))).toBe(false);
    expect(cli(inner, ['rm', 'second'], tmux.env).code).toBe(0);
    expect(branches(repo)).toEqual(['main', 'superset/outer']);
  });

  it('a repository whose path has spaces (and quotes)', async () => {
    repo = makeRepo(`my "odd" repo 's`);
    const agent = argvAgent(repo);
    for (const runner of ['--headless', '--tmux']) {
      const name = runner.slice(2);
      const res = cli(repo.root, ['start', name, runner, '--agent', agent.bin, '--prompt', 'spaced out'], tmux.env);
      expect(res.code, res.stderr).toBe(0);
      const wt = path.join(`${repo.root}.worktrees`, name);
      expect(await waitFor(() => agent.argv(name))).toEqual(['spaced out']);
      expect(agent.env(name)!.SUPERSET_WORKTREE).toBe(wt);
    }
    await waitFor(async () => (await lsJsonIn(repo!, tmux.env)).every((t) => t.status === 'done'), 10_000, 'both done');
    expect(cli(repo.root, ['logs', 'headless'], tmux.env).code).toBe(0);
    expect(cli(repo.root, ['rm', 'headless', 'tmux'], tmux.env).code).toBe(0);
    expect(branches(repo)).toEqual(['main']);
  });

  it('outside any git repository: one line, exit 2', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'superset-nogit-'));
    try {
      for (const args of [['ls'], ['start', 't', '--agent', 'true', '--headless'], ['init']]) {
        const res = cli(dir, args, { ...tmux.env, GIT_CEILING_DIRECTORIES: path.dirname(dir) });
        expect(res.code).toBe(2);
        expect(res.stderr).toMatch(/not a git repository/);
        expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
      }
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
