import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { run } from '../support/main.js';
import { spawnSync } from 'node:child_process';
import { BIN, testEnv, type TestRepo } from '../support/repo.js';
import { alive, branches, lsJson, trustConfig, useAgentRepo, waitForExit, worktreesDir } from './_agents.js';

// conflicts, diff and merge on real repositories, with shell agents whose work commit-on-exit commits.
let repo: TestRepo;
let env: Record<string, string>;
const fx = useAgentRepo();
beforeEach(() => {
  ({ repo } = fx);
  env = { ...fx.env, SUPERSET_WATCH: '0' };
});

const wt = (name: string): string => path.join(worktreesDir(repo), name);

/** A headless task whose agent runs `script` in its worktree and exits; its changes are committed on exit. */
async function done(name: string, script: string): Promise<void> {
  const res = cli(repo.root, ['start', name, '--headless', '--agent', `sh -c '${script}'`], env);
  expect(res.code, res.stderr).toBe(0);
  await waitForExit(repo, name, 'done', env);
}

interface ConflictsJson {
  conflicts: { a: string; b: string; withBase: boolean; files: string[] }[];
  tasks: number;
  merges: number;
}
const conflicts = async (...args: string[]): Promise<{ code: number; json: ConflictsJson }> => {
  const res = await run(repo.root, ['conflicts', '--json', ...args], env);
  expect(res.stderr).toBe('');
  return { code: res.code, json: JSON.parse(res.stdout) as ConflictsJson };
};

/** Everything a merge must leave alone when it does not merge. */
const mainState = () => ({
  head: repo.git('rev-parse', 'HEAD'),
  branch: repo.git('symbolic-ref', 'HEAD'),
  status: repo.git('status', '--porcelain', '--untracked-files=all'),
  index: repo.git('ls-files', '-s'),
  readme: fs.readFileSync(path.join(repo.root, 'README.md'), 'utf8'),
  refs: repo.git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads'),
});

/** The merge gate, trusted as a user would after reading it (untrusted, `test` is ignored). */
const setTest = (command: string) => {
  fs.writeFileSync(path.join(repo.root, '.supersetrc.json'), JSON.stringify({ test: command }));
  trustConfig(repo.root, env);
};

