import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { geminiHookEnv, geminiHooks, stripJsonComments, withGeminiHooks } from '../../src/agents/gemini.js';
import { opencodeConfigContent, opencodePluginSource } from '../../src/agents/opencode.js';

const target = { task: 'fix-1', stateDir: '/r/.git/superset', cli: ['/opt/my node/bin/node', "/it's/bin/git-superset.js"] };

/** The words /bin/sh makes of a hook command. */
const shWords = (cmd: string): string[] =>
  spawnSync('/bin/sh', ['-c', `for w in ${cmd}; do printf '%s\\0' "$w"; done`], { encoding: 'utf8' }).stdout.split('\0').slice(0, -1);

describe('gemini hooks', () => {
  it('wires nothing for a user who never set Gemini up, so its first login lands in the real home', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'superset-gemini-'));
    try {
      const stateDir = path.join(dir, 'state');
      expect(geminiHookEnv({ task: 't', stateDir }, { GEMINI_CLI_HOME: path.join(dir, 'home') })).toEqual({});
      expect(fs.existsSync(path.join(stateDir, 'hooks'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('map Gemini CLI events to statuses, with absolute, quoted commands and millisecond timeouts', () => {
    const hooks = geminiHooks(target);
    const hook = (event: string) => hooks[event]![0]!.hooks[0]!;
    expect(Object.keys(hooks).sort()).toEqual(['AfterAgent', 'BeforeAgent', 'Notification', 'SessionEnd']);
    expect(shWords(hook('BeforeAgent').command)).toEqual([...target.cli, 'signal', 'fix-1', 'running']);
    expect(shWords(hook('Notification').command).pop()).toBe('waiting');
    expect(shWords(hook('AfterAgent').command).pop()).toBe('idle');
    expect(shWords(hook('SessionEnd').command).pop()).toBe('done');
    expect(hook('AfterAgent')).toMatchObject({ type: 'command', timeout: 10_000, name: 'git-superset-idle' });
  });

  it("append ours after the user's own hooks and keep every other setting", () => {
    const mine = { hooks: [{ type: 'command', command: 'my-hook' }] };
    const user = { security: { auth: { selectedType: 'oauth-personal' } }, hooks: { AfterAgent: [mine], BeforeTool: [mine] } };
    const merged = withGeminiHooks(user, geminiHooks(target)) as { security: unknown; hooks: Record<string, unknown[]> };
    expect(merged.security).toEqual(user.security);
    expect(merged.hooks.AfterAgent).toEqual([mine, geminiHooks(target).AfterAgent![0]]);
    expect(merged.hooks.BeforeTool).toEqual([mine]);
    expect(merged.hooks.SessionEnd).toHaveLength(1);
    expect(user.hooks.AfterAgent).toEqual([mine]);
  });

  it('read settings with comments, leaving // inside strings alone', () => {
    const text = '{\n  // the model\n  "url": "http://x//y", /* block\n comment */ "a": "q\\"//"\n}';
    expect(JSON.parse(stripJsonComments(text))).toEqual({ url: 'http://x//y', a: 'q"//' });
  });
});

describe('opencode plugin', () => {
  it("adds a file URL to the user's own OPENCODE_CONFIG_CONTENT plugins", () => {
    const file = '/r/my repo/.git/superset/hooks/fix-1.opencode-plugin.mjs';
    const url = 'file:///r/my%20repo/.git/superset/hooks/fix-1.opencode-plugin.mjs';
    expect(JSON.parse(opencodeConfigContent(file)!)).toEqual({ plugin: [url] });
    expect(JSON.parse(opencodeConfigContent(file, '{"model":"a/b","plugin":["x"]}')!)).toEqual({ model: 'a/b', plugin: ['x', url] });
    expect(opencodeConfigContent(file, 'not json')).toBeNull();
    expect(opencodeConfigContent(file, '[1]')).toBeNull();
  });

  it('bakes the signal argv into the module as data, never as shell', () => {
    const src = opencodePluginSource({ ...target, task: "it's" });
    const line = src.split('\n').find((l) => l.startsWith('const SIGNAL = '))!;
    expect(JSON.parse(line.slice('const SIGNAL = '.length, -1))).toEqual([...target.cli, 'signal', "it's"]);
    expect(src).not.toMatch(/shell:\s*true|execSync|exec\(/);
    expect(src).toContain('detached: true');
  });
});
