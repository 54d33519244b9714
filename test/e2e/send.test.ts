import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { run } from '../support/main.js';
import type { TestRepo } from '../support/repo.js';
import { useAgentRepo, waitForExit, waitForStatus, worktreesDir } from './_agents.js';

let repo: TestRepo;
let env: Record<string, string>;
const fx = useAgentRepo();
beforeEach(() => {
  ({ repo } = fx);
  env = { ...fx.env, SUPERSET_WATCH: '0' };
});

const wt = (name: string): string => path.join(worktreesDir(repo), name);

describe('send', () => {
  it('types the message into a running interactive agent waiting on read, verbatim: ; quotes $(...) and a final ;', async () => {
    // The agent reads two lines, writes them to a file outside any worktree and exits.
    const got = path.join(repo.dir, 'got.txt');
    const start = cli(repo.root, ['start', 'ask', '--tmux', '--agent', `sh -c 'read -r a; read -r b; printf "%s\\n%s\\n" "$a" "$b" > "$0"' ${got}`], env);
    expect(start.code, start.stderr).toBe(0);
    const first = `-x a; b "c" 'd' $(touch pwned) \`touch pwned2\` C-c Enter`;
    const second = 'end with a semicolon;';
    const res = cli(repo.root, ['send', 'ask', '--', first], env);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe('sent to ask (attach: git superset attach ask)\n');
    expect(cli(repo.root, ['send', 'ask', second], env).code).toBe(0);
    const text = await waitFor(() => fs.existsSync(got) && fs.readFileSync(got, 'utf8'), 10_000, 'the agent to write what it read');
    expect(text).toBe(`${first}\n${second}\n`);
    expect(fs.existsSync(path.join(wt('ask'), 'pwned'))).toBe(false);
    expect(fs.existsSync(path.join(repo.root, 'pwned'))).toBe(false);
  });

  it('refuses a running headless task, an ended task whose agent cannot resume, an empty message and an unknown task', async () => {
    expect(cli(repo.root, ['start', 'h', '--headless', '--agent', 'sleep 30'], env).code).toBe(0);
    const headless = await run(repo.root, ['send', 'h', 'hello'], env);
    expect(headless.code).toBe(2);
    expect(headless.stderr).toBe('git superset: h runs headless and reads no input: wait until it ends (send then resumes it), or stop it first\n');
    expect(cli(repo.root, ['start', 'e', '--headless', '--agent', 'true'], env).code).toBe(0);
    await waitForExit(repo, 'e', 'done', env);
    const ended = await run(repo.root, ['send', 'e', 'hello'], env);
    expect(ended.code).toBe(2);
    expect(ended.stderr).toBe('git superset: e has ended and its agent (true) has no headless resume form: start a new task with this prompt\n');
    expect((await run(repo.root, ['send', 'e', '  '], env)).stderr).toBe('git superset: the message is empty\n');
    expect((await run(repo.root, ['send', 'nope', 'x'], env)).stderr).toBe('git superset: no such task: nope (see git superset ls)\n');
  });

  it('to an ended task whose preset resumes: one more headless turn, in the same worktree, recorded like any run', async () => {
    // a fake `claude` on PATH that records each run's argv and commits a file per turn
    const bin = path.join(repo.dir, 'bin');
    fs.mkdirSync(bin);
    const runs = path.join(repo.dir, 'claude-runs');
    fs.writeFileSync(
      path.join(bin, 'claude'),
      `#!/bin/sh\nn=$(ls '${runs}' 2>/dev/null | wc -l)\nmkdir -p '${runs}'\nfor a in "$@"; do printf '%s\\0' "$a"; done > '${runs}'/$n\necho "turn $n" > turn$n.txt\n`,
      { mode: 0o755 },
    );
    const penv = { ...env, PATH: `${bin}:${process.env.PATH}` };
    const start = cli(repo.root, ['start', 'r', '--headless', '--agent', 'claude', '--prompt', 'first turn'], penv);
    expect(start.code, start.stderr).toBe(0);
    await waitForExit(repo, 'r', 'done', penv);
    const res = cli(repo.root, ['send', 'r', 'now the second; "quoted"'], penv);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe('resumed r for one more turn, headless (logs: git superset logs r)\n');
    const argv = await waitFor(() => (fs.existsSync(path.join(runs, '1')) ? fs.readFileSync(path.join(runs, '1'), 'utf8').replace(/\0$/, '').split('\0') : undefined), 10_000, 'the second turn');
    expect(argv).toContain('--continue');
    expect(argv).toContain('-p');
    expect(argv[argv.length - 1]).toBe('now the second; "quoted"');
    await waitForStatus(repo, 'r', 'done', penv);
    // commit on exit recorded the second turn's work on the branch
    await waitFor(() => repo.git('ls-tree', '--name-only', 'superset/r').split('\n').includes('turn1.txt'), 10_000, 'the second turn committed');
    const state = JSON.parse(fs.readFileSync(path.join(repo.root, '.git/superset/tasks/r.json'), 'utf8')) as { prompt?: string };
    expect(state.prompt).toBe('first turn');
  });
});
