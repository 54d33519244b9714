import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { BIN, type TestRepo } from '../support/repo.js';
import { cli, waitFor } from '../support/cli.js';
import { lsJson, lsJsonIn, stateDir, trustConfig } from './_agents.js';
import { fakeArgvAgent, fakeEnvAgent, gitAt, useFakeAgentRepo, worktreeOf, type WatchFixture } from './_watch.js';

let repo: TestRepo;
let fx: WatchFixture;
const f = useFakeAgentRepo();
const SERVERS = { db: { command: 'db-server', args: ['--port', '5432'], env: { DB_TOKEN: 'x y' } }, docs: { url: 'http://127.0.0.1:9/mcp' }, superset: 'self' };
let home: string;

beforeEach(() => {
  ({ repo, fx } = f);
  const cfg = JSON.parse(fs.readFileSync(path.join(repo.root, '.supersetrc.json'), 'utf8')) as object;
  repo.commit('.supersetrc.json', JSON.stringify({ ...cfg, mcpServers: SERVERS }) + '\n', 'hand MCP servers to agents');
  trustConfig(repo.root, f.fx.env); // mcpServers run commands: untrusted, they would be ignored
  home = path.join(repo.dir, 'home');
  fs.mkdirSync(home);
});

const start = (name: string, agent: string, extra: string[] = [], env: Record<string, string> = { HOME: home }) => {
  const res = cli(repo.root, ['start', name, '--agent', agent, '--prompt', 'go', ...extra], { ...fx.env, ...env });
  expect(res.code, res.stderr).toBe(0);
  return res;
};
/** Nothing in $HOME but what the test put there, and a clean worktree. */
const untouched = (task: string) => {
  expect(gitAt(worktreeOf(repo, task), 'status', '--porcelain', '--untracked-files=all', '--ignored')).toBe('');
};

