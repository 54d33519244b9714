import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor, type CliResult } from '../support/cli.js';
import { run } from '../support/main.js';
import { BIN, makeRepo, removeRepo, testEnv, type TestRepo } from '../support/repo.js';
import { MAX_PROMPT_BYTES } from '../../src/runner/arg-limits.js';
import { sessionName } from '../../src/runner/tmux.js';
import { alive, argvAgent, created, killAgents, lsJson, stateDir, trustConfig, useAgentRepo, waitForExit, worktreesDir, type AgentRepo } from './_agents.js';

/**
 * Bad input gets one clear line and nothing is made; a `start` killed halfway is set right by the
 * next reader. Every case here failed (a crash, a retry for seconds, files outside the
 * repository, another task's agent killed) before the change that added it.
 */

let repo: TestRepo;
let tmux: AgentRepo['tmux'];
let env: Record<string, string>;
const fx = useAgentRepo();
beforeEach(() => ({ repo, tmux, env } = fx));

const gitConfig = (): string => fs.readFileSync(path.join(repo.root, '.git', 'config'), 'utf8');
const writeConfig = (config: unknown): void => fs.writeFileSync(path.join(repo.root, '.supersetrc.json'), typeof config === 'string' ? config : JSON.stringify(config));

/** Exit 2, exactly one line on stderr, `git superset: ...` matching `message`. */
function expectOneLine(res: CliResult, message: RegExp): void {
  expect(res.code, res.stderr).toBe(2);
  const lines = res.stderr.trimEnd().split('\n');
  expect(lines, res.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^git superset: /);
  expect(lines[0]).toMatch(message);
}

/** Runs `start` (in-process: it is refused before any agent) with these arguments, expects one line, and that not a file in .git nor a ref changed. */
async function refusedStart(args: string[], message: RegExp): Promise<void> {
  const config = gitConfig();
  const before = created(repo);
  const res = await run(repo.root, ['start', ...args], env);
  expectOneLine(res, message);
  expect(created(repo)).toEqual(before);
  expect(fs.existsSync(stateDir(repo))).toBe(false);
  expect(gitConfig()).toBe(config);
}

