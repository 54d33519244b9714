import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { signalCommand } from '../../src/agents/agent.js';
import { claudeSettings } from '../../src/agents/claude.js';
import { codexNotify } from '../../src/agents/codex.js';
import { shWord } from '../../src/agents/command-line.js';
import { parseSignalArgs } from '../../src/commands/signal.js';
import { applySignal } from '../../src/ops/signal.js';
import { parseGitFile, tipFromPackedRefs } from '../../src/git/gitdir.js';
import { snapshotMessage } from '../../src/git/snapshots.js';
import type { TaskState } from '../../src/task/state.js';

const target = { task: 'fix-1', stateDir: '/r/.git/superset', cli: ["/opt/my node/bin/node", "/it's/bin/git-superset.js"] };

describe('agent hook commands', () => {
  it('quote every word for the shell, so odd install paths survive', () => {
    const cmd = signalCommand(target, 'idle');
    const words = spawnSync('/bin/sh', ['-c', `for w in ${cmd}; do printf '%s\\0' "$w"; done`], { encoding: 'utf8' }).stdout.split('\0').slice(0, -1);
    expect(words).toEqual(["/opt/my node/bin/node", "/it's/bin/git-superset.js", 'signal', 'fix-1', 'idle']);
    expect(shWord('plain-word/x.js')).toBe('plain-word/x.js');
    expect(shWord('a b')).toBe("'a b'");
  });

  it('map Claude Code events to statuses', () => {
    const s = claudeSettings(target) as { hooks: Record<string, { matcher?: string; hooks: { type: string; command: string }[] }[]> };
    const status = (event: string) => s.hooks[event]![0]!.hooks[0]!.command.split(' ').pop();
    expect(status('UserPromptSubmit')).toBe('running');
    expect(status('Notification')).toBe('waiting');
    expect(status('PermissionRequest')).toBe('waiting');
    expect(status('Stop')).toBe('idle');
    expect(status('SessionEnd')).toBe('done');
    expect(s.hooks.Notification![0]!.matcher).toBe('permission_prompt|elicitation_dialog');
    expect(s.hooks.Stop![0]!.hooks[0]!.type).toBe('command');
  });

  it("give Codex a TOML array (JSON strings) for notify", () => {
    const value = codexNotify(target);
    expect(value.startsWith('notify=[')).toBe(true);
    expect(JSON.parse(value.slice('notify='.length))).toEqual([...target.cli, 'signal', 'fix-1', 'idle']);
  });
});

describe('signal arguments', () => {
  it('take an optional task, a status, and ignore what follows', () => {
    expect(parseSignalArgs(['idle'])).toEqual({ task: null, status: 'idle' });
    expect(parseSignalArgs(['t', 'waiting'])).toEqual({ task: 't', status: 'waiting' });
    expect(parseSignalArgs(['t', 'idle', '{"type":"agent-turn-complete"}'])).toEqual({ task: 't', status: 'idle' });
    expect(parseSignalArgs(['idle', '{"x":1}'])).toEqual({ task: null, status: 'idle' });
    expect(parseSignalArgs(['done', 'running'])).toEqual({ task: 'done', status: 'running' });
    expect(() => parseSignalArgs(['t', 'sleeping'])).toThrow(/expected a status/);
    expect(() => parseSignalArgs([])).toThrow(/expected a status/);
  });

  it('change only live tasks, and record that the agent said so', () => {
    const base = { status: 'running' } as TaskState;
    const now = new Date('2026-01-01T00:00:00Z');
    expect(applySignal(base, 'waiting', now)).toMatchObject({ status: 'waiting', statusBy: 'agent', signaledAt: now.toISOString() });
    expect(applySignal({ ...base, status: 'failed' }, 'running', now)).toBeNull();
    expect(applySignal({ ...base, status: 'stopped' }, 'idle', now)).toBeNull();
  });
});

describe('reading git files without git', () => {
  it('parses a worktree .git file', () => {
    expect(parseGitFile('gitdir: /r/.git/worktrees/t\n', '/w/t')).toBe('/r/.git/worktrees/t');
    expect(parseGitFile('gitdir: ../r/.git/worktrees/t\n', '/w/t')).toBe('/w/r/.git/worktrees/t');
    expect(parseGitFile('nonsense', '/w/t')).toBeNull();
  });

  it('finds a tip in packed-refs', () => {
    const text = '# pack-refs with: peeled fully-peeled sorted\naaaa refs/heads/main\nbbbb refs/heads/superset/t\n^cccc\n';
    expect(tipFromPackedRefs(text, 'refs/heads/superset/t')).toBe('bbbb');
    expect(tipFromPackedRefs(text, 'refs/heads/superset/x')).toBeNull();
  });

  it('writes snapshot trailers git can parse', () => {
    const msg = snapshotMessage('t', 'claude', 'a'.repeat(40), new Date('2026-01-01T00:00:00Z'));
    const res = spawnSync('git', ['interpret-trailers', '--parse'], { input: msg, encoding: 'utf8' });
    expect(res.stdout).toBe(`Superset-Task: t\nSuperset-Agent: claude\nSuperset-Snapshot: ${'a'.repeat(40)}\n`);
  });
});
