import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, cliAsync, waitFor } from '../support/cli.js';
import { run } from '../support/main.js';
import { BIN, testEnv, type TestRepo } from '../support/repo.js';
import { privateTmux } from '../support/tmux.js';
import { alive, branches, lsJsonIn, stateDir, taskIn, taskFiles, waitForExit, waitForStatus, worktreesDir, useAgentRepo, type AgentRepo } from './_agents.js';

let repo: TestRepo;
let tmux: AgentRepo['tmux'];
let env: Record<string, string>;
const fx = useAgentRepo();
beforeEach(() => ({ repo, tmux, env } = fx));

const wt = (name: string): string => path.join(worktreesDir(repo), name);
const start = (name: string, agent: string, runner = '--headless', extra: string[] = []): void => {
  const res = cli(repo.root, ['start', name, runner, '--agent', agent, ...extra], env);
  expect(res.code, res.stderr).toBe(0);
};
const tmuxOut = (...args: string[]): string => spawnSync('tmux', ['-L', tmux.socket, ...args], { encoding: 'utf8' }).stdout ?? '';
/** The session each attached client shows. */
const clientSessions = (): string[] => tmuxOut('list-clients', '-F', '#{client_session}').split('\n').filter(Boolean);

describe('attach', () => {
  it('refuses a headless task, pointing at logs', async () => {
    start('h', 'sleep 30');
    const res = await run(repo.root, ['attach', 'h'], env);
    expect(res.code).toBe(2);
    expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/does not run in tmux: use git superset logs h/);
  });

  it('refuses an unknown task', async () => {
    const res = await run(repo.root, ['attach', 'nope'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/no such task: nope/);
  });

  it('refuses a tmux task whose session has ended', async () => {
    start('t', 'true', '--tmux');
    await waitForStatus(repo, 't', 'done', env);
    const res = await run(repo.root, ['attach', 't'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/no tmux session any more/);
  });

  // A real attach needs a terminal: run it in a pane of the private server, which is one.
  it('attaches a terminal to the task session, and returns 0 on detach', async () => {
    start('t', 'sleep 30', '--tmux');
    const session = (await taskIn(repo, 't', env))!.tmuxSession!;
    const codeFile = path.join(repo.dir, 'attach.code');
    const viewer = spawnSync(
      'tmux',
      ['-L', tmux.socket, 'new-session', '-d', '-s', 'viewer', '-c', repo.root, '--',
        'env', '-u', 'TMUX', 'sh', '-c', `"$0" "$1" attach t; echo $? > "$2"`, process.execPath, BIN, codeFile],
      { env: testEnv(env) },
    );
    expect(viewer.status).toBe(0);
    await waitFor(() => clientSessions().includes(session), 10_000, 'a client on the task session');
    spawnSync('tmux', ['-L', tmux.socket, 'detach-client', '-s', session]);
    expect(await waitFor(() => fs.existsSync(codeFile) && fs.readFileSync(codeFile, 'utf8').trim())).toBe('0');
    expect((await taskIn(repo, 't', env))!.status).toBe('running');
  });

  it("nests a client when run inside another tmux server's pane", async () => {
    start('t', 'sleep 30', '--tmux');
    const session = (await taskIn(repo, 't', env))!.tmuxSession!;
    const other = privateTmux();
    try {
      const codeFile = path.join(repo.dir, 'attach.code');
      const pane = spawnSync(
        'tmux',
        ['-L', other.socket, 'new-session', '-d', '-s', 'elsewhere', '-c', repo.root, '--',
          'sh', '-c', `"$0" "$1" attach t; echo $? > "$2"`, process.execPath, BIN, codeFile],
        { env: testEnv(env) },
      );
      expect(pane.status).toBe(0);
      await waitFor(() => clientSessions().includes(session), 10_000, 'a nested client on the task session');
      spawnSync('tmux', ['-L', tmux.socket, 'detach-client', '-s', session]);
      expect(await waitFor(() => fs.existsSync(codeFile) && fs.readFileSync(codeFile, 'utf8').trim())).toBe('0');
    } finally {
      other.kill();
    }
  });

  it('switches the client when run inside tmux on the same server', async () => {
    start('t', 'sleep 30', '--tmux');
    const session = (await taskIn(repo, 't', env))!.tmuxSession!;
    // a user's shell in tmux (session "desk"), with a terminal attached to it
    expect(spawnSync('tmux', ['-L', tmux.socket, 'new-session', '-d', '-s', 'desk', '-c', repo.root, 'sh'], { env: testEnv(env) }).status).toBe(0);
    spawnSync('tmux', ['-L', tmux.socket, 'new-session', '-d', '-s', 'terminal', 'env', '-u', 'TMUX', 'tmux', '-L', tmux.socket, 'attach', '-t', 'desk'], { env: testEnv(env) });
    await waitFor(() => clientSessions().includes('desk'), 10_000, 'a client on desk');
    const codeFile = path.join(repo.dir, 'attach.code');
    spawnSync('tmux', ['-L', tmux.socket, 'send-keys', '-t', '=desk:', `'${process.execPath}' '${BIN}' attach t; echo $? > '${codeFile}'`, 'Enter']);
    await waitFor(() => clientSessions().includes(session), 10_000, 'the client to switch to the task');
    expect(await waitFor(() => fs.existsSync(codeFile) && fs.readFileSync(codeFile, 'utf8').trim())).toBe('0');
  });
});

describe('logs', () => {
  it('prints a headless task’s output, stdout and stderr', async () => {
    start('h', 'sh -c "echo out-line; echo err-line >&2"');
    await waitForStatus(repo, 'h', 'done', env);
    const res = cli(repo.root, ['logs', 'h'], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('out-line');
    expect(res.stdout).toContain('err-line');
  });

  it('prints the screen of a live tmux task, and its log once it has ended', async () => {
    start('live', 'sh -c "echo hello-from-tmux; sleep 30"', '--tmux');
    start('ended', 'sh -c "echo bye-from-tmux"', '--tmux');
    await waitFor(async () => (await run(repo.root, ['logs', 'live'], env)).stdout.includes('hello-from-tmux'), 10_000, 'live screen');
    await waitForStatus(repo, 'ended', 'done', env);
    const res = cli(repo.root, ['logs', 'ended'], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('bye-from-tmux');
  });

  it.each(['--headless', '--tmux'])('-f follows until the agent exits (%s)', async (runner) => {
    start('f', 'sh -c "for i in 1 2 3 4 5; do echo tick$i; sleep 0.2; done"', runner);
    const res = await cliAsync(repo.root, ['logs', 'f', '-f'], env);
    expect(res.code, res.stderr).toBe(0);
    for (const i of [1, 2, 3, 4, 5]) expect(res.stdout).toContain(`tick${i}`);
    // it returned because the agent was gone, not on a timer
    expect(['done', 'running']).toContain((await taskIn(repo, 'f', env))!.status);
    await waitForStatus(repo, 'f', 'done', env);
  });

  it('-f on a task that has already ended prints its log and returns', async () => {
    start('h', 'sh -c "echo finished"');
    await waitForStatus(repo, 'h', 'done', env);
    const res = await cliAsync(repo.root, ['logs', 'h', '-f'], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('finished');
  });
});

describe('stop', () => {
  it('checks every name first: an unknown one stops nothing', async () => {
    start('t', 'sleep 30');
    const res = await run(repo.root, ['stop', 't', 'nosuch'], env);
    expect(res.code).toBe(2);
    expect(res.stderr.trim()).toBe('git superset: no such task: nosuch (see git superset ls)');
    expect((await taskIn(repo, 't', env))?.status).toBe('running');
  });

  it.each(['--headless', '--tmux'])('ends the agent gently, keeps the worktree, status stopped (%s)', async (runner) => {
    start('t', 'sleep 30', runner);
    const before = (await taskIn(repo, 't', env))!;
    const res = cli(repo.root, ['stop', 't'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^stopped t; worktree kept at /);
    expect(res.stdout).not.toMatch(/killed/);
    expect(alive(before.pid!)).toBe(false);
    expect(fs.existsSync(wt('t'))).toBe(true);
    expect(tmux.sessions()).toEqual([]);
    // the wrapper's exit record arrives after stop: it must not turn the task into "failed"
    const events = async () => JSON.parse((await run(repo.root, ['log', 't', '--json'], env)).stdout) as { event: string }[];
    await waitFor(async () => (await events()).some((e) => e.event === 'exited'), 10_000, 'the exit record');
    expect((await taskIn(repo, 't', env))).toMatchObject({ status: 'stopped', worktree: wt('t') });
  });

  it.each(['--headless', '--tmux'])('kills an agent that ignores SIGTERM after --timeout (%s)', async (runner) => {
    const ready = path.join(repo.dir, 'ready');
    start('t', `sh -c 'trap "" TERM; touch "${ready}"; while :; do sleep 0.1; done'`, runner);
    await waitFor(() => fs.existsSync(ready), 10_000, 'agent ready');
    const pid = (await taskIn(repo, 't', env))!.pid!;
    const t0 = Date.now();
    const res = cli(repo.root, ['stop', 't', '--timeout', '1'], env);
    const took = Date.now() - t0;
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/killed after timeout/);
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(alive(pid)).toBe(false);
    expect((await taskIn(repo, 't', env))!.status).toBe('stopped');
    expect(fs.existsSync(wt('t'))).toBe(true);
  });

  it('says so when the task is not running', async () => {
    start('t', 'true');
    await waitForStatus(repo, 't', 'done', env);
    const res = await run(repo.root, ['stop', 't'], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/t is not running \(done\)/);
    expect((await taskIn(repo, 't', env))!.status).toBe('done');
  });
});

describe('rm', () => {
  it.each([
    [1, '1 uncommitted file'],
    [3, '3 uncommitted files'],
  ])('refuses a worktree with %i uncommitted file(s), and says so', async (n, says) => {
    start('t', 'true');
    await waitForExit(repo, 't', 'done', env);
    for (let i = 0; i < n; i++) fs.writeFileSync(path.join(wt('t'), `f${i}.txt`), 'x\n');
    const res = await run(repo.root, ['rm', 't'], env);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(says);
    expect(res.stderr).toMatch(/--force/);
    expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(fs.existsSync(path.join(wt('t'), 'f0.txt'))).toBe(true);
    expect(branches(repo)).toContain('superset/t');
  });

  it.each([
    [1, '1 commit not in main'],
    [2, '2 commits not in main'],
  ])('refuses a branch with %i unmerged commit(s), and says so', async (n, says) => {
    start('t', `sh -c 'for i in $(seq ${n}); do git commit -q --allow-empty -m c$i; done'`);
    await waitForStatus(repo, 't', 'done', env);
    const res = await run(repo.root, ['rm', 't'], env);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(says);
    expect(branches(repo)).toContain('superset/t');
    expect(fs.existsSync(wt('t'))).toBe(true);
  });

  it('refuses a running agent, and checks every task before removing any', async () => {
    start('idle', 'true');
    start('busy', 'sleep 30');
    await waitForStatus(repo, 'idle', 'done', env);
    const res = await run(repo.root, ['rm', 'idle', 'busy'], env);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/busy.*a running agent/);
    expect((await lsJsonIn(repo, env)).map((t) => t.name)).toEqual(['busy', 'idle']);
  });

  it('removes a merged task without --force', async () => {
    start('t', 'sh -c "echo x > x.txt && git add x.txt && git commit -qm x"');
    await waitForStatus(repo, 't', 'done', env);
    repo.git('merge', '-q', '--ff-only', 'superset/t');
    const res = cli(repo.root, ['rm', 't'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(branches(repo)).toEqual(['main']);
  });

  it('--force discards everything: worktree, branch, tmux session and runtime state', async () => {
    start('t', 'sh -c "git commit -q --allow-empty -m work; echo dirty > d.txt; exec sleep 30"', '--tmux');
    await waitFor(() => fs.existsSync(path.join(wt('t'), 'd.txt')), 10_000, 'dirty file');
    const pid = (await taskIn(repo, 't', env))!.pid!;
    expect(tmux.sessions()).toHaveLength(1);
    const res = cli(repo.root, ['rm', 't', '--force'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/removed t \(branch superset\/t deleted\)/);
    expect(fs.existsSync(wt('t'))).toBe(false);
    expect(branches(repo)).toEqual(['main']);
    expect(tmux.sessions()).toEqual([]);
    expect(alive(pid)).toBe(false);
    expect(taskFiles(repo)).toEqual([]);
    expect(fs.existsSync(path.join(stateDir(repo), 'logs', 't.log'))).toBe(false);
    expect(repo.git('worktree', 'list', '--porcelain')).not.toContain(wt('t'));
    expect((await lsJsonIn(repo, env))).toEqual([]);
  });

  it('keeps a branch that was adopted with --branch', async () => {
    repo.git('branch', 'feature');
    start('f', 'true', '--headless', ['--branch', 'feature']);
    await waitForStatus(repo, 'f', 'done', env);
    const res = cli(repo.root, ['rm', 'f'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/branch feature kept/);
    expect(branches(repo)).toContain('feature');
    expect(fs.existsSync(wt('f'))).toBe(false);
  });
});

describe('init', () => {
  it('is idempotent', async () => {
    const first = await run(repo.root, ['init'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^initialised git superset in /);
    expect(fs.existsSync(stateDir(repo))).toBe(true);
    const marker = fs.readdirSync(stateDir(repo)).sort();
    const second = await run(repo.root, ['init'], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/already set up/);
    expect(fs.readdirSync(stateDir(repo)).sort()).toEqual(marker);
    expect(JSON.parse((await run(repo.root, ['init', '--json'], env)).stdout)).toEqual({ stateDir: stateDir(repo), created: false });
  });

  it('start does it implicitly, and init after start changes nothing', async () => {
    start('t', 'true');
    await waitForStatus(repo, 't', 'done', env);
    expect((await run(repo.root, ['init'], env)).stdout).toMatch(/already set up/);
    expect((await taskIn(repo, 't', env))!.status).toBe('done');
  });
});
