import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { run } from '../support/main.js';
import { ROOT, type TestRepo } from '../support/repo.js';
import { alive, argvAgent, created, lsJsonIn, NOTHING, taskIn, waitForExit, useAgentRepo, type AgentRepo } from './_agents.js';

// The rough edges a new user hit (issue 9), each with the real CLI.
let repo: TestRepo;
let tmux: AgentRepo['tmux'];
let env: Record<string, string>;
const fx = useAgentRepo();
beforeEach(() => ({ repo, tmux, env } = fx));

const ok = (args: string[], extra: Record<string, string> = {}) => {
  const res = cli(repo.root, args, { ...env, ...extra });
  expect(res.code, `${args.join(' ')}: ${res.stderr}`).toBe(0);
  return res;
};
const logOf = (name: string): string => fs.readFileSync(path.join(repo.root, '.git/superset/logs', `${name}.log`), 'utf8');

describe('relaunching a stopped task', () => {
  it.each(['--headless', '--tmux'])('runs the same agent again, not the default one (%s)', async (runner) => {
    const agent = argvAgent(repo);
    // the default agent is one that does not exist: using it would fail the relaunch
    fs.writeFileSync(path.join(repo.root, '.supersetrc.json'), JSON.stringify({ agent: 'no-such-default-agent' }));
    ok(['start', 't', runner, '--agent', `${agent.bin} first-run`]);
    await waitFor(() => agent.argv('t'));
    await waitForExit(repo, 't', 'done', env);
    fs.rmSync(path.join(repo.dir, 'argv-agent-out', 't.argv'));

    const res = ok(['start', 't', runner]);
    expect(res.stdout).toMatch(/relaunched t/);
    expect(await waitFor(() => agent.argv('t'))).toEqual(['first-run']);
    expect((await taskIn(repo, 't', env))!.agent).toBe(`${agent.bin} first-run`);
    await waitForExit(repo, 't', 'done', env);

    // --agent still says otherwise
    ok(['start', 't', runner, '--agent', `${agent.bin} second`]);
    await waitFor(() => agent.argv('t')?.[0] === 'second');
    await waitForExit(repo, 't', 'done', env);
  });

  it('marks each launch in the log, so `logs` tells the runs apart', async () => {
    ok(['start', 't', '--headless', '--agent', 'sh -c "echo first-output"']);
    await waitForExit(repo, 't', 'done', env);
    ok(['start', 't', '--headless', '--agent', 'sh -c "echo second-output"']);
    await waitForExit(repo, 't', 'done', env);
    const out = ok(['logs', 't']).stdout;
    const lines = out.split('\n');
    const h1 = lines.findIndex((l) => /^── launch 1 · \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ · sh -c "echo first-output" ──$/.test(l));
    const h2 = lines.findIndex((l) => /^── launch 2 · .* · sh -c "echo second-output" ──$/.test(l));
    expect(h1).toBe(0);
    expect(h2).toBeGreaterThan(lines.indexOf('first-output'));
    expect(lines.indexOf('second-output')).toBeGreaterThan(h2);
  });
});

describe('a tmux agent that fails at once', () => {
  it('keeps its pane to read; logs shows the error; a relaunch, stop and rm clean the session', async () => {
    ok(['start', 't', '--tmux', '--agent', 'sh -c "echo cannot-find-api-key >&2; exit 3"']);
    const t = await waitForExit(repo, 't', 'failed', env);
    expect(t.exitCode).toBe(3);
    expect(tmux.sessions()).toEqual([t.tmuxSession]);
    // `failed` is recorded by the wrapper just before it exits: tmux marks the pane dead a moment later
    const shown = await waitFor(() => {
      const out = ok(['logs', 't']).stdout;
      return /the agent exited with 3/.test(out) ? out : null;
    }, 10_000, "the dead pane's line");
    expect(shown).toContain('cannot-find-api-key');
    expect(logOf('t')).toContain('cannot-find-api-key');

    // a relaunch replaces the dead pane's session instead of failing on a duplicate name
    ok(['start', 't', '--tmux', '--agent', 'sh -c "echo again >&2; exit 4"']);
    await waitForExit(repo, 't', 'failed', env);
    expect(tmux.sessions()).toEqual([t.tmuxSession]);

    expect(ok(['stop', 't']).stdout).toMatch(/t is not running \(failed\)/);
    expect(tmux.sessions()).toEqual([]);

    ok(['start', 't', '--tmux', '--agent', 'sh -c "exit 5"']);
    await waitForExit(repo, 't', 'failed', env);
    expect(tmux.sessions()).toHaveLength(1);
    ok(['rm', 't', '--force']);
    expect(tmux.sessions()).toEqual([]);
  });

  it('one that succeeds still closes its session', async () => {
    ok(['start', 't', '--tmux', '--agent', 'true']);
    await waitForExit(repo, 't', 'done', env);
    await waitFor(() => tmux.sessions().length === 0, 10_000, 'the session to close');
  });
});

