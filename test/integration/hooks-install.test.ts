import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gitIn, makeRepo, removeRepo, testEnv, type TestRepo } from '../support/repo.js';
import { repoAt, type Repo } from '../../src/git/repo.js';
import { setUpRecord } from '../../src/hooks/setup.js';
import { HOOK_NAMES, TASK_FILE, installWorktreeHooks, uninstallWorktreeHooks } from '../../src/hooks/install.js';

let t: TestRepo;
let repo: Repo;
const saved = { ...process.env };

beforeEach(() => {
  t = makeRepo();
  repo = repoAt(t.root, path.join(t.root, '.git'));
  Object.assign(process.env, testEnv());
  for (const k of Object.keys(process.env)) if (k.startsWith('GIT_') && !(k in testEnv())) delete process.env[k];
});
afterEach(() => {
  process.env = { ...saved };
  removeRepo(t);
});

describe('the hooks of a task worktree', () => {
  it('live in its own git dir, one script under every hook name, and go with uninstall', async () => {
    await setUpRecord(repo);
    const wt = path.join(t.dir, 'wt');
    gitIn(t.root, 'worktree', 'add', '-q', '-b', 'superset/x', wt);
    await installWorktreeHooks(repo, wt, 'x', 'agent');
    const dir = path.join(t.root, '.git/worktrees/wt/superset-hooks');
    expect(gitIn(wt, 'config', 'core.hooksPath')).toBe(dir);
    for (const name of HOOK_NAMES) expect(fs.readlinkSync(path.join(dir, name))).toBe('.hook.sh');
    expect(fs.statSync(path.join(dir, '.hook.sh')).mode & 0o111).not.toBe(0);
    await uninstallWorktreeHooks(repo, wt);
    expect(fs.existsSync(dir)).toBe(false);
  });

  it("a worktree set up by an older version (hooks under .git/superset/hooks) is moved to its own on the next set-up", async () => {
    await setUpRecord(repo);
    const wt = path.join(t.dir, 'old');
    gitIn(t.root, 'worktree', 'add', '-q', '-b', 'superset/old', wt);
    fs.writeFileSync(path.join(t.root, '.git/worktrees/old', TASK_FILE), 'old\nagent\n');
    gitIn(wt, 'config', '--worktree', 'core.hooksPath', path.join(repo.stateDir, 'hooks'));
    fs.rmSync(repo.stateDir, { recursive: true, force: true });
    await setUpRecord(repo);
    expect(gitIn(wt, 'config', 'core.hooksPath')).toBe(path.join(t.root, '.git/worktrees/old/superset-hooks'));
    gitIn(wt, 'commit', '-q', '--allow-empty', '-m', 'recorded');
    expect(gitIn(t.root, 'notes', '--ref=superset', 'show', 'superset/old')).toMatch(/"task":"old","event":"commit"/);
  });
});
