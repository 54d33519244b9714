import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { testEnv, type TestRepo } from '../support/repo.js';
import { stateDir } from './_agents.js';
import { fakeEnvAgent, gitAt, stateFile, useFakeAgentRepo, worktreeOf, type WatchFixture } from './_watch.js';

let repo: TestRepo;
let fx: WatchFixture;
const f = useFakeAgentRepo();
beforeEach(() => ({ repo, fx } = f));

const start = (name: string, agent: string, env: Record<string, string> = {}): void => {
  const res = cli(repo.root, ['start', name, '--agent', agent, '--prompt', 'go'], { ...fx.env, ...env });
  expect(res.code, res.stderr).toBe(0);
};
const statusOf = (name: string): string => stateFile(repo, name).status;
const untracked = (task: string): string => gitAt(worktreeOf(repo, task), 'status', '--porcelain', '--untracked-files=all', '--ignored');

describe('gemini status hooks', () => {
  it("load from a Gemini home under .git/superset: the user's settings plus our hooks, the rest linked", async () => {
    const home = path.join(repo.dir, 'home');
    fs.mkdirSync(path.join(home, '.gemini'), { recursive: true });
    const userSettings = '{\n  // mine\n  "model": {"name": "gemini-2.5-pro"},\n  "hooks": {"AfterAgent": [{"hooks": [{"type": "command", "command": "my-hook"}]}]}\n}\n';
    fs.writeFileSync(path.join(home, '.gemini', 'settings.json'), userSettings);
    fs.writeFileSync(path.join(home, '.gemini', 'oauth_creds.json'), '{}');
    fs.mkdirSync(path.join(home, '.agents'));
    const envOf = fakeEnvAgent(f, 'gemini');
    start('gem', 'gemini', { HOME: home });

    const env = await envOf('gem');
    const overlay = path.join(stateDir(repo), 'hooks', 'gemini-home', 'gem');
    expect(env.GEMINI_CLI_HOME).toBe(overlay);
    expect(fs.readlinkSync(path.join(overlay, '.gemini', 'oauth_creds.json'))).toBe(path.join(home, '.gemini', 'oauth_creds.json'));
    expect(fs.readlinkSync(path.join(overlay, '.agents'))).toBe(path.join(home, '.agents'));
    const settings = JSON.parse(fs.readFileSync(path.join(overlay, '.gemini', 'settings.json'), 'utf8')) as {
      model: unknown;
      hooks: Record<string, { hooks: { command: string }[] }[]>;
    };
    expect(settings.model).toEqual({ name: 'gemini-2.5-pro' });
    expect(settings.hooks.AfterAgent!.map((g) => g.hooks[0]!.command.split(' ').pop())).toEqual(['my-hook', 'idle']);
    // Nothing of the user's changed, nothing in the worktree.
    expect(fs.readFileSync(path.join(home, '.gemini', 'settings.json'), 'utf8')).toBe(userSettings);
    expect(fs.readdirSync(path.join(home, '.gemini')).sort()).toEqual(['oauth_creds.json', 'settings.json']);
    expect(untracked('gem')).toBe('');

    // Run each hook as Gemini CLI does: a shell command in the project dir, JSON on stdin.
    const wt = worktreeOf(repo, 'gem');
    const fire = (event: string): string => {
      const groups = settings.hooks[event]!;
      const command = groups[groups.length - 1]!.hooks[0]!.command;
      const res = spawnSync('/bin/sh', ['-c', command], { cwd: wt, env: testEnv(fx.env), input: JSON.stringify({ hook_event_name: event, cwd: wt }), encoding: 'utf8' });
      expect(res.status, res.stderr).toBe(0);
      expect(res.stdout).toBe(''); // Gemini parses a hook's stdout as JSON
      return statusOf('gem');
    };
    expect(fire('Notification')).toBe('waiting');
    expect(fire('BeforeAgent')).toBe('running');
    expect(fire('AfterAgent')).toBe('idle');
    // the session is over, but the agent (this fake one sleeps on) has not exited: done only once its exit is recorded
    expect(fire('SessionEnd')).toBe('finishing');
  });
});

describe('opencode status hooks', () => {
  it('load a plugin under .git/superset through OPENCODE_CONFIG_CONTENT, which reports events with signal', async () => {
    const envOf = fakeEnvAgent(f, 'opencode');
    start('oc', 'opencode', { OPENCODE_CONFIG_CONTENT: '{"model":"a/b","plugin":["their-plugin"]}' });

    const env = await envOf('oc');
    const plugin = path.join(stateDir(repo), 'hooks', 'oc.opencode-plugin.mjs');
    expect(JSON.parse(env.OPENCODE_CONFIG_CONTENT!)).toEqual({ model: 'a/b', plugin: ['their-plugin', pathToFileURL(plugin).href] });
    expect(fs.existsSync(plugin)).toBe(true);
    expect(untracked('oc')).toBe('');

    // Load the plugin as OpenCode does (import the file URL, call the exported factory with the
    // project directory), in its own process, and feed it bus events.
    const wt = worktreeOf(repo, 'oc');
    const feed = (...events: object[]): void => {
      const script = `const m = await import(${JSON.stringify(pathToFileURL(plugin).href)});
const hooks = await m.GitSupersetStatus({ directory: ${JSON.stringify(wt)} });
for (const event of ${JSON.stringify(events)}) await hooks.event({ event });`;
      const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: wt, env: testEnv(fx.env), encoding: 'utf8' });
      expect(res.status, res.stderr).toBe(0);
    };
    feed({ type: 'session.status', properties: { sessionID: 's1', status: { type: 'busy' } } });
    await waitFor(() => statusOf('oc') === 'running' && stateFile(repo, 'oc').statusBy === 'agent', 10_000, 'running from the plugin');
    feed({ type: 'permission.asked', properties: { id: 'p1', sessionID: 's1', permission: 'bash' } });
    await waitFor(() => statusOf('oc') === 'waiting', 10_000, 'waiting from the plugin');
    feed({ type: 'session.idle', properties: { sessionID: 's1' } });
    await waitFor(() => statusOf('oc') === 'idle', 10_000, 'idle from the plugin');
    // A subagent's session going busy says nothing about the task.
    feed(
      { type: 'session.created', properties: { sessionID: 'child', info: { id: 'child', parentID: 's1' } } },
      { type: 'session.status', properties: { sessionID: 'child', status: { type: 'busy' } } },
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(statusOf('oc')).toBe('idle');
  });

  it("leaves a user's unreadable OPENCODE_CONFIG_CONTENT alone rather than replacing it", async () => {
    const envOf = fakeEnvAgent(f, 'opencode');
    start('bad', 'opencode', { OPENCODE_CONFIG_CONTENT: '{oops' });
    expect((await envOf('bad')).OPENCODE_CONFIG_CONTENT).toBe('{oops');
  });
});
