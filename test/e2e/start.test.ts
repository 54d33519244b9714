import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { run } from '../support/main.js';
import { BIN, testEnv, type TestRepo } from '../support/repo.js';
import { argvAgent, created, lsJsonIn, NOTHING, taskIn, trustConfig, waitForStatus, worktreesDir, type ArgvAgent, useAgentRepo, type AgentRepo } from './_agents.js';

/** Everything a shell would love to interpret, plus a newline: it must reach the agent untouched. */
const NASTY = `He said "hi" and 'bye' $(touch pwned) \`touch pwned2\` back\\slash \\n $HOME *.ts ; exit 7 | cat
second line & { } [ ] ~`;

let repo: TestRepo;
let tmux: AgentRepo['tmux'];
let agent: ArgvAgent;
let env: Record<string, string>;
const fx = useAgentRepo();
beforeEach(() => {
  ({ repo, tmux, env } = fx);
  agent = argvAgent(repo);
});

const wt = (name: string): string => path.join(worktreesDir(repo), name);
/** A config with agents, trusted as a user would after reading it (untrusted, its agents are ignored). */
const writeConfig = (config: unknown): void => {
  fs.writeFileSync(path.join(repo.root, '.supersetrc.json'), JSON.stringify(config));
  trustConfig(repo.root, env);
};

