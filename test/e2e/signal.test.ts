import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { testEnv, type TestRepo } from '../support/repo.js';
import { lsJson, stateDir } from './_agents.js';
import { fakeArgvAgent, gitAt, stateFile, useFakeAgentRepo, worktreeOf, type WatchFixture } from './_watch.js';

let repo: TestRepo;
let fx: WatchFixture;
const f = useFakeAgentRepo();
beforeEach(() => ({ repo, fx } = f));

const start = (name: string, agent = 'sleep 120', extra: string[] = []): void => {
  const res = cli(repo.root, ['start', name, '--agent', agent, ...extra], fx.env);
  expect(res.code, res.stderr).toBe(0);
};
const statusOf = (name: string): string => stateFile(repo, name).status;

describe('git superset signal', () => {
  it('sets the status, with the task named or from inside its worktree', () => {
    start('sig');
    expect(cli(repo.root, ['signal', 'sig', 'waiting'], fx.env).code).toBe(0);
    expect(statusOf('sig')).toBe('waiting');
    expect(stateFile(repo, 'sig')).toMatchObject({ statusBy: 'agent' });

    const wt = worktreeOf(repo, 'sig');
    fs.mkdirSync(path.join(wt, 'sub/dir'), { recursive: true });
    const inside = cli(path.join(wt, 'sub/dir'), ['signal', 'idle'], { ...fx.env, SUPERSET_TASK: '' });
    expect(inside.code, inside.stderr).toBe(0);
    expect(statusOf('sig')).toBe('idle');
    // Cheap: it runs no git at all (there is none on this PATH).
    const noGit = cli(wt, ['signal', 'running'], { ...fx.env, PATH: '/nonexistent', SUPERSET_TASK: '' });
    expect(noGit.code, noGit.stderr).toBe(0);
    expect(statusOf('sig')).toBe('running');
  });

  it('puts waiting tasks first in ls', () => {
    start('aaa');
    start('zzz');
    cli(repo.root, ['signal', 'zzz', 'waiting'], fx.env);
    expect(lsJson(repo, fx.env).map((t) => t.name)).toEqual(['zzz', 'aaa']);
  });

  it('does not bring an ended task back, and rejects unknown statuses', async () => {
    start('end', 'sh -c "exit 3"');
    await waitFor(() => statusOf('end') === 'failed', 10_000, 'the agent to fail');
    expect(cli(repo.root, ['signal', 'end', 'running'], fx.env).code).toBe(0);
    expect(statusOf('end')).toBe('failed');
    const bad = cli(repo.root, ['signal', 'end', 'sleeping'], fx.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('git superset: expected a status (running, waiting, idle, done): git superset signal [task] <status>\n');
  });

  it('takes the exit code after a signalled done, and reads finishing until then', async () => {
    // the agent exits once the test has seen finishing (a fixed `sleep 1` lost that race on a loaded machine)
    const go = path.join(repo.dir, 'go');
    start('fin', `sh -c 'while [ ! -e "$0" ]; do sleep 0.05; done; exit 4' '${go}'`);
    cli(repo.root, ['signal', 'fin', 'done'], fx.env);
    expect(statusOf('fin')).toBe('finishing');
    fs.writeFileSync(go, '');
    await waitFor(() => stateFile(repo, 'fin').exitCode === 4, 10_000, 'the exit');
    expect(statusOf('fin')).toBe('failed');
  });
});

describe('agent hooks', () => {
  it('wires Claude Code hooks through --settings, invisible to git status', async () => {
    const argvOf = fakeArgvAgent(f, 'claude');
    start('cl', 'claude', ['--prompt', 'fix it']);
    const argv = await argvOf('cl');
    const file = path.join(stateDir(repo), 'hooks', 'cl.claude-settings.json');
    expect(argv).toEqual(['--settings', file, '--', 'fix it']);
    const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as { hooks: Record<string, { matcher?: string; hooks: { type: string; command: string }[] }[]> };
    expect(Object.keys(settings.hooks).sort()).toEqual(['Notification', 'PermissionRequest', 'PostToolUse', 'SessionEnd', 'Stop', 'UserPromptSubmit']);
    expect(settings.hooks.Notification![0]!.matcher).toBe('permission_prompt|elicitation_dialog');

    const wt = worktreeOf(repo, 'cl');
    expect(gitAt(wt, 'status', '--porcelain', '--untracked-files=all')).toBe('');

    // Run each hook as Claude Code would: through a shell, in the worktree, JSON on stdin.
    const fire = (event: string) => {
      const command = settings.hooks[event]![0]!.hooks[0]!.command;
      const res = spawnSync('/bin/sh', ['-c', command], { cwd: wt, env: testEnv(fx.env), input: JSON.stringify({ hook_event_name: event, cwd: wt }), encoding: 'utf8' });
      expect(res.status, res.stderr).toBe(0);
      return statusOf('cl');
    };
    expect(fire('Notification')).toBe('waiting');
    expect(fire('UserPromptSubmit')).toBe('running');
    expect(fire('PermissionRequest')).toBe('waiting');
    // the permission was granted and the tool ran: working again
    expect(fire('PostToolUse')).toBe('running');
    expect(fire('PostToolUse')).toBe('running');
    expect(fire('Stop')).toBe('idle');
    // a tool call outside a permission wait leaves the status alone (and starts no Node)
    expect(fire('PostToolUse')).toBe('idle');
    // the session is over, but the task is done only once its exit is recorded
    expect(fire('SessionEnd')).toBe('finishing');
  });

  it("wires Codex's notify on its command line, ignoring the JSON it appends", async () => {
    const argvOf = fakeArgvAgent(f, 'codex');
    start('cx', 'codex', ['--prompt', 'go']);
    const argv = await argvOf('cx');
    expect(argv[0], JSON.stringify(argv)).toBe('-c');
    expect(argv.slice(2)).toEqual(['--', 'go']);
    const notify = JSON.parse(argv[1]!.replace(/^notify=/, '')) as string[];
    expect(notify.slice(2)).toEqual(['signal', 'cx', 'idle']);
    const res = spawnSync(notify[0]!, [...notify.slice(1), JSON.stringify({ type: 'agent-turn-complete' })], { cwd: worktreeOf(repo, 'cx'), env: testEnv(fx.env), encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(0);
    expect(statusOf('cx'), JSON.stringify(stateFile(repo, 'cx'))).toBe('idle');
  });
});
