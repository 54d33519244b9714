import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import type { TestRepo } from '../support/repo.js';
import { lsJson, lsJsonIn, taskIn } from './_agents.js';
import { spawnSync } from 'node:child_process';
import { alive, gitAt, noReaction, readPidFile, stateFile, worktreeOf, type WatchFixture, useWatchRepo } from './_watch.js';

let repo: TestRepo;
let fx: WatchFixture;
const w = useWatchRepo();
beforeEach(() => ({ repo, fx } = w));

const start = (name: string, agent = 'sleep 120', runner = '--headless'): void => {
  const res = cli(repo.root, ['start', name, runner, '--agent', agent], fx.env);
  expect(res.code, res.stderr).toBe(0);
};

const watcherStatus = () => cli(repo.root, ['watch', '--status'], { ...fx.env, SUPERSET_WATCH: '0' });

describe('the watcher daemon', () => {
  it('is started by start, and records a write in ls --json (lastActivity, changedFiles)', async () => {
    start('w');
    const pid = await waitFor(() => readPidFile(repo), 10_000, 'the watcher to start');
    const status = watcherStatus();
    expect(status.code).toBe(0);
    expect(status.stdout).toBe(`watcher running (pid ${pid})\n`);
    await waitFor(() => fs.readFileSync(path.join(repo.root, '.git/superset/logs/watch.log'), 'utf8').includes('w: watching'), 10_000, 'attach');

    const before = Date.now();
    fs.writeFileSync(path.join(worktreeOf(repo, 'w'), 'new.txt'), 'hello\n');
    fs.appendFileSync(path.join(worktreeOf(repo, 'w'), 'README.md'), 'more\n');
    const t = await waitFor(async () => {
      const row = (await lsJsonIn(repo, fx.env)).find((r) => r.name === 'w') as unknown as { changedFiles: number; lastActivity: string | null; status: string };
      return row.changedFiles === 2 ? row : undefined;
    }, 10_000, 'the change to show in ls');
    expect(Date.parse(t.lastActivity!)).toBeGreaterThanOrEqual(before - 1000);
    expect(t.status).toBe('running');
  });

  it('goes idle after idleSeconds without changes, and running again on a write', async () => {
    start('i');
    await waitFor(async () => (await taskIn(repo, 'i', fx.env))?.status === 'idle', 10_000, 'idle');
    expect(stateFile(repo, 'i').statusBy).toBe('watcher');
    fs.writeFileSync(path.join(worktreeOf(repo, 'i'), 'x.txt'), 'x\n');
    await waitFor(async () => (await taskIn(repo, 'i', fx.env))?.status === 'running', 10_000, 'running again');
  });

  it('ignores gitignored files and .git', async () => {
    start('g');
    await waitFor(async () => (await taskIn(repo, 'g', fx.env))?.status === 'idle', 10_000, 'idle');
    const wt = worktreeOf(repo, 'g');
    fs.writeFileSync(path.join(wt, 'debug.log'), 'noise\n');
    fs.mkdirSync(path.join(wt, 'dist/deep'), { recursive: true });
    fs.writeFileSync(path.join(wt, 'dist/deep/out.js'), 'x\n');
    await noReaction();
    const t = stateFile(repo, 'g');
    expect(t.status).toBe('idle');
    expect(t.lastActivity).toBeUndefined();
    expect(t.changedFiles).toBe(0);
  });

  it('comes back after kill -9 when a command finds it dead, and sees later changes', async () => {
    start('k');
    const first = await waitFor(() => readPidFile(repo), 10_000, 'the watcher');
    await waitFor(() => fs.readFileSync(path.join(repo.root, '.git/superset/logs/watch.log'), 'utf8').includes('k: watching'), 10_000, 'attach');
    process.kill(first, 'SIGKILL');
    await waitFor(() => !alive(first), 5000, 'the kill');
    expect(watcherStatus().code).toBe(1);

    lsJson(repo, fx.env); // any command that reads tasks restarts it
    const second = await waitFor(() => {
      const p = readPidFile(repo);
      return p && p !== first && alive(p) ? p : undefined;
    }, 10_000, 'a new watcher');
    expect(second).not.toBe(first);
    await waitFor(() => fs.readFileSync(path.join(repo.root, '.git/superset/logs/watch.log'), 'utf8').split('k: watching').length === 3, 10_000, 're-attach');
    fs.writeFileSync(path.join(worktreeOf(repo, 'k'), 'after.txt'), 'after the restart\n');
    await waitFor(async () => ((await taskIn(repo, 'k', fx.env)) as unknown as { changedFiles: number }).changedFiles === 1, 10_000, 'the change after restart');
  });

  it('records an agent killed with SIGKILL as failed', async () => {
    // The agent alone: its wrapper records exit 137.
    start('s1', 'sleep 120', '--tmux');
    // The whole group, wrapper included: nothing records the exit, the watcher finds the pid gone.
    start('s2', 'sleep 120', '--headless');
    const s1 = stateFile(repo, 's1');
    const s2 = stateFile(repo, 's2');
    await waitFor(() => readPidFile(repo), 10_000, 'the watcher');
    const agentPid = Number(
      fs
        .readFileSync(`/proc/${s1.pid}/task/${s1.pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)[0],
    );
    expect(agentPid).toBeGreaterThan(0);
    process.kill(agentPid, 'SIGKILL');
    process.kill(-(s2.pid as number), 'SIGKILL');
    await waitFor(() => stateFile(repo, 's1').status === 'failed', 10_000, 's1 failed');
    expect(stateFile(repo, 's1')).toMatchObject({ status: 'failed', exitCode: 137, signal: 'SIGKILL' });
    // Written to the record by the watcher itself, not just computed by ls.
    await waitFor(() => stateFile(repo, 's2').status === 'failed', 10_000, 's2 failed in the state file');
    expect(stateFile(repo, 's2').reason).toMatch(/vanished/);
  });

  it('gives a commit that skipped our hooks its note', async () => {
    start('n');
    await waitFor(() => readPidFile(repo), 10_000, 'the watcher');
    const wt = worktreeOf(repo, 'n');
    fs.writeFileSync(path.join(wt, 'sneaky.txt'), 'no hooks\n');
    gitAt(wt, 'add', 'sneaky.txt');
    gitAt(wt, '-c', 'core.hooksPath=/nonexistent', '-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '-qm', 'sneaky');
    const sha = gitAt(wt, 'rev-parse', 'HEAD');
    const note = await waitFor(() => {
      const res = spawnSync('git', ['notes', '--ref=superset', 'show', sha], { cwd: repo.root, encoding: 'utf8' });
      return res.status === 0 && res.stdout.includes('"event":"commit"') ? res.stdout : undefined;
    }, 20_000, 'the note');
    expect(note).toContain('"via":"scan"');
    expect(note.match(/"event":"commit"/g)).toHaveLength(1);
  });

  it('refuses a second watcher politely, and --stop ends the first', async () => {
    start('r');
    const pid = await waitFor(() => readPidFile(repo), 10_000, 'the watcher');
    const second = cli(repo.root, ['watch'], fx.env);
    expect(second.code).toBe(2);
    expect(second.stderr).toBe(`git superset: a watcher already runs for this repository (pid ${pid}); see git superset watch --status, or stop it with --stop\n`);
    expect(alive(pid)).toBe(true);

    const stop = cli(repo.root, ['watch', '--stop'], { ...fx.env, SUPERSET_WATCH: '0' });
    expect(stop.stdout).toBe('watcher stopped\n');
    expect(alive(pid)).toBe(false);
    expect(watcherStatus()).toMatchObject({ code: 1, stdout: 'watcher not running\n' });
  });

  it('leaves by itself once no task has been live for a while', async () => {
    start('q', 'sleep 2');
    const pid = await waitFor(() => readPidFile(repo), 10_000, 'the watcher');
    // agent exits after 2 s, the watcher lingers 3 s (SUPERSET_WATCH_LINGER_SECONDS) then leaves
    await waitFor(() => !alive(pid), 15_000, 'the watcher to leave');
    expect(readPidFile(repo)).toBeNull();
  });
});
