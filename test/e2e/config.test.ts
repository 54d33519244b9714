import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { cli, waitFor } from '../support/cli.js';
import { run } from '../support/main.js';
import { type TestRepo } from '../support/repo.js';
import { argvAgent, created, lsJson, NOTHING, trustConfig, useAgentRepo, type AgentRepo } from './_agents.js';

let repo: TestRepo;
let tmux: AgentRepo['tmux'];
const fx = useAgentRepo();
beforeEach(() => ({ repo, tmux } = fx));

const put = (file: string, text: string): void => fs.writeFileSync(path.join(repo.root, file), text);

describe('a broken config names the file and the key, exit 2, nothing created', () => {
  it.each([
    ['.supersetrc.json', '{ "agent": "claude", ', /config \.supersetrc\.json: cannot be read/],
    ['.supersetrc', '{ "agent": ', /config \.supersetrc: cannot be read/],
    ['.supersetrc.json', '{ "agnet": "claude" }', /config \.supersetrc\.json: unknown key "agnet"/],
    ['.supersetrc.json', '{ "yolo": "yes" }', /config \.supersetrc\.json: "yolo" must be true or false/],
    ['.supersetrc.json', '{ "stopTimeoutSeconds": -1 }', /"stopTimeoutSeconds" must be a number/],
    ['.supersetrc.json', '{ "runner": "screen" }', /"runner" must be one of auto, tmux, headless/],
    ['.supersetrc.json', '{ "agents": { "mine": { "comand": "x" } } }', /unknown key "agents\.mine\.comand"/],
    ['.supersetrc.json', '{ "agents": { "mine": { "command": 5 } } }', /"agents\.mine\.command" must be a string/],
    ['.supersetrc.json', '{ "agents": { "mine": {} } }', /"agents\.mine\.command" is required/],
    ['.supersetrc.json', '{ "snapshot": { "quietSeconds": "10" } }', /"snapshot\.quietSeconds" must be a number/],
    ['.supersetrc.json', '{ "branchPrefix": "../" }', /"branchPrefix" must be like/],
    ['.supersetrc.yaml', 'agent: claude\nbogus: 1\n', /config \.supersetrc\.yaml: unknown key "bogus"/],
    ['.supersetrc.yaml', 'agent: [unclosed\n', /config \.supersetrc\.yaml: cannot be read/],
    ['package.json', '{ "name": "x", "superset": { "yolo": 1 } }', /config package\.json: "yolo" must be true or false/],
    ['superset.config.mjs', 'export default { worktreesDir: 42 };\n', /config superset\.config\.mjs: "worktreesDir" must be a string/],
  ])('%s: %s', async (file, text, message) => {
    put(file, text);
    // A JavaScript config is not even loaded before it is trusted.
    if (file.endsWith('.mjs')) trustConfig(repo.root, tmux.env);
    for (const args of [['ls'], ['start', 't', '--headless', '--agent', 'true']]) {
      // in-process (support/main.ts), but a JavaScript file is imported by a CLI of its own, as a user's would be
      const res = file.endsWith('.mjs') ? cli(repo.root, args, tmux.env) : await run(repo.root, args, tmux.env);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(message);
      expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(created(repo)).toEqual(NOTHING);
  });
});

describe('config keys take effect', () => {
  it('branchPrefix, worktreesDir, runner, agent and base', async () => {
    const agent = argvAgent(repo);
    repo.git('branch', 'develop');
    repo.commit('only-on-main.txt', 'x\n');
    put('.supersetrc.json', JSON.stringify({
      branchPrefix: 'agents/',
      worktreesDir: '../trees',
      runner: 'headless',
      agent: 'mine',
      agents: { mine: { command: `"${agent.bin}" --as-config` } },
      base: 'develop',
    }));
    trustConfig(repo.root, tmux.env);
    const res = cli(repo.root, ['start', 't', '--prompt', 'p'], tmux.env);
    expect(res.code, res.stderr).toBe(0);
    const wt = path.join(repo.dir, 'trees', 't');
    expect(await waitFor(() => agent.argv('t'))).toEqual(['--as-config', 'p']);
    expect(agent.env('t')).toMatchObject({ SUPERSET_BRANCH: 'agents/t', SUPERSET_WORKTREE: wt, SUPERSET_BASE: 'develop' });
    expect(repo.git('rev-parse', 'agents/t')).toBe(repo.git('rev-parse', 'develop'));
    expect(fs.existsSync(path.join(wt, 'only-on-main.txt'))).toBe(false);
    expect(tmux.sessions()).toEqual([]);
    const [t] = lsJson(repo, tmux.env);
    expect(t).toMatchObject({ name: 't', branch: 'agents/t', worktree: wt, agent: 'mine' });
  });

  it('--base and --agent on the command line win over the config', async () => {
    const agent = argvAgent(repo);
    repo.git('branch', 'develop');
    repo.commit('later.txt', 'x\n');
    put('.supersetrc.yaml', `agent: nosuch-agent\nbase: develop\nrunner: headless\n`);
    trustConfig(repo.root, tmux.env);
    const res = cli(repo.root, ['start', 't', '--agent', agent.bin, '--base', 'main'], tmux.env);
    expect(res.code, res.stderr).toBe(0);
    expect(await waitFor(() => agent.env('t'))).toMatchObject({ SUPERSET_BASE: 'main' });
    expect(repo.git('rev-parse', 'superset/t')).toBe(repo.git('rev-parse', 'main'));
  });

  it('package.json#superset is read', async () => {
    const agent = argvAgent(repo);
    put('package.json', JSON.stringify({ name: 'x', superset: { runner: 'headless', agents: { pj: { command: `"${agent.bin}" from-package-json` } } } }));
    trustConfig(repo.root, tmux.env);
    expect(cli(repo.root, ['start', 't', '--agent', 'pj'], tmux.env).code).toBe(0);
    expect(await waitFor(() => agent.argv('t'))).toEqual(['from-package-json']);
  });
});
