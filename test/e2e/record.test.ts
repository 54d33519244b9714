import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, cliAsync, waitFor } from '../support/cli.js';
import { run } from '../support/main.js';
import { gitIn, makeRepo, removeRepo, testEnv, type TestRepo } from '../support/repo.js';
import { killAgents, lsJson, stateDir, worktreesDir } from './_agents.js';

let repo: TestRepo;
const env = { SUPERSET_WATCH: '0' };

beforeEach(() => {
  repo = makeRepo();
});
afterEach(() => {
  killAgents(repo);
  removeRepo(repo);
});

const wt = (task: string): string => path.join(worktreesDir(repo), task);

interface Event {
  t: string;
  task: string;
  event: string;
  commit: string;
  subject: string | null;
  status?: string;
  exitCode?: number | null;
  checkpoint?: string;
  reason?: string;
  via?: string;
}

/** `log --json` in-process, for the polls (support/main.ts). */
async function logIn(task?: string): Promise<Event[]> {
  const res = await run(repo.root, ['log', ...(task ? [task] : []), '--json'], env);
  if (res.code !== 0) throw new Error(`log exited ${res.code}: ${res.stderr}`);
  return JSON.parse(res.stdout) as Event[];
}

function log(task?: string): Event[] {
  const res = cli(repo.root, ['log', ...(task ? [task] : []), '--json'], env);
  if (res.code !== 0) throw new Error(`log exited ${res.code}: ${res.stderr}`);
  return JSON.parse(res.stdout) as Event[];
}

function start(name: string, agent: string, extra: string[] = []): void {
  const res = cli(repo.root, ['start', name, '--headless', '--agent', agent, ...extra], env);
  expect(res.code, res.stderr).toBe(0);
}

const exited = (task: string): Promise<Event> =>
  waitFor(async () => (await logIn(task)).find((e) => e.event === 'exited'), 15_000, `${task} to exit`);

const files = (rev: string): string[] => gitIn(repo.root, 'show', '--name-only', '--format=', rev).split('\n').filter(Boolean).sort();