describe('conflicts', () => {
  it('reports two tasks changing the same line as a pair with the file, not a task adding a new file; merges only that pair', async () => {
    await done('t1', 'echo one > README.md');
    await done('t2', 'echo two > README.md');
    await done('t3', 'echo new > new.txt');
    const refsBefore = repo.git('for-each-ref');
    const text = await run(repo.root, ['conflicts'], env);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe('t1 x t2: conflict in README.md\n');
    const { code, json } = await conflicts();
    expect(code).toBe(1);
    expect(json.conflicts).toEqual([{ a: 't1', b: 't2', withBase: false, files: ['README.md'] }]);
    // the base has not moved: no task needs a merge against it, and only t1 x t2 shares a path
    expect(json.tasks).toBe(3);
    expect(json.merges).toBe(1);
    // nothing was touched: no ref, no index, no work tree
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(repo.git('for-each-ref')).toBe(refsBefore);
    expect(branches(repo)).toEqual(['main', 'superset/t1', 'superset/t2', 'superset/t3']);
  });

  it('against the base: only tasks whose paths the base changed are merged, and a clean result exits 0', async () => {
    await done('t1', 'echo one > README.md');
    await done('t3', 'echo new > new.txt');
    expect((await conflicts()).code).toBe(0);
    repo.commit('README.md', 'main moved on\n', 'main edits README');
    repo.commit('other.txt', 'x\n', 'main adds a file');
    const { code, json } = await conflicts();
    expect(code).toBe(1);
    expect(json.conflicts).toEqual([{ a: 't1', b: 'main', withBase: true, files: ['README.md'] }]);
    expect(json.merges).toBe(1);
    expect((await run(repo.root, ['conflicts'], env)).stdout).toBe('t1 x main: conflict in README.md\n');
    // focused on t3: nothing
    expect(await conflicts('t3')).toMatchObject({ code: 0, json: { conflicts: [] } });
  });

  it('refuses an unknown task with one line', async () => {
    const res = await run(repo.root, ['conflicts', 'nope'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('git superset: no such task: nope (see git superset ls)\n');
  });
});

describe('diff', () => {
  it('shows the committed part and the uncommitted part, labelled; --committed only the first; options pass through', async () => {
    await done('d', 'echo new > new.txt');
    fs.writeFileSync(path.join(wt('d'), 'README.md'), 'edited in the worktree\n');
    fs.writeFileSync(path.join(wt('d'), 'loose.txt'), 'untracked\n');
    const all = await run(repo.root, ['diff', 'd'], env);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/^# committed on the branch \(main\.\.\.superset\/d\)\ndiff --git a\/new\.txt b\/new\.txt\n/);
    expect(all.stdout).toContain(`# uncommitted in ${wt('d')} (against HEAD)\ndiff --git a/README.md b/README.md`);
    expect(all.stdout).toContain(`# untracked in ${wt('d')}: loose.txt\n`);
    const committed = await run(repo.root, ['diff', 'd', '--committed', '--stat'], env);
    expect(committed.stdout).toMatch(/^ new\.txt \| 1 \+\n 1 file changed, 1 insertion\(\+\)\n$/);
    const names = await run(repo.root, ['diff', 'd', '--name-only', '--', 'README.md'], env);
    expect(names.stdout).toBe(`# uncommitted in ${wt('d')} (against HEAD)\nREADME.md\n`);
  });
});

describe('diff on a terminal', () => {
  it('colours as git diff would and goes through git\'s pager', async () => {
    await done('d', 'echo new > new.txt');
    // a tmux pane is a terminal; the pager marks every line it shows
    const tmuxArgs = ['-L', fx.tmux.socket];
    const started = spawnSync('tmux', [...tmuxArgs, 'new-session', '-d', '-s', 'view', '-x', '200', '-y', '50', '-c', repo.root, '--',
      'env', '-u', 'CI', 'GIT_PAGER=sed s/^/P:/', 'sh', '-c', '"$0" "$1" diff d; echo "[exit $?]"; exec sleep 60', process.execPath, BIN], { env: testEnv(env) });
    expect(started.status).toBe(0);
    const screen = await waitFor(() => {
      const out = spawnSync('tmux', [...tmuxArgs, 'capture-pane', '-p', '-e', '-t', '=view:'], { encoding: 'utf8' }).stdout;
      return out.includes('[exit ') ? out : undefined;
    }, 15_000, 'the diff on screen');
    expect(screen).toContain('[exit 0]');
    expect(screen).toMatch(/P:# committed on the branch \(main\.\.\.superset\/d\)/);
    expect(screen).toMatch(/P:\x1b\[1mdiff --git a\/new\.txt b\/new\.txt/);
    expect(screen).toMatch(/P:\x1b\[32m\+new/);
  });
});

describe('merge', () => {
  it('merges a clean task into the base and cleans up its worktree, branch and state', async () => {
    await done('m', 'echo new > new.txt');
    repo.commit('other.txt', 'x\n', 'main moves on');
    const res = cli(repo.root, ['merge', 'm'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^merged m into main \(merge commit [0-9a-f]{12}\); worktree and branch removed\n$/);
    expect(fs.readFileSync(path.join(repo.root, 'new.txt'), 'utf8')).toBe('new\n');
    expect(repo.git('rev-list', '--parents', '-1', 'HEAD').split(' ')).toHaveLength(3);
    expect(repo.git('log', '-1', '--format=%B')).toMatch(/^Merge branch 'superset\/m'\n\nSuperset-Task: m\nSuperset-Agent: sh/);
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(branches(repo)).toEqual(['main']);
    expect(fs.existsSync(wt('m'))).toBe(false);
    expect(lsJson(repo, env)).toEqual([]);
    const events = cli(repo.root, ['log', 'm', '--json'], env);
    const merged = (JSON.parse(events.stdout) as { event: string; target?: string; strategy?: string }[]).find((e) => e.event === 'merged');
    expect(merged).toMatchObject({ target: 'main', strategy: 'merge' });
  });

  it('--squash makes one commit with the prompt as subject and the task trailers; --keep keeps the task', async () => {
    const res0 = cli(repo.root, ['start', 'sq', '--headless', '--prompt', 'Add the new file\nwith details', '--agent', `sh -c 'echo a > a.txt; git add a.txt; git commit -qm one; echo b > b.txt' agent`], env);
    expect(res0.code, res0.stderr).toBe(0);
    await waitForExit(repo, 'sq', 'done', env);
    const before = repo.git('rev-parse', 'HEAD');
    const res = cli(repo.root, ['merge', 'sq', '--squash', '--keep'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(repo.git('rev-parse', 'HEAD^')).toBe(before);
    const body = repo.git('log', '-1', '--format=%B');
    expect(body.split('\n')[0]).toBe('Add the new file');
    expect(body).toMatch(/\n\nSuperset-Task: sq\nSuperset-Agent: sh\n*$/);
    expect(repo.git('show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual(['a.txt', 'b.txt']);
    expect(branches(repo)).toContain('superset/sq');
    expect(fs.existsSync(wt('sq'))).toBe(true);
  });

  it('--rebase replays the commits onto the moved base (linear history); --ff-only refuses when the base moved', async () => {
    await done('lin', 'echo new > new.txt');
    await done('ff', 'echo ff > ff.txt');
    repo.commit('other.txt', 'x\n', 'main moves on');
    const refused = await run(repo.root, ['merge', 'ff', '--ff-only'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('git superset: main has moved since ff forked: not a fast-forward (git superset rebase ff, or merge without --ff-only)\n');
    const moved = repo.git('rev-parse', 'HEAD');
    const res = cli(repo.root, ['merge', 'lin', '--rebase'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^merged lin into main \(rebase [0-9a-f]{12}\); worktree and branch removed\n$/);
    expect(repo.git('rev-parse', 'HEAD^')).toBe(moved);
    expect(repo.git('rev-list', '--merges', '--count', 'HEAD')).toBe('0');
    expect(repo.git('log', '-1', '--format=%B')).toMatch(/Superset-Task: lin/);
    // the temporary worktree of the rebase is gone
    expect(repo.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(2);
  });

  it('--rebase that conflicts changes nothing and names the file', async () => {
    await done('rc', 'echo theirs > README.md');
    repo.commit('README.md', 'ours\n', 'main edits README');
    const before = mainState();
    const res = cli(repo.root, ['merge', 'rc', '--rebase'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('rc conflicts with main in README.md: nothing was changed\n');
    expect(mainState()).toEqual(before);
    expect(repo.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(2);
  });

  it('--force merges a running task and then ends its agent', async () => {
    const res0 = cli(repo.root, ['start', 'run', '--headless', '--agent', `sh -c 'echo x > x.txt; git add x.txt; git commit -qm x; exec sleep 60'`], env);
    expect(res0.code, res0.stderr).toBe(0);
    await waitFor(() => branches(repo).includes('superset/run') && repo.git('rev-list', '--count', 'main..superset/run') === '1', 10_000, 'the commit');
    const pid = lsJson(repo, env).find((t) => t.name === 'run')!.pid!;
    const res = cli(repo.root, ['merge', 'run', '--force'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(fs.readFileSync(path.join(repo.root, 'x.txt'), 'utf8')).toBe('x\n');
    await waitFor(() => !alive(pid), 10_000, 'the agent to end');
    expect(branches(repo)).toEqual(['main']);
  });

  it('refuses to merge into a dirty main worktree, changing nothing', async () => {
    await done('m', 'echo new > new.txt');
    fs.writeFileSync(path.join(repo.root, 'README.md'), 'local edit\n');
    const before = mainState();
    const res = await run(repo.root, ['merge', 'm'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('git superset: cannot merge m: the main worktree has 1 uncommitted change: commit or stash them first\n');
    expect(mainState()).toEqual(before);
    expect(branches(repo)).toContain('superset/m');
  });

  it('refuses a running task unless --force, and a task with uncommitted work', async () => {
    const res0 = cli(repo.root, ['start', 'live', '--headless', '--agent', `sh -c 'echo x > x.txt; git add x.txt; git commit -qm x; sleep 30'`], env);
    expect(res0.code, res0.stderr).toBe(0);
    const res = await run(repo.root, ['merge', 'live'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^git superset: cannot merge live: live is still running: git superset stop live first, or use --force\n$/);
    await done('dirty', 'echo new > new.txt');
    fs.writeFileSync(path.join(wt('dirty'), 'more.txt'), 'not committed\n');
    const res2 = await run(repo.root, ['merge', 'dirty'], env);
    expect(res2.code).toBe(2);
    expect(res2.stderr).toMatch(/dirty has 1 uncommitted file: commit them in its worktree first/);
  });

  it('a conflicting merge leaves HEAD, index and worktree exactly as before, names the file and suggests the next step', async () => {
    await done('c', 'echo theirs > README.md');
    repo.commit('README.md', 'ours\n', 'main edits README');
    fs.writeFileSync(path.join(repo.root, 'untracked.txt'), 'keep me\n');
    const before = mainState();
    const res = await run(repo.root, ['merge', 'c'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('c conflicts with main in README.md: nothing was changed\n');
    expect(res.stderr).toContain('git superset rebase c');
    expect(res.stderr).toContain('git superset send c "rebase onto main and resolve the conflict in README.md"');
    expect(mainState()).toEqual(before);
    expect(fs.readFileSync(path.join(repo.root, 'untracked.txt'), 'utf8')).toBe('keep me\n');
    expect(branches(repo)).toContain('superset/c');
    expect(repo.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(2);
  });

  it('a failing test blocks the merge: the base stays, the output tail and exit code are shown, the next task is not merged', async () => {
    await done('bad', 'echo broken > broken.txt');
    await done('good', 'echo fine > fine.txt');
    setTest('echo checking; test ! -f broken.txt || { echo "broken.txt is there" >&2; exit 3; }');
    const before = mainState();
    const res = await run(repo.root, ['merge', 'bad', 'good'], env);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('bad: test failed (exit 3); main was not changed\n');
    expect(res.stderr).toContain('  | broken.txt is there');
    expect(res.stdout).toContain('skipped good: not merged: bad did not merge');
    expect(mainState()).toEqual(before);
    expect(branches(repo)).toEqual(['main', 'superset/bad', 'superset/good']);
    // the gate ran in a temporary worktree, which is gone
    expect(repo.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(3);
    // it passes for the good one, which merges; --no-test skips the gate
    const ok = cli(repo.root, ['merge', 'good'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/merged good into main \(fast-forward [0-9a-f]{12}, test passed in/);
    const skip = cli(repo.root, ['merge', 'bad', '--no-test'], env);
    expect(skip.code, skip.stderr).toBe(0);
    expect(fs.existsSync(path.join(repo.root, 'broken.txt'))).toBe(true);
  });

  it('an untrusted test gate refuses the merge (its tests would be skipped); --no-test merges', async () => {
    await done('ut', 'echo fine > fine.txt');
    fs.writeFileSync(path.join(repo.root, '.supersetrc.json'), JSON.stringify({ test: 'exit 1' }));
    const before = mainState();
    const res = await run(repo.root, ['merge', 'ut'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^git superset: config test is not trusted, so merge cannot run it: review .*\.supersetrc\.json and run 'git superset trust', or merge with --no-test$/m);
    expect(mainState()).toEqual(before);
    const skip = cli(repo.root, ['merge', 'ut', '--no-test'], env);
    expect(skip.code, skip.stderr).toBe(0);
  });

  it('--ready merges the clean ones in start order and skips the conflicting one', async () => {
    await done('r1', 'echo one > README.md');
    await done('r2', 'echo new > new.txt');
    await done('r3', 'echo three > README.md');
    const res0 = cli(repo.root, ['start', 'busy', '--headless', '--agent', 'sleep 30'], env);
    expect(res0.code).toBe(0);
    const res = cli(repo.root, ['merge', '--ready'], env);
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^merged r1 into main \(fast-forward/);
    expect(lines[1]).toMatch(/^merged r2 into main \(merge commit/);
    expect(lines[2]).toBe('skipped r3: conflicts with main in README.md');
    expect(lines[3]).toBe('skipped busy: still running');
    expect(fs.readFileSync(path.join(repo.root, 'README.md'), 'utf8')).toBe('one\n');
    expect(branches(repo)).toEqual(['main', 'superset/busy', 'superset/r3']);
  });
});

describe('rebase', () => {
  it('rebases onto the newest base in the worktree; a conflict is left mid-rebase there and named', async () => {
    await done('rb', 'echo new > new.txt');
    repo.commit('other.txt', 'x\n', 'main moves on');
    const res = cli(repo.root, ['rebase', 'rb'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^rebased rb onto main \([0-9a-f]{12} -> [0-9a-f]{12}\)\n$/);
    expect(repo.git('merge-base', '--is-ancestor', 'main', 'superset/rb')).toBe('');
    expect((await run(repo.root, ['rebase', 'rb'], env)).stdout).toBe('rb is already on top of main\n');

    await done('rc', 'echo theirs > README.md');
    repo.commit('README.md', 'ours\n', 'main edits README');
    const before = repo.git('rev-parse', 'HEAD');
    const conflict = cli(repo.root, ['rebase', 'rc'], env);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('rc: rebase onto main stopped on a conflict in README.md\n');
    expect(fs.existsSync(path.join(repo.root, '.git/worktrees/rc/rebase-merge'))).toBe(true);
    expect(repo.git('rev-parse', 'HEAD')).toBe(before);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('refuses while the agent runs, unless --force', async () => {
    expect(cli(repo.root, ['start', 'busy', '--headless', '--agent', 'sleep 30'], env).code).toBe(0);
    const res = await run(repo.root, ['rebase', 'busy'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('git superset: busy is still running: stop it first, or use --force\n');
    expect(cli(repo.root, ['rebase', 'busy', '--force'], env).stdout).toBe('busy is already on top of main\n');
  });
});

describe('compare', () => {
  it('one row per variant of a best-of-N group, with the test run in each worktree: pass and fail', async () => {
    const agent = (name: string, script: string): string => {
      const file = path.join(repo.dir, name);
      fs.writeFileSync(file, `#!/bin/sh\n${script}\n`, { mode: 0o755 });
      return file;
    };
    const good = agent('good', 'echo good > good.txt; printf "a\\nb\\n" >> README.md');
    const bad = agent('bad', 'echo bad > bad.txt');
    const res0 = cli(repo.root, ['start', 'pick', '--headless', '--agents', `${good},${bad}`, '--prompt', 'do it'], env);
    expect(res0.code, res0.stderr).toBe(0);
    await waitForExit(repo, 'pick-good', 'done', env);
    await waitForExit(repo, 'pick-bad', 'done', env);
    setTest('test -f good.txt');
    const res = cli(repo.root, ['compare', 'pick', '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    const rows = JSON.parse(res.stdout) as { task: string; status: string; commits: number; files: number; insertions: number; test: { passed: boolean; exitCode: number } }[];
    expect(rows.map((r) => r.task)).toEqual(['pick-bad', 'pick-good']);
    expect(rows[0]).toMatchObject({ status: 'done', commits: 1, files: 1, insertions: 1, test: { passed: false, exitCode: 1 } });
    expect(rows[1]).toMatchObject({ status: 'done', commits: 1, files: 2, insertions: 3, test: { passed: true, exitCode: 0 } });
    const table = cli(repo.root, ['compare', 'pick'], env).stdout.split('\n');
    expect(table[0]).toMatch(/^VARIANT\s+AGENT\s+STATUS\s+COMMITS\s+FILES\s+LINES\s+TEST$/);
    expect(table[1]).toMatch(/^pick-bad .* done .* \+1 -0\s+fail \(1\) \d+\.\ds$/);
    expect(table[2]).toMatch(/^pick-good .* \+3 -0\s+pass \d+\.\ds$/);
    expect(cli(repo.root, ['compare', 'pick', '--no-test', '--json'], env).stdout).toContain('"test": null');
    const none = await run(repo.root, ['compare', 'nothing'], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('git superset: no variants of nothing: start them with git superset start nothing --agents a,b\n');
  });
});

describe('ls overlap warning', () => {
  it('marks tasks that touch a file another unmerged task touches, committed or in its last snapshot', async () => {
    await done('o1', 'echo one > README.md');
    await done('o2', 'echo two > README.md; echo x > x.txt');
    await done('o3', 'echo new > new.txt');
    // o4 has committed nothing yet, but its snapshot (the watcher's record of its work tree, on top of its tip) touches x.txt
    expect(cli(repo.root, ['start', 'o4', '--headless', '--agent', 'true'], env).code).toBe(0);
    await waitForExit(repo, 'o4', 'done', env);
    const tip = repo.git('rev-parse', 'superset/o4');
    fs.writeFileSync(path.join(wt('o4'), 'x.txt'), 'mine\n');
    repo.git('-C', wt('o4'), 'add', 'x.txt');
    const snapTree = repo.git('-C', wt('o4'), 'write-tree');
    repo.git('-C', wt('o4'), 'reset', '-q');
    fs.rmSync(path.join(wt('o4'), 'x.txt'));
    const snap = repo.git('commit-tree', snapTree, '-p', tip, '-m', 'snapshot');
    repo.git('update-ref', 'refs/superset/snapshots/o4', snap);
    // and the watcher's count of its uncommitted files, as the watcher records it in the runtime cache
    const stateFile = path.join(repo.root, '.git/superset/tasks/o4.json');
    fs.writeFileSync(stateFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(stateFile, 'utf8')), changedFiles: 1 }));

    const rows = lsJson(repo, env) as unknown as { name: string; overlaps: { task: string; files: string[] }[] }[];
    const by = Object.fromEntries(rows.map((r) => [r.name, r.overlaps]));
    expect(by.o1).toEqual([{ task: 'o2', files: ['README.md'] }]);
    expect(by.o2).toEqual([{ task: 'o1', files: ['README.md'] }, { task: 'o4', files: ['x.txt'] }]);
    expect(by.o3).toEqual([]);
    expect(by.o4).toEqual([{ task: 'o2', files: ['x.txt'] }]);
    const table = (await run(repo.root, ['ls'], env)).stdout;
    expect(table).toMatch(/^o1 !\s/m);
    expect(table).toMatch(/^o3\s{2,}/m);
    expect(table).toContain('! o1 and o2 both change README.md\n');
    expect(table).toContain('! o2 and o4 both change x.txt\n');
  });
});