describe('config mcpServers reach each agent its own way', () => {
  it('claude: --mcp-config with every server, and headless --allowedTools mcp__<name> so calls are not silently denied', async () => {
    const argvOf = fakeArgvAgent(f, 'claude');
    start('c', 'claude', ['--headless']);
    const argv = await argvOf('c');
    const file = argv[argv.indexOf('--mcp-config') + 1]!;
    expect(file.startsWith(stateDir(repo))).toBe(true);
    const cfg = JSON.parse(fs.readFileSync(file, 'utf8')) as { mcpServers: Record<string, { command?: string; args?: string[]; env?: object; url?: string; type: string }> };
    expect(cfg.mcpServers.db).toEqual({ type: 'stdio', command: 'db-server', args: ['--port', '5432'], env: { DB_TOKEN: 'x y' } });
    expect(cfg.mcpServers.docs).toEqual({ type: 'http', url: 'http://127.0.0.1:9/mcp' });
    expect(cfg.mcpServers.superset!.args!.slice(-1)).toEqual(['mcp']);
    expect(cfg.mcpServers.superset!.command).toBe(process.execPath);
    const allowed = argv.indexOf('--allowedTools');
    expect(argv.slice(allowed + 1, allowed + 4)).toEqual(['mcp__db', 'mcp__docs', 'mcp__superset']);
    // the prompt stays the one argument after --
    expect(argv.slice(-2)).toEqual(['--', 'go']);
    untouched('c');
    expect(fs.readdirSync(home)).toEqual([]);
  });

  it('claude interactive: the servers, but no blanket allow (the user approves in the TUI)', async () => {
    const argvOf = fakeArgvAgent(f, 'claude');
    start('ci', 'claude', ['--tmux'], {});
    const argv = await argvOf('ci');
    expect(argv).toContain('--mcp-config');
    expect(argv).not.toContain('--allowedTools');
  });

  it('codex: -c mcp_servers.<name>.* overrides, nothing written to ~/.codex', async () => {
    const argvOf = fakeArgvAgent(f, 'codex');
    start('x', 'codex', ['--headless']);
    const argv = await argvOf('x');
    const sets = argv.filter((_, i) => argv[i - 1] === '-c');
    expect(sets).toContain('mcp_servers."db".command="db-server"');
    expect(sets).toContain('mcp_servers."db".args=["--port","5432"]');
    expect(sets).toContain('mcp_servers."db".env={"DB_TOKEN"="x y"}');
    expect(sets).toContain('mcp_servers."docs".url="http://127.0.0.1:9/mcp"');
    expect(sets.find((s) => s.startsWith('mcp_servers."superset".args='))).toMatch(/"mcp"\]$/);
    untouched('x');
    expect(fs.readdirSync(home)).toEqual([]);
  });

  it('opencode: an mcp section in OPENCODE_CONFIG_CONTENT, next to the status plugin', async () => {
    const envOf = fakeEnvAgent(f, 'opencode');
    start('o', 'opencode', ['--headless']);
    const content = JSON.parse((await envOf('o')).OPENCODE_CONFIG_CONTENT!) as { plugin: string[]; mcp: Record<string, { type: string; command?: string[]; environment?: object; url?: string }> };
    expect(content.plugin).toHaveLength(1);
    expect(content.mcp.db).toEqual({ type: 'local', command: ['db-server', '--port', '5432'], environment: { DB_TOKEN: 'x y' }, enabled: true });
    expect(content.mcp.docs).toEqual({ type: 'remote', url: 'http://127.0.0.1:9/mcp', enabled: true });
    untouched('o');
  });

  it("gemini: mcpServers in the per-task settings overlay, the user's own settings unchanged", async () => {
    fs.mkdirSync(path.join(home, '.gemini'));
    const mine = '{"mcpServers": {"mine": {"command": "my-server"}}}\n';
    fs.writeFileSync(path.join(home, '.gemini', 'settings.json'), mine);
    const envOf = fakeEnvAgent(f, 'gemini');
    start('g', 'gemini', ['--headless']);
    const overlay = (await envOf('g')).GEMINI_CLI_HOME!;
    const settings = JSON.parse(fs.readFileSync(path.join(overlay, '.gemini', 'settings.json'), 'utf8')) as { mcpServers: Record<string, { command?: string; httpUrl?: string; trust?: boolean }> };
    expect(Object.keys(settings.mcpServers).sort()).toEqual(['db', 'docs', 'mine', 'superset']);
    expect(settings.mcpServers.db).toMatchObject({ command: 'db-server', trust: true });
    expect(settings.mcpServers.docs).toMatchObject({ httpUrl: 'http://127.0.0.1:9/mcp' });
    expect(fs.readFileSync(path.join(home, '.gemini', 'settings.json'), 'utf8')).toBe(mine);
    untouched('g');
  });

  it('an agent with no way to take them starts with a one-line warning', () => {
    const res = start('s', 'sleep 30', ['--headless']);
    expect(res.stderr).toMatch(/^git superset: warning: sleep cannot be handed MCP servers \(config mcpServers\): it runs without them$/m);
  });

  it('a bad mcpServers entry names the file and the key', () => {
    repo.commit('.supersetrc.json', JSON.stringify({ mcpServers: { db: { args: ['x'] } } }) + '\n', 'broken');
    const res = cli(repo.root, ['ls'], fx.env);
    expect(res.code).toBe(2);
    expect(res.stderr.trimEnd()).toMatch(/^git superset: config .*\.supersetrc\.json: "mcpServers\.db\.command" is required$/);
  });
});

describe('sub-tasks', () => {
  it("a task started by a task's agent records its parent; past maxDepth it is refused and nothing is made", async () => {
    // the lead agent starts a sub-task with the CLI, as an agent would through the MCP server
    const lead = `sh -c '${process.execPath} ${BIN} start child --headless --agent "sleep 30" && sleep 30'`;
    start('lead', lead, ['--headless']);
    const child = await waitFor(async () => (await lsJsonIn(repo, fx.env)).find((t) => t.name === 'child' && t.status === 'running') as { parent?: string } | undefined, 15_000, 'the sub-task');
    expect(child.parent).toBe('lead');
    expect((lsJson(repo, fx.env).find((t) => t.name === 'lead') as { parent?: string | null }).parent).toBeNull();

    const res = cli(repo.root, ['start', 'grandchild', '--headless', '--agent', 'sleep 30'], { ...fx.env, SUPERSET_TASK: 'child' });
    expect(res.code).toBe(2);
    expect(res.stderr.trimEnd()).toBe('git superset: task child may not start tasks: that would be depth 2, and config maxDepth is 1');
    expect(lsJson(repo, fx.env).map((t) => t.name).sort()).toEqual(['child', 'lead']);
    expect(repo.git('branch', '--list', 'superset/grandchild')).toBe('');
  });
});
