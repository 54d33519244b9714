import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { run } from '../support/main.js';
import { gitIn, makeRepo, removeRepo, testEnv, type TestRepo } from '../support/repo.js';
import { killAgents } from './_agents.js';

// Two machines (clones) and the bare remote they share.
let origin: TestRepo;
let remote: string;
let alice: TestRepo;
let bob: TestRepo;
const env = { SUPERSET_WATCH: '0' };

function clone(name: string): TestRepo {
  const root = path.join(origin.dir, name);
  gitIn(origin.dir, 'clone', '-q', remote, root);
  return { ...origin, root, git: (...args) => gitIn(root, ...args) };
}

beforeEach(() => {
  origin = makeRepo('seed');
  remote = path.join(origin.dir, 'remote.git');
  gitIn(origin.dir, 'clone', '-q', '--bare', origin.root, remote);
  alice = clone('alice');
  bob = clone('bob');
});
afterEach(() => {
  for (const r of [alice, bob]) killAgents(r);
  removeRepo(origin);
});

interface Event {
  task: string;
  event: string;
}

const events = (r: TestRepo): Event[] => {
  const res = cli(r.root, ['log', '--json'], env);
  if (res.code !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout) as Event[];
};
const summary = (r: TestRepo): string[] => events(r).map((e) => `${e.task}:${e.event}`).sort();

async function work(r: TestRepo, task: string): Promise<void> {
  const res = cli(r.root, ['start', task, '--headless', '--agent', `sh -c 'git commit -q --allow-empty -m "${task} work"'`], env);
  expect(res.code, res.stderr).toBe(0);
  await waitFor(() => events(r).some((e) => e.task === task && e.event === 'exited'), 15_000, `${task} to exit`);
}

describe('sync', () => {
  it("between two clones and a bare remote: each sees the other's events, nothing is lost", async () => {
    // both tasks start from the same base commit, so both clones write a note on the same commit
    await work(alice, 'a');
    await work(bob, 'b');
    const first = cli(alice.root, ['sync', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ remote: 'origin', merged: false, pushed: true });

    const second = cli(bob.root, ['sync'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toBe("merged origin's notes; pushed refs/notes/superset\n");
    expect(cli(alice.root, ['sync'], env).code).toBe(0);

    const all = ['a:commit', 'a:exited', 'a:started', 'b:commit', 'b:exited', 'b:started'];
    expect(summary(alice)).toEqual(all);
    expect(summary(bob)).toEqual(all);
    // plain git agrees: both clones hold both started events (on each task's anchor), none on the base commit
    const base = gitIn(alice.root, 'rev-parse', 'HEAD');
    for (const r of [alice, bob]) {
      const lines = gitIn(r.root, 'log', '-p', '--format=', 'refs/notes/superset').split('\n');
      expect(new Set(lines.filter((l) => /^\+\{.*"event":"started"/.test(l))).size).toBe(2);
      expect(spawnSync('git', ['notes', '--ref=superset', 'show', base], { cwd: r.root, env: testEnv() }).status).not.toBe(0);
    }
    expect(gitIn(alice.root, 'rev-parse', 'refs/notes/remotes/origin/superset')).toBe(gitIn(remote, 'rev-parse', 'refs/notes/superset'));
  });

  it("never force-pushes: a stale clone merges the remote's notes before pushing", async () => {
    await work(alice, 'a');
    expect(cli(alice.root, ['sync'], env).code).toBe(0);
    await work(bob, 'b');
    // a plain push from bob is rejected: the remote has alice's notes, which bob's lack
    const plain = spawnSync('git', ['push', 'origin', 'refs/notes/superset'], { cwd: bob.root, env: testEnv(), encoding: 'utf8' });
    expect(plain.status).not.toBe(0);
    expect(plain.stderr).toMatch(/rejected/);
    expect(cli(bob.root, ['sync'], env).code).toBe(0);
    const remoteNotes = gitIn(remote, 'log', '-p', 'refs/notes/superset');
    expect(remoteNotes).toMatch(/"task":"a","event":"started"/);
    expect(remoteNotes).toMatch(/"task":"b","event":"started"/);
  });

  it('--branches pushes the task branches; a missing remote is one clear line', async () => {
    await work(alice, 'a');
    const res = cli(alice.root, ['sync', 'origin', '--branches', '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).branches).toEqual({ pushed: ['superset/a'], rejected: [] });
    expect(gitIn(remote, 'log', '-1', '--format=%s', 'superset/a')).toBe('a work');

    const missing = await run(alice.root, ['sync', 'nowhere'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('git superset: no such remote: nowhere (add one with git remote add nowhere <url>)\n');
    expect((await run(alice.root, ['sync', '--help'], env)).stdout).toMatch(/cat_sort_uniq/);
  });
});
