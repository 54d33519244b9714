import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentArgv, agentLabel, findExecutable, resolveAgentBinary, type LaunchRequest } from '../../src/agents/resolve.js';
import { PRESETS } from '../../src/agents/registry.js';
import { DEFAULT_CONFIG, parseConfig } from '../../src/config/schema.js';

const P = `it's "quoted" $(x) \`y\` \\ and\na newline`;
const req = (over: Partial<LaunchRequest>): LaunchRequest => ({ agent: 'claude', mode: 'interactive', prompt: P, yolo: false, resume: false, ...over });

describe('presets', () => {
  it.each(Object.entries(PRESETS))('%s: every form starts with its binary; the headless form takes the prompt', (_, p) => {
    for (const form of [p.interactive, p.headless, p.resume, p.resumeHeadless]) if (form) expect(form[0]).toBe(p.binary);
    expect(p.headless.some((w) => w.startsWith('{prompt'))).toBe(true);
    // with no prompt no form may end in an option waiting for its value
    for (const form of [p.interactive, p.resume]) if (form) expect(form.filter((w) => w !== '{prompt}').at(-1)).not.toMatch(/^-(i|p|m|-prompt|-message)$/);
    expect(p.yolo.length).toBeGreaterThan(0);
    expect(p.checked).toBeTruthy();
  });

  it('never skips permission prompts unless asked', () => {
    for (const p of Object.values(PRESETS)) for (const flag of p.yolo) {
      expect(p.interactive).not.toContain(flag);
      expect(p.headless).not.toContain(flag);
    }
  });
});

describe('agentArgv', () => {
  it('a preset, interactive and headless, the prompt as one argument', () => {
    expect(agentArgv(req({}), DEFAULT_CONFIG)).toEqual(['claude', '--', P]);
    expect(agentArgv(req({ mode: 'headless' }), DEFAULT_CONFIG)).toEqual(['claude', '-p', '--permission-mode', 'acceptEdits', '--', P]);
    expect(agentArgv(req({ agent: 'gemini' }), DEFAULT_CONFIG)).toEqual(['gemini', `--prompt-interactive=${P}`]);
    expect(agentArgv(req({ agent: 'gemini', mode: 'headless' }), DEFAULT_CONFIG)).toEqual(['gemini', '--allowed-tools=write_file,replace', `--prompt=${P}`]);
  });

  it('without a prompt the {prompt} word disappears', () => {
    expect(agentArgv(req({ prompt: undefined }), DEFAULT_CONFIG)).toEqual(['claude']);
    // an option that carries the prompt goes with it, never left dangling
    for (const agent of ['opencode', 'gemini', 'aider', 'copilot']) expect(agentArgv(req({ agent, prompt: undefined }), DEFAULT_CONFIG)).toEqual([agent]);
    expect(agentArgv(req({ agent: 'opencode' }), DEFAULT_CONFIG)).toEqual(['opencode', `--prompt=${P}`]);
    expect(agentArgv(req({ mode: 'headless', prompt: undefined }), DEFAULT_CONFIG)).toEqual(['claude', '-p', '--permission-mode', 'acceptEdits']);
  });

  it('adds the bypass flag only with yolo, right after the binary', () => {
    expect(agentArgv(req({ yolo: true, mode: 'headless' }), DEFAULT_CONFIG)).toEqual(['claude', '--dangerously-skip-permissions', '-p', '--permission-mode', 'acceptEdits', '--', P]);
    expect(agentArgv(req({ agent: 'codex', yolo: false }), DEFAULT_CONFIG)).not.toContain('--dangerously-bypass-approvals-and-sandbox');
  });

  it('uses the resume forms when relaunching, falling back to the normal form', () => {
    expect(agentArgv(req({ resume: true, prompt: undefined }), DEFAULT_CONFIG)).toEqual(['claude', '--continue']);
    expect(agentArgv(req({ agent: 'codex', resume: true, mode: 'headless', prompt: 'go on' }), DEFAULT_CONFIG)).toEqual(['codex', 'exec', '-s', 'workspace-write', 'resume', '--last', '--', 'go on']);
    expect(agentArgv(req({ agent: 'aider', resume: true }), DEFAULT_CONFIG)).toEqual(['aider', `--message=${P}`]);
  });

  it.each(Object.keys(PRESETS).filter((a) => a !== 'amp'))('%s: a prompt that starts with "-" is never read as an option', (agent) => {
    const dash = '- fix the login bug';
    for (const mode of ['interactive', 'headless'] as const) {
      const argv = agentArgv(req({ agent, mode, prompt: dash }), DEFAULT_CONFIG);
      const i = argv.indexOf(dash);
      // either after an end-of-options marker, or glued to its option as one word
      if (i >= 0) expect(argv[i - 1]).toBe('--');
      else expect(argv.some((w) => /^--[a-z-]+=- fix the login bug$/.test(w))).toBe(true);
    }
  });

  it("refuses a prompt for amp's interactive mode, which cannot take one", () => {
    expect(() => agentArgv(req({ agent: 'amp' }), DEFAULT_CONFIG)).toThrow(/takes no prompt/);
    expect(agentArgv(req({ agent: 'amp', prompt: undefined }), DEFAULT_CONFIG)).toEqual(['amp']);
    expect(agentArgv(req({ agent: 'amp', mode: 'headless' }), DEFAULT_CONFIG)).toEqual(['amp', '-x', P]);
  });

  it('a command line is split like a shell would, the prompt appended as one word, yolo ignored', () => {
    expect(agentArgv(req({ agent: `my-agent --model 'big one'`, yolo: true }), DEFAULT_CONFIG)).toEqual(['my-agent', '--model', 'big one', P]);
    expect(agentArgv(req({ agent: 'my-agent -m {prompt} --fast' }), DEFAULT_CONFIG)).toEqual(['my-agent', '-m', P, '--fast']);
  });

  it('config agents add to and override presets', () => {
    const config = parseConfig({
      agents: {
        claude: { command: 'claude --model opus {prompt}' },
        mine: { command: 'mine chat {prompt}', headless: 'mine run {prompt} --quiet', resume: 'mine chat --last', yolo: '--trust' },
      },
    }, 'f');
    expect(agentArgv(req({}), config)).toEqual(['claude', '--model', 'opus', P]);
    expect(agentArgv(req({ mode: 'headless' }), config)).toEqual(['claude', '--model', 'opus', P]);
    expect(agentArgv(req({ agent: 'mine', mode: 'headless', yolo: true }), config)).toEqual(['mine', '--trust', 'run', P, '--quiet']);
    expect(agentArgv(req({ agent: 'mine', resume: true, prompt: undefined }), config)).toEqual(['mine', 'chat', '--last']);
  });

  it('never takes an agent named like an Object.prototype member for a preset or config agent', () => {
    for (const agent of ['toString', 'constructor', 'hasOwnProperty', '__proto__']) {
      expect(agentArgv(req({ agent }), DEFAULT_CONFIG)).toEqual([agent, P]);
      expect(agentLabel(agent)).toBe(agent);
    }
    const config = parseConfig({ agents: { constructor: { command: 'ctor-agent' } } }, 'f');
    expect(agentArgv(req({ agent: 'constructor' }), config)).toEqual(['ctor-agent', P]);
    expect(agentArgv(req({ agent: 'toString' }), config)).toEqual(['toString', P]);
  });

  it('refuses an empty agent, and a config agent whose command is empty', () => {
    expect(() => agentArgv(req({ agent: '  ' }), DEFAULT_CONFIG)).toThrow(/--agent is empty/);
    expect(() => parseConfig({ agents: { e: { command: ' ' } } }, 'f')).toThrow(/config f: "agents\.e\.command" must not be blank/);
  });
});

