import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { gitIn, makeRepo, removeRepo, testEnv, type TestRepo } from '../support/repo.js';
import { killAgents, worktreesDir } from './_agents.js';

let repo: TestRepo;
// headless agents, no watcher daemon: these tests are about git's hooks
const env = { SUPERSET_WATCH: '0' };

beforeEach(() => {
  repo = makeRepo('repo with space');
});
afterEach(() => {
  killAgents(repo);
  removeRepo(repo);
});

const wt = (task: string): string => path.join(worktreesDir(repo), task);

/** A task whose agent exits at once; the test then commits in its worktree as the agent would. */
async function task(name: string, agent = 'true'): Promise<string> {
  const res = cli(repo.root, ['start', name, '--headless', '--agent', agent], env);
  expect(res.code, res.stderr).toBe(0);
  await waitFor(() => notes().some((l) => l.includes(`"task":"${name}","event":"exited"`)), 10_000, `${name} to exit`);
  return wt(name);
}

/** git in a directory, as a user or agent would run it: exit code and output, never throwing. */
function git(cwd: string, args: string[], extra: Record<string, string> = {}) {
  const res = spawnSync('git', args, { cwd, env: testEnv(extra), encoding: 'utf8' });
  return { code: res.status ?? -1, stdout: res.stdout, stderr: res.stderr };
}

/** Every line of every note in refs/notes/superset, read with plain git. */
function notes(): string[] {
  const list = spawnSync('git', ['notes', '--ref=superset', 'list'], { cwd: repo.root, env: testEnv(), encoding: 'utf8' });
  if (list.status !== 0) return [];
  return list.stdout
    .split('\n')
    .filter(Boolean)
    .flatMap((l) => gitIn(repo.root, 'cat-file', 'blob', l.split(' ')[0]!).split('\n'))
    .filter(Boolean);
}

const trailersOf = (cwd: string, rev = 'HEAD'): string => gitIn(cwd, 'log', '-1', '--format=%(trailers:only,unfold)', rev).trim();