describe('stop', () => {
  // Each agent, on SIGTERM, waits until every other agent got its SIGTERM too, then exits. Stopped
  // one after another, the first would wait in vain and be killed after the timeout; stopped in
  // parallel, every one ends gently. No clock is read.
  it('stops many tasks in parallel', async () => {
    const marks = path.join(repo.dir, 'marks');
    fs.mkdirSync(marks);
    fs.mkdirSync(`${marks}-ready`);
    const n = 6;
    const names = Array.from({ length: n }, (_, i) => `t${i}`);
    const bin = path.join(repo.dir, 'patient-agent');
    fs.writeFileSync(
      bin,
      `#!/bin/sh
on_term() {
  touch "$1/$SUPERSET_TASK"
  while [ "$(ls "$1" | wc -l)" -lt ${n} ]; do sleep 0.05; done
  exit 0
}
trap 'on_term "$1"' TERM
touch "$1-ready/$SUPERSET_TASK"
while :; do sleep 0.05; done
`,
      { mode: 0o755 },
    );
    ok(['start', ...names, '--headless', '--agent', `${bin} ${marks}`]);
    // every agent has its TERM handler in place
    await waitFor(() => fs.readdirSync(`${marks}-ready`).length === n, 20_000, 'the agents to be ready');
    const rows = await lsJsonIn(repo, env);
    const pids = names.map((name) => rows.find((r) => r.name === name)!.pid!);
    const res = ok(['stop', ...names, '--timeout', '20', '--json']);
    const results = JSON.parse(res.stdout) as { name: string; how: string }[];
    expect(results.map((r) => [r.name, r.how]), res.stdout).toEqual(names.map((name) => [name, 'terminated']));
    for (const pid of pids) expect(alive(pid)).toBe(false);
    // one `stopped` event per task in the record
    for (const name of names) expect(repo.git('notes', '--ref=superset', 'show', `superset/${name}`)).toMatch(/"event":"stopped"/);
    expect((await lsJsonIn(repo, env)).every((t) => t.status === 'stopped')).toBe(true);
  });

  it('--timeout must be a number: one line, exit 2, nothing stopped', async () => {
    ok(['start', 't', '--headless', '--agent', 'sleep 30']);
    const res = await run(repo.root, ['stop', 't', '--timeout', 'soon'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe('git superset: --timeout takes a number of seconds, not "soon"\n');
    expect((await taskIn(repo, 't', env))!.status).toBe('running');
  });
});

describe('--agents with command lines that share a name', () => {
  it('numbers them, so each variant is its own task', async () => {
    const res = ok(['start', 'x', '--headless', '--agents', `sh -c 'echo one',sh -c 'echo two'`]);
    expect(res.stdout).toMatch(/started x-sh-1 /);
    expect(res.stdout).toMatch(/started x-sh-2 /);
    expect((await lsJsonIn(repo, env)).map((t) => [t.name, t.agent]).sort()).toEqual([
      ['x-sh-1', "sh -c 'echo one'"],
      ['x-sh-2', "sh -c 'echo two'"],
    ]);
  });
});

describe('the config example', () => {
  it('works when copied as .supersetrc.json', async () => {
    fs.copyFileSync(path.join(ROOT, '.supersetrc.example'), path.join(repo.root, '.supersetrc.json'));
    // its example agent is a command: ignored, with one line, until the file is trusted
    const untrusted = await run(repo.root, ['ls'], env);
    expect(untrusted.code).toBe(0);
    expect(untrusted.stderr).toMatch(/^git superset: \.supersetrc\.json is not trusted: ignoring agents\.mine .*\n$/);
    ok(['trust']);
    const res = await run(repo.root, ['ls'], env);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
  });

  it('a JSON config with comments: the reason and the line, on one line', async () => {
    fs.writeFileSync(path.join(repo.root, '.supersetrc.json'), '{\n  // my agent\n  "agent": "claude"\n}\n');
    const res = await run(repo.root, ['ls'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^git superset: config \.supersetrc\.json: cannot be read: .* in JSON at line 2 \(JSON files cannot hold \/\/ comments\)\n$/);
    expect(created(repo)).toEqual(NOTHING);
  });
});

describe('a repository without a work tree', () => {
  it('a bare repository: says to clone it', async () => {
    const bare = path.join(repo.dir, 'bare.git');
    spawnSync('git', ['clone', '-q', '--bare', repo.root, bare]);
    for (const args of [['ls'], ['start', 't', '--headless', '--agent', 'true']]) {
      const res = await run(bare, args, env);
      expect(res.code).toBe(2);
      expect(res.stderr).toBe(`git superset: ${bare} is a bare repository, and tasks need a work tree: clone it (git clone ${bare} <dir>) and run git superset in the clone\n`);
    }
  });

  it('inside .git: says where the work tree is', async () => {
    const res = await run(path.join(repo.root, '.git'), ['ls'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/is a git directory, not a work tree: run git superset in the repository's work tree \(.*\/repo\)\n$/);
  });
});

describe('ls in a terminal of a given width', () => {
  it('17 tasks fit 80 columns; --wide and --json have everything', async () => {
    const names = Array.from({ length: 17 }, (_, i) => `refactor-module-number-${i}`);
    ok(['start', ...names, '--headless', '--agent', `sh -c 'echo working on "$1"' agent-name`, '--prompt', 'the prompt']);
    for (const name of names) await waitForExit(repo, name, 'done', env);
    const narrow = ok(['ls'], { COLUMNS: '80' }).stdout.trimEnd().split('\n');
    expect(narrow).toHaveLength(18);
    for (const line of narrow) expect(line.length, line).toBeLessThanOrEqual(80);
    const wide = ok(['ls', '--wide'], { COLUMNS: '80' }).stdout;
    expect(wide).toContain(path.join(`${repo.root}.worktrees`, 'refactor-module-number-0'));
    const json = await lsJsonIn(repo, env);
    expect(json).toHaveLength(17);
    expect(json[0]).toMatchObject({ schemaVersion: 1, prompt: 'the prompt' });
  });
});