describe('commit on exit', () => {
  it('an agent that exits leaving files gets exactly one exit commit on its branch, trailers and files included', async () => {
    repo.commit('.gitignore', '*.log\n', 'ignore logs');
    start('leaver', `sh -c 'echo new > new.txt; mkdir -p sub; echo deep > sub/deep.txt; echo changed >> README.md; echo noise > debug.log; exit 3'`);
    const ev = await exited('leaver');
    const commits = gitIn(repo.root, 'rev-list', 'main..superset/leaver').split('\n').filter(Boolean);
    expect(commits).toHaveLength(1);
    expect(files(commits[0]!)).toEqual(['README.md', 'new.txt', 'sub/deep.txt']);
    const body = gitIn(repo.root, 'log', '-1', '--format=%B', 'superset/leaver');
    expect(body).toMatch(/^sh left 3 uncommitted files in leaver: checkpoint on exit/);
    expect(gitIn(repo.root, 'log', '-1', '--format=%(trailers:only,unfold)', 'superset/leaver').trim()).toBe(
      'Superset-Task: leaver\nSuperset-Agent: sh\nSuperset-Checkpoint: exit',
    );
    // the ignored file stays where it was, and nothing else is left uncommitted
    expect(gitIn(wt('leaver'), 'status', '--porcelain', '--ignored')).toBe('!! debug.log');
    expect(ev).toMatchObject({ status: 'failed', exitCode: 3, checkpoint: commits[0], commit: commits[0] });
  });

  it('a task reads done only once its exit commit is on the branch', async () => {
    // the agent's exit handling takes a moment (a commit, a note): ls must never show done before it
    start('slowpoke', `sh -c 'i=0; while [ $i -lt 3000 ]; do echo $i > f$i.txt; i=$((i+1)); done'`);
    const seen = await waitFor(() => {
      const t = lsJson(repo).find((x) => x.name === 'slowpoke');
      if (t?.status !== 'done') return undefined;
      return gitIn(repo.root, 'rev-list', '--count', 'main..superset/slowpoke');
    }, 20_000, 'slowpoke to be done');
    expect(seen).toBe('1');
  });

  it('leaves nothing to commit alone: no checkpoint when the agent committed its work', async () => {
    start('tidy', `sh -c 'echo a > a.txt; git add a.txt; git commit -q -m "Tidy work"'`);
    const ev = await exited('tidy');
    expect(gitIn(repo.root, 'log', '--format=%s', 'main..superset/tidy')).toBe('Tidy work');
    expect(ev.checkpoint).toBeUndefined();
    expect(ev).toMatchObject({ status: 'done', exitCode: 0 });
  });

  it('commitOnExit false leaves the files uncommitted and says so', async () => {
    repo.commit('.supersetrc.json', '{ "commitOnExit": false }\n', 'config');
    start('keeper', `sh -c 'echo x > x.txt'`);
    const ev = await exited('keeper');
    expect(gitIn(repo.root, 'rev-list', '--count', 'main..superset/keeper')).toBe('0');
    expect(gitIn(wt('keeper'), 'status', '--porcelain')).toBe('?? x.txt');
    expect(ev.reason).toMatch(/commitOnExit is false/);
  });

  it('never commits while a git operation is in progress there, and says so in the event', async () => {
    start('busy', `sh -c 'echo x > x.txt; touch "$(git rev-parse --git-dir)/index.lock"'`);
    const ev = await exited('busy');
    expect(gitIn(repo.root, 'rev-list', '--count', 'main..superset/busy')).toBe('0');
    expect(ev.reason).toMatch(/git operation is under way \(a git command holds the index lock\)/);
    fs.rmSync(path.join(gitIn(wt('busy'), 'rev-parse', '--absolute-git-dir'), 'index.lock'));
    expect(gitIn(wt('busy'), 'status', '--porcelain')).toBe('?? x.txt');
  });
});

