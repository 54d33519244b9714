import { describe, expect, it } from 'vitest';
import { agentWord, parseTrailers, taskTrailers, withTrailers } from '../../src/git/trailers.js';
import { checkpointMessage } from '../../src/task/commit-on-exit.js';
import { assignCommits, parseCommitLog } from '../../src/task/missing-commits.js';
import { rejectedRefs } from '../../src/ops/sync.js';
import { describeEvent } from '../../src/commands/log.js';
import { dedupeCommitEvents } from '../../src/ops/log.js';
import type { NoteRecord } from '../../src/git/notes.js';

describe('withTrailers', () => {
  const ours = taskTrailers('auth', 'claude');

  it('adds a trailer block after a blank line', () => {
    expect(withTrailers('Fix login\n\nLong body.', ours)).toBe('Fix login\n\nLong body.\n\nSuperset-Task: auth\nSuperset-Agent: claude\n');
  });

  it('joins an existing trailer block', () => {
    expect(withTrailers('Fix\n\nCo-authored-by: A <a@x>\n', ours)).toBe('Fix\n\nCo-authored-by: A <a@x>\nSuperset-Task: auth\nSuperset-Agent: claude\n');
  });

  it('is idempotent (an amend does not add them twice)', () => {
    const once = withTrailers('Fix', ours);
    expect(withTrailers(once, ours)).toBe(once);
    expect(withTrailers(once, taskTrailers('auth', 'claude', [['Superset-Checkpoint', 'exit']]))).toBe(once.replace(/\n$/, '\nSuperset-Checkpoint: exit\n'));
  });

  it('a subject that looks like a trailer is not a trailer block', () => {
    expect(parseTrailers('Fix: the login')).toEqual([]);
    expect(withTrailers('Fix: the login', ours)).toBe('Fix: the login\n\nSuperset-Task: auth\nSuperset-Agent: claude\n');
  });
});

describe('parseTrailers', () => {
  it('reads the last paragraph only when every line is a trailer', () => {
    expect(parseTrailers('s\n\nbody\n\nA: 1\nB-c:  two ')).toEqual([['A', '1'], ['B-c', 'two']]);
    expect(parseTrailers('s\n\nA: 1\nnot a trailer')).toEqual([]);
  });
});

describe('agentWord', () => {
  it('is one safe word the hook can write into JSON and trailers unescaped', () => {
    expect(agentWord('claude')).toBe('claude');
    expect(agentWord('my agent "x"\\y')).toBe('my_agent_x_y');
    expect(agentWord('"')).toBe('agent');
    expect(agentWord('x'.repeat(100))).toHaveLength(64);
  });
});

describe('checkpointMessage', () => {
  it('names the files and carries the task trailers and Superset-Checkpoint: exit', () => {
    const msg = checkpointMessage('auth', 'claude', 3);
    expect(msg.split('\n')[0]).toBe('claude left 3 uncommitted files in auth: checkpoint on exit');
    expect(parseTrailers(msg)).toEqual([['Superset-Task', 'auth'], ['Superset-Agent', 'claude'], ['Superset-Checkpoint', 'exit']]);
  });
});

describe('assignCommits', () => {
  it("walks each tip to its base, preferring a commit's own Superset-Task trailer", () => {
    const log = [['c3', 'c2', '100', ''], ['c2', 'c1', '90', 'b'], ['c1', 'base', '80', ''], ['d1', 'base', '85', '']].map((f) => f.join('\x00')).join('\n');
    const commits = parseCommitLog(log);
    expect(commits.get('c2')).toEqual({ parents: ['c1'], time: 90, trailerTask: 'b' });
    const owner = assignCommits(commits, [
      { task: 'a', tip: 'c3' },
      { task: 'b', tip: 'd1' },
    ]);
    expect(Object.fromEntries(owner)).toEqual({ c3: 'a', c2: 'b', c1: 'a', d1: 'b' });
  });
});

describe('sync and log helpers', () => {
  it('reads rejected refs from git push --porcelain', () => {
    const out = 'To ../remote.git\n=\trefs/heads/superset/a:refs/heads/superset/a\t[up to date]\n!\trefs/heads/superset/b:refs/heads/superset/b\t[rejected] (fetch first)\nDone\n';
    expect(rejectedRefs(out)).toEqual(['refs/heads/superset/b']);
  });

  it('describes events and keeps one commit event per commit, the hook one', () => {
    const r = (extra: Partial<NoteRecord>): NoteRecord => ({ t: '2026-01-01T00:00:00.000Z', v: 1, task: 'a', event: 'commit', on: 'c1', ...extra }) as NoteRecord;
    expect(describeEvent(r({ event: 'exited', status: 'failed', exitCode: 3, checkpoint: 'abc' }))).toBe('exited failed (3), work committed');
    expect(describeEvent(r({ event: 'exited', status: 'done', exitCode: 0, reason: 'left uncommitted: a merge is in progress' }))).toBe('exited done (0), left uncommitted: a merge is in progress');
    const scan = r({ via: 'scan' });
    const hook = r({ via: 'hook', t: '2026-01-01T00:00:00.500Z' });
    const other = r({ on: 'c2', via: 'scan' });
    expect(dedupeCommitEvents([scan, hook, other])).toEqual([hook, other]);
  });
});
