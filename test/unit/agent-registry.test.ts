import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AGENTS, PRESETS, agentHookEnv, agentOf, takesMcpServers, withAgentHooks } from '../../src/agents/registry.js';
import type { HookTarget } from '../../src/agents/agent.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'superset-registry-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// A Gemini home with settings, so the overlay is built (without one Gemini is not set up: no hooks).
const geminiHome = path.join(tmp, 'home');
fs.mkdirSync(path.join(geminiHome, '.gemini'), { recursive: true });
fs.writeFileSync(path.join(geminiHome, '.gemini', 'settings.json'), '{}');
const userEnv = { GEMINI_CLI_HOME: geminiHome };

const target = (name: string, over: Partial<HookTarget> = {}): HookTarget => ({ task: `t-${name}`, stateDir: path.join(tmp, 'state'), cli: ['/n', '/cli.js'], ...over });
const servers = { db: { command: 'db-mcp', args: ['--ro'] } };

describe('agent registry', () => {
  it('names each agent once, with one binary each, in the presets table', () => {
    expect(new Set(AGENTS.map((a) => a.name)).size).toBe(AGENTS.length);
    expect(new Set(AGENTS.map((a) => a.preset.binary)).size).toBe(AGENTS.length);
    expect(Object.keys(PRESETS)).toEqual(AGENTS.map((a) => a.name));
    for (const a of AGENTS) expect(agentOf([`/usr/local/bin/${a.preset.binary}`, 'x'])).toBe(a);
    expect(agentOf(['my-agent'])).toBeUndefined();
  });

  it.each(AGENTS.map((a) => [a.name, a] as const))('%s has a form for every mode (or says it has none) and the version checked', (_, a) => {
    const p = a.preset;
    expect(p.interactive.length).toBeGreaterThan(0);
    expect(p.headless.length).toBeGreaterThan(0);
    expect(p.yolo.length).toBeGreaterThan(0);
    // resume forms: an argv, or null for "none": never left out by accident
    for (const key of ['resume', 'resumeHeadless'] as const) {
      expect(Object.hasOwn(p, key)).toBe(true);
      expect(p[key] === null || (Array.isArray(p[key]) && p[key]!.length > 0)).toBe(true);
    }
    expect(p.checked).toMatch(/\S/);
  });

  it.each(AGENTS.map((a) => [a.name, a] as const))('%s declares its wiring, and the wiring does what it declares', (_, a) => {
    const w = a.wiring;
    expect(['argv', 'env', 'none']).toContain(w.status);
    expect(['argv', 'env', 'none']).toContain(w.mcp);
    const uses = (by: 'argv' | 'env') => w.status === by || w.mcp === by;
    expect(Boolean(w.flags)).toBe(uses('argv'));
    expect(Boolean(w.env)).toBe(uses('env'));
    expect(takesMcpServers([a.preset.binary])).toBe(w.mcp !== 'none');

    const argv = [...a.preset.headless];
    const plain = withAgentHooks(argv, target(a.name));
    const withServers = withAgentHooks(argv, target(a.name, { mcpServers: servers, headless: true }));
    // argv wiring goes right after the binary and keeps the form's words in order
    expect(plain[0]).toBe(argv[0]);
    expect(plain.slice(plain.length - argv.length + 1)).toEqual(argv.slice(1));
    expect(plain.length > argv.length).toBe(w.status === 'argv');
    expect(withServers.length > plain.length).toBe(w.mcp === 'argv');
    // what the agent is handed through its environment: the variables, and the files they point into
    const handed = (over: Partial<HookTarget>) => {
      const t = target(a.name, { stateDir: path.join(tmp, `${a.name}-${Object.keys(over).length}`), ...over });
      const env = agentHookEnv(argv, t, userEnv);
      const hooks = path.join(t.stateDir, 'hooks');
      const files = fs.existsSync(hooks) ? fs.readdirSync(hooks, { recursive: true, encoding: 'utf8' }).sort() : [];
      const text = files.map((f) => (fs.statSync(path.join(hooks, f)).isFile() ? fs.readFileSync(path.join(hooks, f), 'utf8') : f)).join('\n');
      return { env, seen: (JSON.stringify(env) + text).replaceAll(t.stateDir, '<state>') };
    };
    const plainEnv = handed({});
    const serversEnv = handed({ mcpServers: servers });
    expect(Object.keys(plainEnv.env).length > 0).toBe(w.status === 'env');
    expect(serversEnv.seen !== plainEnv.seen).toBe(w.mcp === 'env');
  });

  it('a command line or config agent running a known binary is wired like the preset', () => {
    const argv = withAgentHooks(['/opt/bin/claude', '--model', 'x'], target('cl'));
    expect(argv.slice(0, 2)).toEqual(['/opt/bin/claude', '--settings']);
    expect(argv.slice(-2)).toEqual(['--model', 'x']);
    expect(withAgentHooks(['sh', '-c', 'claude'], target('sh'))).toEqual(['sh', '-c', 'claude']);
  });
});