describe('notes', () => {
  it("notes sit on the tips, and git notes show superset/<task> gives the task's latest status", async () => {
    start('noted', `sh -c 'git commit -q --allow-empty -m one; git commit -q --allow-empty -m two'`);
    await exited('noted');
    const tip = gitIn(repo.root, 'rev-parse', 'superset/noted');
    const shown = gitIn(repo.root, 'notes', '--ref=superset', 'show', 'superset/noted').split('\n').filter(Boolean);
    const last = JSON.parse(shown[shown.length - 1]!) as Event;
    expect(last).toMatchObject({ task: 'noted', event: 'exited', status: 'done', exitCode: 0 });
    expect(shown.map((l) => (JSON.parse(l) as Event).event)).toEqual(['commit', 'exited']);
    // started sits on the task's anchor, never on the base commit; plain git log shows the notes (notes.displayRef)
    const base = gitIn(repo.root, 'rev-parse', 'main');
    expect(spawnSync('git', ['notes', '--ref=superset', 'show', base], { cwd: repo.root, env: testEnv() }).status).not.toBe(0);
    expect(gitIn(repo.root, 'notes', '--ref=superset', 'show', 'superset/tasks/noted')).toMatch(/"task":"noted","event":"started"/);
    expect(gitIn(repo.root, 'log', '-1', tip)).toMatch(/Notes \(superset\):\n\s+\{"t":/);
    // one line per event: time first, version second
    for (const line of shown) expect(line).toMatch(/^\{"t":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","v":1,"task":"noted"/);
  });

  it('stop and rm are recorded; ls takes the status from the notes once .git/superset is gone', async () => {
    start('sleeper', 'sleep 30');
    const stop = cli(repo.root, ['stop', 'sleeper'], env);
    expect(stop.code, stop.stderr).toBe(0);
    await exited('sleeper');
    expect(log('sleeper').map((e) => e.event)).toEqual(['started', 'stopped', 'exited']);

    start('failer', `sh -c 'exit 7'`);
    await exited('failer');
    killAgents(repo);
    fs.rmSync(stateDir(repo), { recursive: true, force: true });
    const byName = Object.fromEntries(lsJson(repo, env).map((t) => [t.name, t]));
    expect(byName.failer).toMatchObject({ status: 'failed', exitCode: 7, agent: "sh -c 'exit 7'" });
    expect(byName.sleeper).toMatchObject({ status: 'stopped' });

    expect(cli(repo.root, ['rm', 'failer'], env).code).toBe(0);
    expect(log('failer').map((e) => e.event)).toEqual(['started', 'exited', 'removed']);
  });
});

describe('log', () => {
  it('prints a timeline, and picks up commits made without our hooks', async () => {
    start('worker', `sh -c 'git commit -q --allow-empty -m "Hooked commit"'`);
    await exited('worker');
    // made with the hooks bypassed entirely: no trailer, no note, until log looks
    gitIn(wt('worker'), '-c', 'core.hooksPath=/dev/null', 'commit', '-q', '--allow-empty', '-m', 'Unhooked commit');
    const events = log('worker');
    // a found commit is dated by its commit time (whole seconds), so only the set is certain
    expect(events.map((e) => [e.event, e.subject]).sort()).toEqual([
      ['commit', 'Hooked commit'],
      ['commit', 'Unhooked commit'],
      ['exited', 'Hooked commit'],
      ['started', 'initial commit'],
    ]);
    expect(events.find((e) => e.subject === 'Unhooked commit')!.via).toBe('scan');
    // found once: asking again adds nothing
    expect(log('worker')).toHaveLength(4);
    const text = cli(repo.root, ['log'], env);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toMatch(/^TIME \(UTC\)\s+TASK\s+EVENT\s+COMMIT\s+SUBJECT$/);
    expect(text.stdout).toMatch(/worker\s+commit \(found later\)\s+[0-9a-f]{10}\s+Unhooked commit/);
    const unknown = cli(repo.root, ['log', 'nope'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('git superset: no such task: nope (see git superset ls)\n');
  });
});

describe('init', () => {
  it('10 concurrent starts in a fresh repository all succeed and set the repository up once', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => cliAsync(repo.root, ['start', `c${i}`, '--headless', '--agent', 'true'], env)));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    expect(gitIn(repo.root, 'config', '--local', '--get-all', 'include.path')).toBe('superset/config');
    expect(gitIn(repo.root, 'config', '--local', '--get-all', 'extensions.worktreeConfig')).toBe('true');
    // no notes.rewriteRef: git's own copy of notes on amend/rebase is unlocked (the post-rewrite hook copies)
    expect(spawnSync('git', ['config', '--get-all', 'notes.rewriteRef'], { cwd: repo.root, env: testEnv() }).status).toBe(1);
    expect(gitIn(repo.root, 'config', '--get-all', 'notes.displayRef')).toBe('refs/notes/superset');
    await waitFor(async () => (await logIn()).filter((e) => e.event === 'exited').length === 10, 15_000, '10 exits');
    expect(log().filter((e) => e.event === 'started')).toHaveLength(10);
  });

  it('notes follow an amend', async () => {
    start('amender', `sh -c 'git commit -q --allow-empty -m first'`);
    await exited('amender');
    const before = gitIn(repo.root, 'rev-parse', 'superset/amender');
    const res = spawnSync('git', ['commit', '-q', '--amend', '--allow-empty', '-m', 'amended'], { cwd: wt('amender'), env: testEnv(), encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(0);
    const after = gitIn(repo.root, 'rev-parse', 'superset/amender');
    expect(after).not.toBe(before);
    expect(gitIn(repo.root, 'notes', '--ref=superset', 'show', after)).toMatch(/"event":"exited"/);
  });
});
