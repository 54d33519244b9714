import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, cliAsync, waitFor } from '../support/cli.js';
import { type TestRepo } from '../support/repo.js';
import { argvAgent, branches, lsJson, lsJsonIn, worktreeCount, worktreesDir, useAgentRepo, type AgentRepo } from './_agents.js';

let repo: TestRepo;
let tmux: AgentRepo['tmux'];
const fx = useAgentRepo();
beforeEach(() => ({ repo, tmux } = fx));

const names = Array.from({ length: 10 }, (_, i) => `task-${i}`);

describe('10 start processes at once in one repo', () => {
  // The tmux case also races to start the private server: all ten find it not running.
  it.each(['--headless', '--tmux'])('all succeed (%s)', async (runner) => {
    const agent = argvAgent(repo);
    const results = await Promise.all(names.map((n) => cliAsync(repo.root, ['start', n, runner, '--agent', agent.bin, '--prompt', `do ${n}`], tmux.env)));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    for (const n of names) expect(await waitFor(() => agent.argv(n), 15_000, `${n} ran`)).toEqual([`do ${n}`]);
    expect(branches(repo).sort()).toEqual(['main', ...names.map((n) => `superset/${n}`)].sort());
    expect(worktreeCount(repo)).toBe(11);
    expect(fs.readdirSync(worktreesDir(repo)).sort()).toEqual([...names].sort());
    const tasks = lsJson(repo, tmux.env);
    expect(tasks.map((t) => t.name).sort()).toEqual([...names].sort());
    for (const t of tasks) expect(t.worktree).toBe(path.join(worktreesDir(repo), t.name));
    await waitFor(async () => (await lsJsonIn(repo, tmux.env)).every((t) => t.status === 'done'), 15_000, 'every task done');
  });

  it('the same task started twice at once: one wins, the other says why, nothing is broken', async () => {
    const results = await Promise.all([0, 1].map(() => cliAsync(repo.root, ['start', 'same', '--headless', '--agent', 'sleep 30'], tmux.env)));
    const codes = results.map((r) => r.code).sort();
    expect(codes[0]).toBe(0);
    expect(codes[1]).not.toBe(0);
    expect(results.find((r) => r.code !== 0)!.stderr).toMatch(/already running/);
    expect(branches(repo)).toEqual(['main', 'superset/same']);
    expect(worktreeCount(repo)).toBe(2);
    const tasks = lsJson(repo, tmux.env);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.status).toBe('running');
  });

  it('ten tasks from one start process (a batch) all succeed', async () => {
    const res = cli(repo.root, ['start', ...names, '--headless', '--agent', 'true'], tmux.env);
    expect(res.code, res.stderr).toBe(0);
    expect(branches(repo)).toHaveLength(11);
    expect(worktreeCount(repo)).toBe(11);
  });
});
