import { describe, expect, it } from 'vitest';
import { COMMAND_KEYS, DEFAULT_CONFIG, parseConfig } from '../../src/config/schema.js';
import {
  commandEntries,
  contentHash,
  ignoredKeys,
  isCodeFile,
  parseTrustRecords,
  trustKey,
  untrustedCodeMessage,
  untrustedDataMessage,
  withoutCommands,
} from '../../src/config/trust.js';

const PRESETS = ['claude', 'codex', 'gemini'];
const cfg = (raw: object) => parseConfig(raw, '.supersetrc.json');

describe('which config entries need trust', () => {
  it('plain data keys need none', () => {
    const data = cfg({ branchPrefix: 'agents/', worktreesDir: '../t', runner: 'headless', yolo: false, base: 'dev', commitOnExit: false, idleSeconds: 3, snapshot: { quietSeconds: 1 }, stopTimeoutSeconds: 2 });
    expect(commandEntries(data, PRESETS)).toEqual([]);
    expect(commandEntries(structuredClone(DEFAULT_CONFIG), PRESETS)).toEqual([]);
  });

  it('every agent command does, named by its key path', () => {
    const c = cfg({ agents: { claude: { command: 'sh -c "touch x"', resume: 'r' }, mine: { command: 'mine {prompt}' } } });
    expect(commandEntries(c, PRESETS)).toEqual([
      { key: 'agents.claude.command', value: 'sh -c "touch x"' },
      { key: 'agents.claude.resume', value: 'r' },
      { key: 'agents.mine.command', value: 'mine {prompt}' },
    ]);
  });

  it('agent does unless it names a preset (else it is run as a command line)', () => {
    expect(commandEntries(cfg({ agent: 'codex' }), PRESETS)).toEqual([]);
    expect(commandEntries(cfg({ agent: 'sh -c evil' }), PRESETS)).toEqual([{ key: 'agent', value: 'sh -c evil' }]);
    expect(commandEntries(cfg({ agent: 'mine', agents: { mine: { command: 'x' } } }), PRESETS).map((e) => e.key)).toEqual(['agent', 'agents.mine.command']);
  });

  it('yolo: true does: a repository may not turn off its agents\' permission prompts', () => {
    expect(commandEntries(cfg({ yolo: true }), PRESETS)).toEqual([{ key: 'yolo', value: 'true' }]);
    expect(withoutCommands(cfg({ yolo: true, idleSeconds: 3 }), PRESETS)).toMatchObject({ yolo: false, idleSeconds: 3 });
  });

  it('mcpServers do: each is a command (or a remote) an agent is handed', () => {
    const c = cfg({ mcpServers: { db: { command: 'db-server', args: ['--port', '1'] }, superset: 'self' } });
    expect(commandEntries(c, PRESETS).map((e) => e.key)).toEqual(['mcpServers.db.command', 'mcpServers.db.args[0]', 'mcpServers.db.args[1]', 'mcpServers.superset']);
    expect(ignoredKeys(commandEntries(c, PRESETS))).toEqual(['mcpServers.db', 'mcpServers.superset']);
    expect(withoutCommands(c, PRESETS).mcpServers).toEqual({});
  });

  it('the list of command keys is one place, and holds the keys to come', () => {
    expect(COMMAND_KEYS).toEqual(expect.arrayContaining(['agents', 'setup', 'teardown', 'test', 'run', 'notify', 'mcpServers', 'env']));
    // a future key is found however it nests
    const future = { ...structuredClone(DEFAULT_CONFIG), setup: ['npm ci', 'make'], env: { NODE_OPTIONS: '--require ./x.js' } };
    expect(commandEntries(future, PRESETS)).toEqual([
      { key: 'setup[0]', value: 'npm ci' },
      { key: 'setup[1]', value: 'make' },
      { key: 'env.NODE_OPTIONS', value: '--require ./x.js' },
    ]);
  });
});

describe('an untrusted config', () => {
  it('loses exactly its commands; the data keys stay', () => {
    const c = cfg({ branchPrefix: 'agents/', idleSeconds: 3, agent: 'mine', agents: { claude: { command: 'evil' }, mine: { command: 'x' } } });
    const safe = withoutCommands(c, PRESETS);
    expect(safe).toEqual({ ...c, agent: 'claude', agents: {} });
    expect(commandEntries(safe, PRESETS)).toEqual([]);
    expect(c.agents.claude).toEqual({ command: 'evil' }); // not mutated
  });

  it('keeps a preset agent', () => {
    expect(withoutCommands(cfg({ agent: 'codex' }), PRESETS).agent).toBe('codex');
  });

  it('is named in one line that says how to trust it', () => {
    const entries = commandEntries(cfg({ agent: 'x y', agents: { claude: { command: 'a', resume: 'b' } } }), PRESETS);
    expect(ignoredKeys(entries)).toEqual(['agent', 'agents.claude']);
    const line = untrustedDataMessage('.supersetrc.json', entries);
    expect(line).toBe(".supersetrc.json is not trusted: ignoring agent, agents.claude (can run commands); review it, then run 'git superset trust'");
    expect(untrustedCodeMessage('superset.config.js')).toBe("superset.config.js is not trusted: it can run code; review it, then run 'git superset trust'");
  });
});

describe('trust records', () => {
  it('hash the content: any edit is another key', () => {
    expect(contentHash('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(contentHash('{"a":1}')).not.toBe(contentHash('{"a":1} '));
    expect(trustKey('ab12')).toBe('superset.trusted.sha256-ab12');
  });

  it('are read back from git config --get-regexp, git lowercasing the key', () => {
    const out = ['superset.trusted.sha256-ABCD .supersetrc.json', 'superset.trusted.sha256-ef01 superset.config.js', 'superset.other x', ''].join('\n');
    expect([...parseTrustRecords(out)]).toEqual([
      ['abcd', '.supersetrc.json'],
      ['ef01', 'superset.config.js'],
    ]);
  });

  it('JavaScript configs are code', () => {
    for (const f of ['superset.config.js', 'superset.config.mjs', 'superset.config.cjs']) expect(isCodeFile(f)).toBe(true);
    for (const f of ['.supersetrc', '.supersetrc.json', '.supersetrc.yaml', 'package.json']) expect(isCodeFile(f)).toBe(false);
  });
});