function userHook(dir: string, name: string, body: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

describe('hooks in task worktrees only', () => {
  it('an agent commit gets the task trailers and a commit note; the main worktree gets neither', async () => {
    const dir = await task('auth', "sh -c 'echo hi > a.txt && git add a.txt && git commit -q -m \"Add a\"'");
    expect(trailersOf(dir, 'superset/auth')).toBe('Superset-Task: auth\nSuperset-Agent: sh');
    expect(gitIn(repo.root, 'log', '-1', '--format=%s', 'superset/auth')).toBe('Add a');
    const tip = gitIn(repo.root, 'rev-parse', 'superset/auth');
    expect(gitIn(repo.root, 'notes', '--ref=superset', 'show', tip)).toMatch(/"task":"auth","event":"commit","agent":"sh"/);

    const main = repo.commit('main.txt', 'main\n', 'Main work');
    expect(trailersOf(repo.root, main)).toBe('');
    expect(git(repo.root, ['notes', '--ref=superset', 'show', main]).code).not.toBe(0);
    // the user's own config is untouched: no hooksPath in the main worktree, ours only in the task's
    expect(git(repo.root, ['config', 'core.hooksPath']).stdout).toBe('');
    // in the worktree's own git dir: deleting the .git/superset cache leaves it in place
    expect(gitIn(dir, 'config', 'core.hooksPath')).toBe(path.join(gitIn(dir, 'rev-parse', '--absolute-git-dir'), 'superset-hooks'));
    expect(gitIn(repo.root, 'config', 'extensions.worktreeConfig')).toBe('true');
    expect(gitIn(repo.root, 'config', 'notes.displayRef')).toBe('refs/notes/superset');
  });

  it('trailers are added once, also on amend, and an empty message still aborts the commit', async () => {
    const dir = await task('amend');
    fs.writeFileSync(path.join(dir, 'x.txt'), 'x\n');
    gitIn(dir, 'add', 'x.txt');
    gitIn(dir, 'commit', '-q', '-m', 'Subject\n\nBody.\n\nCo-authored-by: A <a@example.com>');
    gitIn(dir, 'commit', '-q', '--amend', '--no-edit');
    gitIn(dir, 'commit', '-q', '--amend', '-m', 'New subject');
    expect(trailersOf(dir)).toBe('Superset-Task: amend\nSuperset-Agent: true');
    gitIn(dir, 'commit', '-q', '--amend', '--no-edit');
    expect(gitIn(dir, 'log', '-1', '--format=%B').match(/Superset-Task/g)).toHaveLength(1);
    const empty = git(dir, ['commit', '--allow-empty', '-m', '']);
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toMatch(/empty commit message/);
  });

  it("a failing user pre-commit blocks the agent's commit; the user's post-commit still runs", async () => {
    const dir = await task('guarded');
    const hooks = path.join(repo.root, '.git/hooks');
    userHook(hooks, 'pre-commit', 'if [ -f block ]; then echo "lint failed" >&2; exit 1; fi');
    userHook(hooks, 'post-commit', `printf '%s|%s\\n' "$PWD" "$#" >> "${repo.dir}/post-commit.log"`);
    fs.writeFileSync(path.join(dir, 'block'), '');
    gitIn(dir, 'add', 'block');
    const before = gitIn(dir, 'rev-parse', 'HEAD');
    const blocked = git(dir, ['commit', '-m', 'Blocked']);
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/lint failed/);
    expect(gitIn(dir, 'rev-parse', 'HEAD')).toBe(before);

    gitIn(dir, 'rm', '-q', '--cached', 'block');
    fs.rmSync(path.join(dir, 'block'));
    fs.writeFileSync(path.join(dir, 'ok.txt'), 'ok\n');
    gitIn(dir, 'add', 'ok.txt');
    const ok = git(dir, ['commit', '-q', '-m', 'Allowed']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(fs.readFileSync(path.join(repo.dir, 'post-commit.log'), 'utf8')).toBe(`${dir}|0\n`);
    expect(trailersOf(dir)).toMatch(/Superset-Task: guarded/);
  });

  it('the user hook gets the same arguments and stdin (pre-push)', async () => {
    const dir = await task('pusher');
    const remote = path.join(repo.dir, 'remote.git');
    gitIn(repo.dir, 'init', '-q', '--bare', remote);
    userHook(path.join(repo.root, '.git/hooks'), 'pre-push', `{ echo "args: $*"; cat; } > "${repo.dir}/pre-push.log"`);
    const res = git(dir, ['push', '-q', remote, 'HEAD:refs/heads/pushed']);
    expect(res.code, res.stderr).toBe(0);
    const log = fs.readFileSync(path.join(repo.dir, 'pre-push.log'), 'utf8');
    expect(log).toMatch(new RegExp(`^args: ${remote.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${remote.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));
    expect(log).toMatch(/^HEAD [0-9a-f]{40} refs\/heads\/pushed 0{40}$/m);
  });

  it('a husky-style relative core.hooksPath runs, from the task worktree, or the main one when generated there only', async () => {
    // committed hooks dir (relative to the worktree the hook runs in)
    userHook(path.join(repo.root, '.hooks'), 'commit-msg', 'echo "checked in $(basename "$PWD")" >> "$(git rev-parse --git-common-dir)/../../hook.log"; grep -q "^Bad" "$1" && exit 1; exit 0');
    gitIn(repo.root, 'add', '.hooks');
    gitIn(repo.root, 'commit', '-q', '-m', 'Add hooks');
    gitIn(repo.root, 'config', 'core.hooksPath', '.hooks');
    const dir = await task('husky');
    gitIn(dir, 'commit', '-q', '--allow-empty', '-m', 'Good');
    expect(fs.readFileSync(path.join(repo.dir, 'hook.log'), 'utf8')).toBe('checked in husky\n');
    expect(git(dir, ['commit', '-q', '--allow-empty', '-m', 'Bad one']).code).toBe(1);
    expect(gitIn(dir, 'log', '-1', '--format=%s')).toBe('Good');

    // husky's `.husky/_` is generated and gitignored: a fresh worktree lacks it, the main one has it
    userHook(path.join(repo.root, '.generated/_'), 'pre-commit', `echo "generated hook in $(basename "$PWD")" >> "${repo.dir}/gen.log"`);
    fs.writeFileSync(path.join(repo.root, '.generated/.gitignore'), '*\n');
    gitIn(repo.root, 'config', 'core.hooksPath', '.generated/_');
    gitIn(dir, 'commit', '-q', '--allow-empty', '-m', 'Again');
    expect(fs.readFileSync(path.join(repo.dir, 'gen.log'), 'utf8')).toBe('generated hook in husky\n');
  });

  it('SUPERSET=0 skips our part but not the user hook; our failing bookkeeping never fails the commit', async () => {
    const dir = await task('quiet');
    userHook(path.join(repo.root, '.git/hooks'), 'post-commit', `echo ran >> "${repo.dir}/user.log"`);
    gitIn(dir, 'commit', '-q', '--allow-empty', '-m', 'Unrecorded');
    const skipped = git(dir, ['commit', '-q', '--allow-empty', '-m', 'Skipped'], { SUPERSET: '0' });
    expect(skipped.code).toBe(0);
    expect(trailersOf(dir)).toBe('');
    expect(git(repo.root, ['notes', '--ref=superset', 'show', gitIn(dir, 'rev-parse', 'HEAD')]).code).not.toBe(0);
    expect(fs.readFileSync(path.join(repo.dir, 'user.log'), 'utf8')).toBe('ran\nran\n');

    // refs/notes/superset cannot be written (a ref below it blocks it): the commit still succeeds
    gitIn(repo.root, 'update-ref', '-d', 'refs/notes/superset');
    gitIn(repo.root, 'update-ref', 'refs/notes/superset/blocker', 'HEAD');
    const res = git(dir, ['commit', '-q', '--allow-empty', '-m', 'Still commits']);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/^git superset: could not record the commit/m);
    expect(gitIn(dir, 'log', '-1', '--format=%s')).toBe('Still commits');
    expect(trailersOf(dir)).toMatch(/Superset-Task: quiet/);
  });

  it('rm leaves no worktree config behind', async () => {
    const dir = await task('gone');
    const admin = gitIn(dir, 'rev-parse', '--absolute-git-dir');
    expect(fs.existsSync(path.join(admin, 'config.worktree'))).toBe(true);
    expect(cli(repo.root, ['rm', 'gone'], env).code).toBe(0);
    expect(fs.existsSync(admin)).toBe(false);
    expect(git(repo.root, ['config', '--get-regexp', 'hookspath|superset']).stdout).toBe('');
    expect(notes().some((l) => l.includes('"task":"gone","event":"removed"'))).toBe(true);
  });
});

describe('20 agents committing at the same instant', () => {
  it('gives 20 commit notes, none lost', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `a${i}`);
    const go = path.join(repo.dir, 'go');
    // each agent waits for the same signal, then commits
    const agent = `sh -c 'while [ ! -f "${go}" ]; do sleep 0.01; done; echo "$SUPERSET_TASK" > work.txt; git add work.txt; git commit -q -m "work of $SUPERSET_TASK"'`;
    const res = cli(repo.root, ['start', ...names, '--headless', '--agent', agent], env);
    expect(res.code, res.stderr).toBe(0);
    fs.writeFileSync(go, '');
    await waitFor(() => notes().filter((l) => l.includes('"event":"exited"')).length === 20, 30_000, '20 exits');
    const lines = notes();
    for (const name of names) {
      const tip = gitIn(repo.root, 'rev-parse', `superset/${name}`);
      expect(gitIn(repo.root, 'log', '-1', '--format=%s', tip)).toBe(`work of ${name}`);
      expect(gitIn(repo.root, 'notes', '--ref=superset', 'show', tip)).toMatch(new RegExp(`"task":"${name}","event":"commit"`));
    }
    expect(lines.filter((l) => l.includes('"event":"commit"'))).toHaveLength(20);
    expect(lines.filter((l) => l.includes('"event":"started"'))).toHaveLength(20);
  });
});

describe('real husky from npm', () => {
  it('its pre-commit runs in task worktrees and blocks when it fails', async () => {
    fs.writeFileSync(path.join(repo.root, 'package.json'), JSON.stringify({ name: 'husky-test', version: '1.0.0', private: true }) + '\n');
    const npmEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    const install = spawnSync('npm', ['install', '--no-save', '--silent', 'husky@9'], { cwd: repo.root, env: npmEnv, encoding: 'utf8', timeout: 120_000 });
    if (install.status !== 0) {
      console.warn(`skipping the real-husky test: npm could not install husky (${(install.stderr || String(install.error)).trim().split('\n').pop()})`);
      return;
    }
    const init = spawnSync('npx', ['--no-install', 'husky', 'init'], { cwd: repo.root, env: { ...npmEnv, ...testEnv() }, encoding: 'utf8' });
    expect(init.status, init.stderr).toBe(0);
    expect(gitIn(repo.root, 'config', 'core.hooksPath')).toBe('.husky/_');
    fs.writeFileSync(path.join(repo.root, '.husky/pre-commit'), `echo "husky ran in $(basename "$PWD")" >> "${repo.dir}/husky.log"\n[ ! -f fail ]\n`);
    fs.writeFileSync(path.join(repo.root, '.gitignore'), 'node_modules\n');
    gitIn(repo.root, 'add', '.husky/pre-commit', '.gitignore', 'package.json');
    gitIn(repo.root, 'commit', '-q', '-m', 'Add husky');
    fs.writeFileSync(path.join(repo.dir, 'husky.log'), '');

    const dir = await task('withhusky');
    const ok = git(dir, ['commit', '-q', '--allow-empty', '-m', 'Passes husky']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(fs.readFileSync(path.join(repo.dir, 'husky.log'), 'utf8')).toBe('husky ran in withhusky\n');
    expect(trailersOf(dir)).toMatch(/Superset-Task: withhusky/);
    fs.writeFileSync(path.join(dir, 'fail'), '');
    gitIn(dir, 'add', 'fail');
    const blocked = git(dir, ['commit', '-q', '-m', 'Fails husky']);
    expect(blocked.code).not.toBe(0);
    expect(gitIn(dir, 'log', '-1', '--format=%s')).toBe('Passes husky');
  }, 180_000);
});