describe.each(['--headless', '--tmux'])('the prompt reaches the agent verbatim (%s)', (runner) => {
  it('as exactly one argv element, and in SUPERSET_PROMPT', async () => {
    const res = cli(repo.root, ['start', 't', runner, '--agent', agent.bin, '--prompt', NASTY], env);
    expect(res.code, res.stderr).toBe(0);
    const argv = await waitFor(() => agent.argv('t'), 10_000, 'agent argv');
    expect(argv).toEqual([NASTY]);
    expect(agent.env('t')!.SUPERSET_PROMPT).toBe(NASTY);
    // nothing in it was run by a shell
    expect(fs.existsSync(path.join(wt('t'), 'pwned'))).toBe(false);
    expect(fs.existsSync(path.join(wt('t'), 'pwned2'))).toBe(false);
  });

  it('after the words of a quoted command line, which is split but never run by a shell', async () => {
    const line = `${agent.bin} --flag 'two words' "x \\"y\\"" $(nope)`;
    const res = cli(repo.root, ['start', 't', runner, '--agent', line, '--prompt', NASTY], env);
    expect(res.code, res.stderr).toBe(0);
    expect(await waitFor(() => agent.argv('t'))).toEqual(['--flag', 'two words', 'x "y"', '$(nope)', NASTY]);
  });

  it('via sh -c "$1": the shell receives the prompt as data', async () => {
    const out = path.join(repo.dir, 'prompt.txt');
    const res = cli(repo.root, ['start', 't', runner, '--agent', `sh -c 'printf %s "$1" > "$0"' '${out}'`, '--prompt', NASTY], env);
    expect(res.code, res.stderr).toBe(0);
    expect(await waitFor(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8'))).toBe(NASTY);
  });
});

describe('config agents', () => {
  it('put the prompt in place of {prompt}, as one word', async () => {
    writeConfig({ agents: { mine: { command: `"${agent.bin}" --before {prompt} --after` } } });
    const res = cli(repo.root, ['start', 't', '--headless', '--agent', 'mine', '--prompt', NASTY], env);
    expect(res.code, res.stderr).toBe(0);
    expect(await waitFor(() => agent.argv('t'))).toEqual(['--before', NASTY, '--after']);
  });

  it('drop {prompt} when there is no prompt', async () => {
    writeConfig({ agents: { mine: { command: `"${agent.bin}" --before {prompt} --after` } } });
    const res = cli(repo.root, ['start', 't', '--headless', '--agent', 'mine'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(await waitFor(() => agent.argv('t'))).toEqual(['--before', '--after']);
  });

  it('{prompt:--flag} passes the option with the prompt, and neither without one', async () => {
    writeConfig({ agents: { mine: { command: `"${agent.bin}" {prompt:--message} --after` } } });
    expect(cli(repo.root, ['start', 'with', '--headless', '--agent', 'mine', '--prompt', NASTY], env).code).toBe(0);
    expect(cli(repo.root, ['start', 'without', '--headless', '--agent', 'mine'], env).code).toBe(0);
    expect(await waitFor(() => agent.argv('with'))).toEqual(['--message', NASTY, '--after']);
    expect(await waitFor(() => agent.argv('without'))).toEqual(['--after']);
  });

  it('use config "agent" as the default agent and "headless" as the headless form', async () => {
    writeConfig({ agent: 'mine', agents: { mine: { command: `"${agent.bin}" interactive`, headless: `"${agent.bin}" headless` } } });
    expect(cli(repo.root, ['start', 'h', '--headless', '--prompt', 'p'], env).code).toBe(0);
    expect(cli(repo.root, ['start', 'i', '--tmux', '--prompt', 'p'], env).code).toBe(0);
    expect(await waitFor(() => agent.argv('h'))).toEqual(['headless', 'p']);
    expect(await waitFor(() => agent.argv('i'))).toEqual(['interactive', 'p']);
  });
});

describe('the agent environment', () => {
  it.each(['--headless', '--tmux'])('names the task (%s)', async (runner) => {
    const res = cli(repo.root, ['start', 't', runner, '--agent', agent.bin, '--prompt', 'do it'], { ...env, ONLY_IN_START: 'yes' });
    expect(res.code, res.stderr).toBe(0);
    const e = await waitFor(() => agent.env('t'));
    expect(e).toMatchObject({
      SUPERSET_TASK: 't',
      SUPERSET_BRANCH: 'superset/t',
      SUPERSET_WORKTREE: wt('t'),
      SUPERSET_BASE: 'main',
      SUPERSET_PROMPT: 'do it',
      ONLY_IN_START: 'yes',
    });
    expect(e.GIT_DIR).toBeUndefined();
    expect(e.PWD ?? wt('t')).toBe(wt('t'));
  });

  it("is start's own, also when the tmux server was already running with an older one", async () => {
    // The server starts with an environment that lacks both the variable and the agent's directory on PATH.
    const pre = spawn('tmux', ['-L', tmux.socket, 'new-session', '-d', '-s', 'older', 'sleep 60'], { env: testEnv(), stdio: 'ignore' });
    await new Promise((r) => pre.on('close', r));
    expect(tmux.sessions()).toContain('older');
    const binDir = path.join(repo.dir, 'bin');
    fs.mkdirSync(binDir);
    fs.copyFileSync(agent.bin, path.join(binDir, 'my-agent'));
    fs.chmodSync(path.join(binDir, 'my-agent'), 0o755);
    const startEnv = { ...env, FRESH_VAR: 'fresh value', PATH: `${binDir}:${process.env.PATH}` };
    const res = cli(repo.root, ['start', 't', '--tmux', '--agent', 'my-agent', '--prompt', 'p'], startEnv);
    expect(res.code, res.stderr).toBe(0);
    const e = await waitFor(() => agent.env('t'));
    expect(e.FRESH_VAR).toBe('fresh value');
    expect(e.PATH!.split(':')[0]).toBe(binDir);
  });
});

describe('a missing agent binary', () => {
  it.each([
    ['a command on PATH', 'no-such-agent-xyz --flag'],
    ['a relative path', './no/such/agent'],
    ['a preset whose CLI is not installed', 'aider'],
  ])('%s: a clear error before anything is created', (_, agentName) => {
    for (const runner of ['--headless', '--tmux']) {
      const res = cli(repo.root, ['start', 't', runner, '--agent', agentName, '--prompt', 'p'], { ...env, PATH: '/usr/bin:/bin' });
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/agent binary not found/);
      expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(created(repo)).toEqual(NOTHING);
    }
    expect(tmux.sessions()).toEqual([]);
  });
});

describe('a missing agent binary in a batch', () => {
  it('--agents with one missing agent: nothing is created for any of them', async () => {
    writeConfig({ agents: { good: { command: `"${agent.bin}"` } } });
    const res = await run(repo.root, ['start', 'a', 'b', '--headless', '--agents', 'good,no-such-agent-xyz', '--prompt', 'p'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/agent binary not found on PATH: no-such-agent-xyz/);
    expect(created(repo).branches).toEqual(['main']);
    expect(created(repo).worktreeDirs).toEqual([]);
  });
});

describe('existing branches', () => {
  it('superset/<task> made by hand gets a worktree, its commits untouched', async () => {
    repo.git('branch', 'superset/t');
    repo.git('worktree', 'add', '-q', path.join(repo.dir, 'tmp-wt'), 'superset/t');
    fs.writeFileSync(path.join(repo.dir, 'tmp-wt', 'work.txt'), 'work\n');
    repo.git('-C', path.join(repo.dir, 'tmp-wt'), 'add', 'work.txt');
    repo.git('-C', path.join(repo.dir, 'tmp-wt'), 'commit', '-q', '-m', 'hand-made work');
    repo.git('worktree', 'remove', path.join(repo.dir, 'tmp-wt'));
    const tip = repo.git('rev-parse', 'superset/t');

    const res = cli(repo.root, ['start', 't', '--headless', '--agent', agent.bin], env);
    expect(res.code, res.stderr).toBe(0);
    expect(repo.git('rev-parse', 'superset/t')).toBe(tip);
    expect(repo.git('-C', wt('t'), 'rev-parse', 'HEAD')).toBe(tip);
    expect(fs.readFileSync(path.join(wt('t'), 'work.txt'), 'utf8')).toBe('work\n');
    expect((await taskIn(repo, 't', env))).toMatchObject({ branch: 'superset/t', ahead: 1 });
  });

  it('--branch adopts any existing branch as a task', async () => {
    repo.git('branch', 'feature/login');
    const res = cli(repo.root, ['start', 'login', '--headless', '--agent', agent.bin, '--branch', 'feature/login'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(repo.git('-C', wt('login'), 'symbolic-ref', '--short', 'HEAD')).toBe('feature/login');
    expect((await taskIn(repo, 'login', env))).toMatchObject({ name: 'login', branch: 'feature/login', worktree: wt('login') });
    expect(await waitFor(() => agent.env('login'))).toMatchObject({ SUPERSET_BRANCH: 'feature/login' });
    expect(repo.git('branch', '--list', 'superset/*')).toBe('');
  });

  it('--branch with a branch that does not exist: exit 2, nothing created', async () => {
    const res = await run(repo.root, ['start', 'x', '--headless', '--agent', agent.bin, '--branch', 'nope'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/no such branch: nope/);
    expect(created(repo)).toEqual({ ...NOTHING, stateFiles: expect.any(Array) });
    expect(created(repo).stateFiles.filter((f) => f.startsWith('x.'))).toEqual([]);
  });
});

describe('relaunching a task whose agent is not running', () => {
  it('uses the resume form of a config agent, in the same worktree and branch', async () => {
    writeConfig({ agents: { mine: { command: `"${agent.bin}" first {prompt}`, resume: `"${agent.bin}" resumed` } } });
    expect(cli(repo.root, ['start', 't', '--tmux', '--agent', 'mine', '--prompt', 'go'], env).code).toBe(0);
    expect(await waitFor(() => agent.argv('t'))).toEqual(['first', 'go']);
    await waitForStatus(repo, 't', 'done', env);
    fs.writeFileSync(path.join(wt('t'), 'kept.txt'), 'uncommitted work\n');

    const res = cli(repo.root, ['start', 't', '--tmux', '--agent', 'mine'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/relaunched t/);
    expect(await waitFor(() => agent.argv('t')?.[0] === 'resumed' && agent.argv('t'))).toEqual(['resumed']);
    expect(fs.readFileSync(path.join(wt('t'), 'kept.txt'), 'utf8')).toBe('uncommitted work\n');
    await waitForStatus(repo, 't', 'done', env);
    expect((await lsJsonIn(repo, env))).toHaveLength(1);
  });

  it('relaunches a stopped headless task', async () => {
    expect(cli(repo.root, ['start', 't', '--headless', '--agent', 'sleep 30'], env).code).toBe(0);
    expect(cli(repo.root, ['stop', 't', '--timeout', '2'], env).code).toBe(0);
    await waitForStatus(repo, 't', 'stopped', env);
    const res = cli(repo.root, ['start', 't', '--headless', '--agent', agent.bin, '--prompt', 'again'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/relaunched t/);
    expect(await waitFor(() => agent.argv('t'))).toEqual(['again']);
  });

  it('refuses a task that is already running', async () => {
    expect(cli(repo.root, ['start', 't', '--tmux', '--agent', 'sleep 30'], env).code).toBe(0);
    const before = (await taskIn(repo, 't', env))!;
    const res = await run(repo.root, ['start', 't', '--tmux', '--agent', 'sleep 30'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/already running/);
    expect((await taskIn(repo, 't', env))).toMatchObject({ status: 'running', pid: before.pid, startedAt: before.startedAt });
    expect(tmux.sessions()).toHaveLength(1);
  });
});

describe('many tasks at once', () => {
  it('start a b c', async () => {
    const res = cli(repo.root, ['start', 'a', 'b', 'c', '--headless', '--agent', agent.bin, '--prompt', 'same'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.trim().split('\n')).toHaveLength(3);
    for (const n of ['a', 'b', 'c']) expect(await waitFor(() => agent.argv(n))).toEqual(['same']);
    // ls puts tasks that need you first: compare as a set
    expect((await lsJsonIn(repo, env)).map((t) => t.name).sort()).toEqual(['a', 'b', 'c']);
    expect(created(repo).worktreeDirs.sort()).toEqual(['a', 'b', 'c']);
  });

  it('--from a file of "name: prompt" lines', async () => {
    const file = path.join(repo.dir, 'tasks.txt');
    fs.writeFileSync(file, `# backlog\nalpha: fix "the" login\n\nbeta: it's $(broken) \`really\`\n`);
    const res = cli(repo.root, ['start', '--headless', '--agent', agent.bin, '--from', file], env);
    expect(res.code, res.stderr).toBe(0);
    expect(await waitFor(() => agent.argv('alpha'))).toEqual(['fix "the" login']);
    expect(await waitFor(() => agent.argv('beta'))).toEqual(["it's $(broken) `really`"]);
  });

  it('--from a markdown file of "## name" headings, the prompt below each (relative to the cwd)', async () => {
    fs.mkdirSync(path.join(repo.root, 'docs'));
    fs.writeFileSync(path.join(repo.root, 'docs', 'tasks.md'), `# Sprint\n\n## one\nFirst line.\nSecond "line".\n\n## two\nJust this.\n`);
    const res = cli(path.join(repo.root, 'docs'), ['start', '--headless', '--agent', agent.bin, '--from', 'tasks.md'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(await waitFor(() => agent.argv('one'))).toEqual(['First line.\nSecond "line".']);
    expect(await waitFor(() => agent.argv('two'))).toEqual(['Just this.']);
  });

  it('--from a file that does not exist: one line, exit 2', async () => {
    const res = await run(repo.root, ['start', '--headless', '--agent', agent.bin, '--from', 'nope.md'], env);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/nope\.md/);
    expect(created(repo)).toEqual(NOTHING);
  });

  it('--agents a,b: best-of-N, one task per agent with the same prompt', async () => {
    writeConfig({ agents: { alpha: { command: `"${agent.bin}" A` }, beta: { command: `"${agent.bin}" B` } } });
    const res = cli(repo.root, ['start', 'parser', '--headless', '--agents', 'alpha,beta', '--prompt', 'rewrite it'], env);
    expect(res.code, res.stderr).toBe(0);
    expect(await waitFor(() => agent.argv('parser-alpha'))).toEqual(['A', 'rewrite it']);
    expect(await waitFor(() => agent.argv('parser-beta'))).toEqual(['B', 'rewrite it']);
    const tasks = (await lsJsonIn(repo, env)).sort((a, b) => a.name.localeCompare(b.name));
    expect(tasks.map((t) => [t.name, t.branch, t.agent])).toEqual([
      ['parser-alpha', 'superset/parser-alpha', 'alpha'],
      ['parser-beta', 'superset/parser-beta', 'beta'],
    ]);
  });

  it('--json prints the started tasks', async () => {
    const res = cli(repo.root, ['start', 'a', 'b', '--headless', '--agent', agent.bin, '--prompt', 'p', '--json'], env);
    expect(res.code, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as Record<string, unknown>[];
    expect(out.map((t) => t.name).sort()).toEqual(['a', 'b']);
    for (const t of out) {
      expect(t).toMatchObject({ branch: `superset/${t.name}`, worktree: wt(t.name as string), runner: 'headless', relaunched: false, prompt: 'p' });
      expect(typeof t.startedAt).toBe('string');
    }
  });
});

describe('failures roll back', () => {
  const hook = (body: string): void => {
    fs.writeFileSync(path.join(repo.root, '.git', 'hooks', 'post-checkout'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  };

  it('a failing post-checkout hook leaves no branch, worktree or state', async () => {
    hook('echo "hook says no" >&2; exit 1');
    const res = await run(repo.root, ['start', 't', '--headless', '--agent', agent.bin], env);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/hook says no/);
    expect(created(repo)).toEqual(NOTHING);
    expect(agent.argv('t')).toBeNull();
  });

  it.each([
    ['Ctrl-C (SIGINT to the process group)', true],
    ['SIGINT to start alone', false],
  ])('%s during a slow post-checkout hook rolls back and exits non-zero', async (_, group) => {
    const marker = path.join(repo.dir, 'hook-running');
    hook(`touch '${marker}'; sleep 2`);
    const child = spawn(process.execPath, [BIN, 'start', 't', '--headless', '--agent', agent.bin], {
      cwd: repo.root,
      env: testEnv(env),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += b));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    await waitFor(() => fs.existsSync(marker), 10_000, 'the hook to run');
    process.kill(group ? -child.pid! : child.pid!, 'SIGINT');
    const code = await exited;
    expect(code, stderr).not.toBe(0);
    expect(code).not.toBeNull();
    expect(created(repo)).toEqual(NOTHING);
    expect(agent.argv('t')).toBeNull();
  });
});
