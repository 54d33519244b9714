import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { run } from '../support/main.js';
import { gitIn, makeRepo, removeRepo, type TestRepo } from '../support/repo.js';
import { killAgents, stateDir } from './_agents.js';

// What the agent was asked is part of the record: in git, readable with plain git, and it
// survives deleting the cache and a sync to another clone. Started events stay off the base branch.
let repo: TestRepo;
const env = { SUPERSET_WATCH: '0' };
const PROMPT = 'Fix the "login" redirect\n\n- keep $HOME and `backticks` as they are\n- naïve café ✓\n';

beforeEach(() => {
  repo = makeRepo();
});
afterEach(() => {
  killAgents(repo);
  removeRepo(repo);
});

interface Event {
  task: string;
  event: string;
  prompt?: string;
}

/** `log --json` in-process, for the polls (support/main.ts). */
const logJsonIn = async (root: string, task: string): Promise<Event[]> => {
  const res = await run(root, ['log', task, '--json'], env);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as Event[];
};
const logJson = (root: string, task: string): Event[] => {
  const res = cli(root, ['log', task, '--json'], env);
  expect(res.code, res.stderr).toBe(0);
  return JSON.parse(res.stdout) as Event[];
};

describe('the prompt in git', () => {
  it('plain git and git superset log show it, after the cache is deleted and in a clone synced from here', async () => {
    const res = cli(repo.root, ['start', 'asked', '--headless', '--agent', 'true', '--prompt', PROMPT], env);
    expect(res.code, res.stderr).toBe(0);
    await waitFor(async () => (await logJsonIn(repo.root, 'asked')).some((e) => e.event === 'exited'), 15_000, 'asked to exit');
    killAgents(repo);
    fs.rmSync(stateDir(repo), { recursive: true, force: true });

    // plain git: the anchor blob holds it as typed, its note the started event with it
    expect(gitIn(repo.root, 'cat-file', '-p', 'superset/tasks/asked')).toContain(PROMPT.trimEnd());
    const started = JSON.parse(gitIn(repo.root, 'notes', '--ref=superset', 'show', 'superset/tasks/asked').split('\n')[0]!) as Event;
    expect(started).toMatchObject({ task: 'asked', event: 'started', prompt: PROMPT });

    expect(logJson(repo.root, 'asked').find((e) => e.event === 'started')?.prompt).toBe(PROMPT);
    const text = cli(repo.root, ['log', 'asked'], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^prompt:\n {2}Fix the "login" redirect\n\n {2}- keep \$HOME and `backticks` as they are\n {2}- naïve café ✓\n\n/);
    expect(text.stdout).toMatch(/asked\s+started\s+[0-9a-f]{10}\s+Fix the "login" redirect/);

    // plain git log of main shows none of it
    expect(gitIn(repo.root, 'log', '-1', 'main')).not.toMatch(/Notes/);

    // another clone, through sync
    const remote = path.join(repo.dir, 'remote.git');
    gitIn(repo.dir, 'init', '-q', '--bare', remote);
    gitIn(repo.root, 'remote', 'add', 'origin', remote);
    expect(cli(repo.root, ['sync'], env).code).toBe(0);
    const other = path.join(repo.dir, 'other');
    gitIn(repo.dir, 'clone', '-q', remote, other);
    expect(cli(other, ['sync'], env).code).toBe(0);
    expect(cli(other, ['log', '--json'], env).stdout).toContain(JSON.stringify(PROMPT));
    // the anchor travels too: plain git in the clone reads the prompt
    expect(gitIn(other, 'cat-file', '-p', 'superset/tasks/asked')).toContain(PROMPT.trimEnd());
    const events = JSON.parse(cli(other, ['log', '--json'], env).stdout) as Event[];
    expect(events.find((e) => e.task === 'asked' && e.event === 'started')?.prompt).toBe(PROMPT);
  });

  it('a huge prompt is recorded whole', async () => {
    const big = 'x'.repeat(100_000) + '\nend\n';
    const file = path.join(repo.dir, 'tasks.md');
    fs.writeFileSync(file, `## bigone\n${big}`);
    const res = cli(repo.root, ['start', '--from', file, '--headless', '--agent', 'true'], env);
    expect(res.code, res.stderr).toBe(0);
    await waitFor(async () => (await logJsonIn(repo.root, 'bigone')).some((e) => e.event === 'exited'), 15_000, 'bigone to exit');
    expect(logJson(repo.root, 'bigone').find((e) => e.event === 'started')?.prompt).toBe(big.trim());
    expect(gitIn(repo.root, 'cat-file', '-p', 'superset/tasks/bigone')).toContain(big.trim());
  });
});
