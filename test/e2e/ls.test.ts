import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { run } from '../support/main.js';
import { type TestRepo } from '../support/repo.js';
import { killAgents, lsJsonIn, stateDir, taskIn, waitForStatus, worktreesDir, useAgentRepo } from './_agents.js';

let repo: TestRepo;
let env: Record<string, string>;
const fx = useAgentRepo();
beforeEach(() => ({ repo, env } = fx));

const start = (name: string, agent: string, runner = '--headless', extra: string[] = []): void => {
  const res = cli(repo.root, ['start', name, runner, '--agent', agent, ...extra], env);
  expect(res.code, res.stderr).toBe(0);
};

describe('ls with no tasks', () => {
  it('prints a friendly line, and [] with --json', async () => {
    const res = await run(repo.root, ['ls'], env);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^no tasks yet: start one with 'git superset start/);
    expect(res.stdout.trim().split('\n')).toHaveLength(1);
    const json = await run(repo.root, ['ls', '--json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([]);
  });

  it('status is the same command', async () => {
    expect((await run(repo.root, ['status', '--json'], env)).stdout.trim()).toBe('[]');
  });
});

describe('ls --json', () => {
  it('has the documented schema', async () => {
    start('t', 'sh -c "echo work > w.txt && git add w.txt && git commit -qm work"', '--headless', ['--prompt', 'p']);
    const t = await waitForStatus(repo, 't', 'done', env);
    for (const key of ['name', 'branch', 'worktree', 'agent', 'status', 'exitCode', 'startedAt', 'ahead']) expect(t).toHaveProperty(key);
    expect(t).toMatchObject({
      name: 't',
      branch: 'superset/t',
      worktree: path.join(worktreesDir(repo), 't'),
      agent: 'sh -c "echo work > w.txt && git add w.txt && git commit -qm work"',
      status: 'done',
      exitCode: 0,
      ahead: 1,
      prompt: 'p',
      schemaVersion: 1,
    });
    expect(Number.isNaN(Date.parse(t.startedAt!))).toBe(false);
    expect(Math.abs(Date.now() - Date.parse(t.startedAt!))).toBeLessThan(60_000);
  });

  it('reports running, done, failed (exit code), failed (signal) and stopped', async () => {
    const pidFile = path.join(repo.dir, 'agent.pid');
    start('running', 'sleep 30');
    start('done', 'true');
    start('failed', 'sh -c "exit 3"');
    start('killed', `sh -c 'echo $$ > "${pidFile}"; exec sleep 30'`, '--tmux');
    start('stopped', 'sleep 30', '--tmux');
    expect(cli(repo.root, ['stop', 'stopped'], env).code).toBe(0);

    process.kill(Number(await waitFor(() => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim())), 'SIGKILL');
    await waitForStatus(repo, 'killed', 'failed', env);
    await waitForStatus(repo, 'done', 'done', env);
    await waitForStatus(repo, 'failed', 'failed', env);

    const byName = Object.fromEntries((await lsJsonIn(repo, env)).map((t) => [t.name, t]));
    expect(byName.running).toMatchObject({ status: 'running', exitCode: null });
    expect(byName.done).toMatchObject({ status: 'done', exitCode: 0 });
    expect(byName.failed).toMatchObject({ status: 'failed', exitCode: 3, signal: null });
    expect(byName.killed).toMatchObject({ status: 'failed', exitCode: 137, signal: 'SIGKILL' });
    expect(byName.stopped).toMatchObject({ status: 'stopped' });

    // the table says the same, one row per task
    const table = await run(repo.root, ['ls', '--wide'], env);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+AGENT\s+STATUS\s+BRANCH\s+AHEAD\s+CHANGED\s+AGE\s+WORKTREE$/);
    expect(lines).toHaveLength(6);
    const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))!;
    expect(row('failed')).toMatch(/failed \(3\)/);
    expect(row('killed')).toMatch(/failed \(SIGKILL\)/);
    expect(row('done')).toMatch(/\bdone\b.*superset\/done\s+0\s/);
    expect(row('running')).toContain(path.join(worktreesDir(repo), 'running'));
    // tasks that need the user come first
    expect(lines[1]).toMatch(/^(failed|killed) /);

    // without --wide it fits the width (80 without a terminal, else COLUMNS): the task's own branch
    // is not repeated, the worktree is relative to where ls runs
    const narrow = (await run(repo.root, ['ls'], { ...env, COLUMNS: '80' })).stdout.trimEnd().split('\n');
    expect(narrow[0]).toMatch(/^NAME\s+AGENT\s+STATUS\s+AHEAD\s+CHANGED\b/);
    for (const line of narrow) expect(line.length, line).toBeLessThanOrEqual(80);
    const mid = (await run(repo.root, ['ls'], { ...env, COLUMNS: '120' })).stdout.trimEnd().split('\n');
    expect(mid[0]).toMatch(/^NAME\s+AGENT\s+STATUS\s+AHEAD\s+CHANGED\s+AGE\s+WORKTREE$/);
    expect(mid.find((l) => l.startsWith('running '))).toMatch(/ \.\.\/\S+\/running$/);
    const tiny = (await run(repo.root, ['ls'], { ...env, COLUMNS: '40' })).stdout.trimEnd().split('\n');
    for (const line of tiny) expect(line.length, line).toBeLessThanOrEqual(40);
  });

  it('counts commits ahead of the base in one pass, per task', async () => {
    start('one', 'sh -c "git commit -q --allow-empty -m a"');
    start('three', 'sh -c "for i in 1 2 3; do git commit -q --allow-empty -m $i; done"');
    start('none', 'true');
    await waitForStatus(repo, 'three', 'done', env);
    await waitForStatus(repo, 'one', 'done', env);
    // main moving on must not change what the tasks are ahead by
    repo.commit('later.txt', 'later\n');
    const ahead = Object.fromEntries((await lsJsonIn(repo, env)).map((t) => [t.name, t.ahead]));
    expect(ahead).toEqual({ one: 1, three: 3, none: 0 });
  });
});

describe('ls without the runtime cache', () => {
  it('still lists every task from its branch and worktree after .git/superset is deleted', async () => {
    start('a', 'true');
    start('b', 'sh -c "git commit -q --allow-empty -m b"');
    await waitForStatus(repo, 'b', 'done', env);
    repo.git('branch', 'superset/by-hand');
    killAgents(repo);
    fs.rmSync(stateDir(repo), { recursive: true, force: true });

    const tasks = await lsJsonIn(repo, env);
    expect(tasks.map((t) => [t.name, t.branch, t.worktree])).toEqual([
      ['a', 'superset/a', path.join(worktreesDir(repo), 'a')],
      ['b', 'superset/b', path.join(worktreesDir(repo), 'b')],
      ['by-hand', 'superset/by-hand', null],
    ]);
    expect((await taskIn(repo, 'b', env))!.ahead).toBe(1);
    expect((await run(repo.root, ['ls'], env)).stdout).toMatch(/^b\s/m);
    // and a task found that way can be started again in its worktree
    const res = cli(repo.root, ['start', 'a', '--headless', '--agent', 'true'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/relaunched a/);
  });
});