describe('agentLabel', () => {
  it.each([
    ['claude', 'claude'],
    ['cursor-agent', 'cursor-agent'],
    ['/usr/local/bin/my-agent', 'my-agent'],
    ['my-agent --fast', 'my-agent'],
    [`"/opt/my tools/agent" --x`, 'agent'],
  ])('%s -> %s', (agent, label) => {
    expect(agentLabel(agent)).toBe(label);
  });
});

describe('finding the agent binary before anything is made', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'superset-bin-'));
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'tool'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'bin', 'not-exec'), 'x', { mode: 0o644 });
    fs.mkdirSync(path.join(dir, 'bin', 'a-dir'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('findExecutable searches PATH like execvp: executable files only', () => {
    const envPath = `/nonexistent:${path.join(dir, 'bin')}`;
    expect(findExecutable('tool', envPath)).toBe(path.join(dir, 'bin', 'tool'));
    expect(findExecutable('not-exec', envPath)).toBeNull();
    expect(findExecutable('a-dir', envPath)).toBeNull();
    expect(findExecutable('missing', envPath)).toBeNull();
    expect(findExecutable('tool', '')).toBeNull();
  });

  it('a path is resolved against the given directory, not PATH', () => {
    expect(findExecutable('./bin/tool', '', dir)).toBe(path.join(dir, 'bin', 'tool'));
    expect(findExecutable('bin/tool', '/nonexistent', dir)).toBe(path.join(dir, 'bin', 'tool'));
    expect(findExecutable('./tool', path.join(dir, 'bin'), dir)).toBeNull();
  });

  it('resolveAgentBinary makes a relative agent path absolute (the agent runs in its worktree)', () => {
    expect(resolveAgentBinary(['./bin/tool', '--x', P], './bin/tool --x', dir)).toEqual([path.join(dir, 'bin', 'tool'), '--x', P]);
    expect(resolveAgentBinary(['sh', '-c', 'x'], 'sh -c x', dir)).toEqual(['sh', '-c', 'x']);
  });

  it('resolveAgentBinary: one clear line when the binary is missing, with a hint for presets', () => {
    expect(() => resolveAgentBinary(['no-such-agent-xyz'], 'no-such-agent-xyz', dir)).toThrow(/^agent binary not found on PATH: no-such-agent-xyz$/);
    expect(() => resolveAgentBinary(['./nope'], './nope', dir)).toThrow(/^agent binary not found: \.\/nope$/);
    const path0 = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => resolveAgentBinary(['claude'], 'claude', dir)).toThrow(/install the claude CLI, or pick another with --agent/);
    } finally {
      process.env.PATH = path0;
    }
  });
});