describe('worktreesDir where worktrees must not go: refused before anything is made', () => {
  it.each([
    ['.git', /is inside the git directory/],
    ['.git/worktrees-here', /is inside the git directory/],
    ['.', /is inside the work tree/],
    ['src/wt', /is inside the work tree/],
    ['..', /contains the repository/],
    ['/', /is the file system root/],
  ])('worktreesDir %j', async (dir, message) => {
    writeConfig({ worktreesDir: dir });
    await refusedStart(['t', '--headless', '--agent', 'true'], message);
  });

  it('an existing directory holding files that are not worktrees', async () => {
    const dir = path.join(repo.dir, 'stuff');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine\n');
    writeConfig({ worktreesDir: '../stuff' });
    await refusedStart(['t', '--headless', '--agent', 'true'], /already holds "notes\.txt", which is not a git worktree/);
    expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('the default directory too, when someone else put files there', async () => {
    fs.mkdirSync(worktreesDir(repo));
    fs.writeFileSync(path.join(worktreesDir(repo), 't'), 'a file where the task would go\n');
    await refusedStart(['t', '--headless', '--agent', 'true'], /already holds "t", which is not a git worktree/);
  });

  it('is fine with a directory that holds only worktrees', () => {
    expect(cli(repo.root, ['start', 'a', '--headless', '--agent', 'true'], env).code).toBe(0);
    const res = cli(repo.root, ['start', 'b', '--headless', '--agent', 'true'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(fs.readdirSync(worktreesDir(repo)).sort()).toEqual(['a', 'b']);
  });
});

describe("task names that are git's special names", () => {
  it.each(['FETCH_HEAD', 'ORIG_HEAD', 'MERGE_HEAD', 'CHERRY_PICK_HEAD', 'AUTO_MERGE', 'HEAD'])('%s is refused', async (name) => {
    await refusedStart([name, '--headless', '--agent', 'true'], /is one of git's special names/);
  });
});

describe('config values that used to crash name the file and the key', () => {
  it.each([
    ['{ "__proto__": { "agent": "x" } }', /config \.supersetrc\.json: unknown key "__proto__"/],
    ['{ "constructor": {} }', /config \.supersetrc\.json: unknown key "constructor"/],
    ['{ "toString": "x" }', /config \.supersetrc\.json: unknown key "toString"/],
    ['{ "snapshot": { "valueOf": 1 } }', /unknown key "snapshot\.valueOf"/],
    ['{ "agents": { "__proto__": { "command": "true" } } }', /"agents\.__proto__": an agent name may only hold/],
    ['{ "agents": { "x": { "command": "true", "headless": "" } } }', /config \.supersetrc\.json: "agents\.x\.headless" must not be blank/],
    ['{ "agents": { "x": { "command": "true", "headless": "   " } } }', /"agents\.x\.headless" must not be blank/],
    ['{ "agents": { "x": { "command": "true \'open" } } }', /"agents\.x\.command" must be a valid command line/],
    ['{ "agent": "" }', /"agent" must not be blank/],
    ['{ "base": "" }', /"base" must not be blank/],
  ])('%s', async (text, message) => {
    writeConfig(text);
    expectOneLine(await run(repo.root, ['ls'], env), message);
    await refusedStart(['t', '--headless', '--agent', 'x'], message);
  });

  it('an agent named like an Object.prototype member is just a name', async () => {
    await refusedStart(['t', '--headless', '--agent', 'toString'], /agent binary not found on PATH: toString/);
    await refusedStart(['t', '--headless', '--agent', 'constructor'], /agent binary not found on PATH: constructor/);
    writeConfig({ agents: { constructor: { command: 'true' } } });
    trustConfig(repo.root, env);
    const res = cli(repo.root, ['start', 't', '--headless', '--agent', 'constructor'], env);
    expect(res.code, res.stderr).toBe(0);
  });
});

describe('a branch that blocks the prefix is refused at once, with no git retry', () => {
  it('a branch named like the prefix', async () => {
    repo.git('branch', 'superset');
    await refusedStart(['t', '--headless', '--agent', 'true'], /a branch named superset exists, so git cannot make branches superset\/<task>/);
  });

  it('branchPrefix "main/" when main is a branch', async () => {
    writeConfig({ branchPrefix: 'main/' });
    await refusedStart(['t', '--headless', '--agent', 'true'], /a branch named main exists/);
  });

  it('a deeper branch under the task branch', async () => {
    repo.git('branch', 'superset/deep/x');
    await refusedStart(['deep', '--headless', '--agent', 'true'], /branch superset\/deep\/x exists, so git cannot make a branch superset\/deep/);
    // other names are fine
    expect(cli(repo.root, ['start', 'other', '--headless', '--agent', 'true'], env).code).toBe(0);
  });
});

describe('an unknown --base', () => {
  it('writes nothing: no .git/superset, .git/config as it was', async () => {
    await refusedStart(['t', '--headless', '--agent', 'true', '--base', 'no-such-ref'], /unknown base: no-such-ref/);
  });
});

describe('prompts and the one-argument limit', () => {
  it.each(['--tmux', '--headless'])('a 64 KB prompt reaches the agent whole (%s): argv never goes through the tmux command line', async (runner) => {
    const agent = argvAgent(repo);
    const prompt = `${'x'.repeat(32 * 1024)}\nline two "quoted" $(nope)\n+plus\nA${'é'.repeat(16 * 1024)}`;
    const res = cli(repo.root, ['start', 't', runner, '--agent', agent.bin, '--prompt', prompt], env);
    expect(res.code, res.stderr).toBe(0);
    expect(await waitFor(() => agent.argv('t'), 10_000, 'agent argv')).toEqual([prompt]);
    expect(agent.env('t')!.SUPERSET_PROMPT).toBe(prompt);
    // the wrapper removed the file it read the argv from
    expect(fs.readdirSync(path.join(stateDir(repo), 'tasks')).filter((f) => f.endsWith('.argv'))).toEqual([]);
  });

  it('a prompt of exactly the limit runs; one byte more is refused with the limit and what to do', async () => {
    const agent = argvAgent(repo);
    const file = path.join(repo.dir, 'prompt.txt');
    fs.writeFileSync(file, 'y'.repeat(MAX_PROMPT_BYTES + 1));
    await refusedStart(['t', '--headless', '--agent', agent.bin, '--prompt-file', file], new RegExp(`${MAX_PROMPT_BYTES + 1} bytes, over the ${MAX_PROMPT_BYTES} .*MAX_ARG_STRLEN.*put it in a file`));
    fs.writeFileSync(file, 'y'.repeat(MAX_PROMPT_BYTES));
    const res = cli(repo.root, ['start', 't', '--headless', '--agent', agent.bin, '--prompt-file', file], env);
    expect(res.code, res.stderr).toBe(0);
    expect((await waitFor(() => agent.argv('t'), 10_000, 'agent argv'))[0]).toHaveLength(MAX_PROMPT_BYTES);
    await waitForExit(repo, 't', 'done', env);
  });

  it('a huge prompt in a --from file fails the batch before any task is made', async () => {
    const file = path.join(repo.dir, 'tasks.md');
    fs.writeFileSync(file, `## small\nfix it\n\n## big\n${'z'.repeat(200_000)}\n`);
    await refusedStart(['--from', file, '--headless', '--agent', 'true'], /^git superset: big: the prompt is 2000\d\d bytes/);
  });

  it('a prompt with a NUL byte is refused', async () => {
    const file = path.join(repo.dir, 'prompt.txt');
    fs.writeFileSync(file, 'a\0b');
    await refusedStart(['t', '--headless', '--agent', 'true', '--prompt-file', file], /NUL byte/);
  });

  it('--prompt-file that cannot be read, and --prompt with --prompt-file', async () => {
    await refusedStart(['t', '--headless', '--agent', 'true', '--prompt-file', 'nope.txt'], /cannot read the prompt file nope\.txt: ENOENT/);
    const res = await run(repo.root, ['start', 't', '--headless', '--agent', 'true', '--prompt', 'x', '--prompt-file', 'nope.txt'], env);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/cannot be used with/);
  });
});

describe('tmux sessions are one per task', () => {
  const sleeper = (): string => {
    const bin = path.join(repo.dir, 'sleeper');
    fs.writeFileSync(bin, '#!/bin/sh\nexec sleep 60\n', { mode: 0o755 });
    return bin;
  };

  it('a.b and a_b (and a:b-like escapes) get sessions of their own; neither start touches the other', async () => {
    const bin = sleeper();
    for (const name of ['a.b', 'a_b', 'a_db', 'a__b']) {
      const res = cli(repo.root, ['start', name, '--tmux', '--agent', bin], env);
      expect(res.code, `${name}: ${res.stderr}`).toBe(0);
    }
    const rows = lsJson(repo, env);
    expect(rows.map((r) => r.status)).toEqual(['running', 'running', 'running', 'running']);
    const sessions = rows.map((r) => r.tmuxSession);
    expect(new Set(sessions).size).toBe(4);
    expect(tmux.sessions().sort()).toEqual([...sessions].sort());
    for (const r of rows) expect(alive(r.pid!)).toBe(true);
    // end them here, so their exit recording is over before the repository is removed
    expect(cli(repo.root, ['stop', 'a.b', 'a_b', 'a_db', 'a__b'], env).code).toBe(0);
    for (const r of rows) await waitFor(() => !alive(r.pid!), 15_000, `${r.name} to end`);
  });

  it('a start that fails on a session it did not make leaves that session alone, and rolls back only its own', async () => {
    const id = createHash('sha1').update(path.join(repo.root, '.git')).digest('hex').slice(0, 6);
    const session = sessionName(id, 't');
    spawnSync('tmux', ['-L', tmux.socket, 'new-session', '-d', '-s', session, 'sleep 60']);
    expect(tmux.sessions()).toEqual([session]);
    const before = created(repo);
    const res = await run(repo.root, ['start', 't', '--tmux', '--agent', sleeper()], env);
    expectOneLine(res, new RegExp(`tmux session ${session} already exists and is not this task's`));
    expect(tmux.sessions()).toEqual([session]);
    expect(created(repo)).toEqual(before);
  });
});

describe('a repository whose path holds a newline', () => {
  it('start, ls and rm work, and nothing is written outside the repository', async () => {
    const nl = makeRepo('re\npo');
    const tm = { SUPERSET_TMUX_SOCKET: env.SUPERSET_TMUX_SOCKET! };
    try {
      const outside = (): string[] => fs.readdirSync(nl.dir).sort();
      expect(outside()).toEqual(['re\npo']);
      for (const runner of ['--headless', '--tmux']) {
        const name = runner.slice(2);
        const res = cli(nl.root, ['start', name, runner, '--agent', 'true'], tm);
        expect(res.code, res.stderr).toBe(0);
      }
      expect(fs.existsSync(path.join(nl.root, '.git', 'superset', 'tasks', 'headless.json'))).toBe(true);
      const res = cli(nl.root, ['ls', '--json'], tm);
      expect(res.code, res.stderr).toBe(0);
      const rows = JSON.parse(res.stdout) as { name: string; worktree: string; status: string }[];
      expect(rows.map((r) => [r.name, r.worktree]).sort()).toEqual([
        ['headless', path.join(`${nl.root}.worktrees`, 'headless')],
        ['tmux', path.join(`${nl.root}.worktrees`, 'tmux')],
      ]);
      await waitFor(async () => (JSON.parse((await run(nl.root, ['ls', '--json'], tm)).stdout) as { status: string }[]).every((r) => r.status === 'done'), 15_000, 'both done');
      for (const name of ['headless', 'tmux']) {
        const rm = cli(nl.root, ['rm', name, '--force'], tm);
        expect(rm.code, rm.stderr).toBe(0);
      }
      expect(JSON.parse(cli(nl.root, ['ls', '--json'], tm).stdout)).toEqual([]);
      // only the repository and its worktrees directory: nothing split off at the newline ("re/superset")
      expect(outside().filter((f) => f !== 're\npo.worktrees')).toEqual(['re\npo']);
    } finally {
      killAgents(nl);
      removeRepo(nl);
    }
  }, 40_000);
});

describe('kill -9 of start in the middle of a batch', () => {
  it('the next ls lists every task made, writes each missing started event once, and breaks the stale locks', async () => {
    const agent = path.join(repo.dir, 'sleeper');
    fs.writeFileSync(agent, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    const file = path.join(repo.dir, 'tasks.txt');
    fs.writeFileSync(file, Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(2, '0')}: task ${i}\n`).join(''));
    const child = spawn(process.execPath, [BIN, 'start', '--from', file, '--headless', '--agent', agent], { cwd: repo.root, env: testEnv(env), stdio: 'ignore' });
    const dirs = () => (fs.existsSync(worktreesDir(repo)) ? fs.readdirSync(worktreesDir(repo)).length : 0);
    const running = () =>
      fs.existsSync(path.join(stateDir(repo), 'tasks'))
        ? fs.readdirSync(path.join(stateDir(repo), 'tasks')).filter((f) => f.endsWith('.json') && fs.readFileSync(path.join(stateDir(repo), 'tasks', f), 'utf8').includes('"running"')).length
        : 0;
    await waitFor(() => dirs() >= 4 && running() >= 2, 30_000, 'some worktrees and running agents');
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(dirs()).toBeLessThan(20); // killed mid-batch, not after

    const notesRef = () => spawnSync('git', ['rev-parse', '--verify', '--quiet', 'refs/notes/superset'], { cwd: repo.root, encoding: 'utf8' }).stdout.trim();
    const startedEvents = (): Map<string, number> => {
      const counts = new Map<string, number>();
      // every note blob of the notes tree at its tip
      const list = spawnSync('git', ['notes', '--ref=superset', 'list'], { cwd: repo.root, encoding: 'utf8' }).stdout;
      for (const line of list.split('\n').filter(Boolean)) {
        const blob = spawnSync('git', ['cat-file', 'blob', line.split(' ')[0]!], { cwd: repo.root, encoding: 'utf8' }).stdout;
        for (const l of blob.split('\n').filter(Boolean)) {
          const e = JSON.parse(l) as { task: string; event: string };
          if (e.event === 'started') counts.set(e.task, (counts.get(e.task) ?? 0) + 1);
        }
      }
      return counts;
    };

    const rows = lsJson(repo, env);
    const branches = repo.git('for-each-ref', '--format=%(refname:short)', 'refs/heads/superset/').split('\n').filter(Boolean);
    const worktrees = repo.git('worktree', 'list', '--porcelain').split('\n').filter((l) => l.startsWith('worktree ')).map((l) => l.slice(9)).slice(1);
    // every branch and every worktree start made is a task ls shows
    expect(rows.map((r) => r.branch).sort()).toEqual(expect.arrayContaining(branches));
    expect(branches.length).toBeGreaterThan(0);
    for (const w of worktrees) expect(rows.map((r) => r.worktree)).toContain(w);
    for (const r of rows) expect(r.status, `${r.name}: ${r.status}`).not.toBe('starting');
    // each launched task has its started event exactly once; no task has two
    const first = startedEvents();
    const launched = rows.filter((r) => r.pid !== null);
    expect(launched.length).toBeGreaterThan(0);
    for (const r of launched) expect(first.get(r.name), r.name).toBe(1);
    for (const [, n] of first) expect(n).toBe(1);
    // no stale locks, no pending events
    const leftovers = () => fs.readdirSync(path.join(stateDir(repo), 'tasks')).filter((f) => f.endsWith('.start.lock') || f.endsWith('.started'));
    expect(leftovers()).toEqual([]);

    // a second reader writes nothing more
    const tip = notesRef();
    lsJson(repo, env);
    expect(notesRef()).toBe(tip);
    expect(startedEvents()).toEqual(first);
  }, 60_000);
});

