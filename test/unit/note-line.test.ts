import { describe, expect, it } from 'vitest';
import { catSortUniq, latestEvent, noteLine, parseNoteLine, parseNoteLines, type NoteEvent } from '../../src/git/note-line.js';
import { statusesFromNotes } from '../../src/task/note-status.js';
import type { NoteRecord } from '../../src/git/notes.js';

const at = (iso: string) => new Date(iso);

describe('noteLine / parseNoteLine', () => {
  it('round-trips an event, with t and v as the first keys', () => {
    const line = noteLine({ task: 'auth', event: 'exited', status: 'failed', exitCode: 3, agent: 'sh -c "x"' }, at('2026-11-24T21:03:11.123Z'));
    expect(line.startsWith('{"t":"2026-11-24T21:03:11.123Z","v":1,"task":"auth","event":"exited"')).toBe(true);
    expect(line).not.toContain('\n');
    expect(parseNoteLine(line)).toEqual({ t: '2026-11-24T21:03:11.123Z', v: 1, task: 'auth', event: 'exited', status: 'failed', exitCode: 3, agent: 'sh -c "x"' });
  });

  it('keeps a given time, and ignores a v passed in', () => {
    const line = noteLine({ t: '2026-01-02T03:04:05.006Z', task: 'a', event: 'commit', v: 9 } as never);
    expect(JSON.parse(line)).toEqual({ t: '2026-01-02T03:04:05.006Z', v: 1, task: 'a', event: 'commit' });
  });

  it('refuses a time that would not sort', () => {
    expect(() => noteLine({ t: '2026-1-2', task: 'a', event: 'commit' })).toThrow(/UTC ISO/);
  });

  it('reads what the sh hook writes', () => {
    const hook = '{"t":"2026-11-25T12:38:57.847Z","v":1,"task":"t1","event":"commit","agent":"sh","via":"hook"}';
    expect(parseNoteLine(hook)).toMatchObject({ task: 't1', event: 'commit', agent: 'sh' });
  });
});

describe('parseNoteLines', () => {
  it('skips blank, broken, non-object and unknown-version lines, and keeps unknown event names', () => {
    const text = [
      '',
      noteLine({ task: 'a', event: 'started' }, at('2026-01-01T00:00:00.000Z')),
      '   ',
      '{"t":"2026-01-01T00:00:01.000Z","v":1,"task":"a"', // cut off
      'not json at all',
      '[1,2]',
      '{"t":"2026-01-01T00:00:02.000Z","v":2,"task":"a","event":"future"}',
      '{"t":"yesterday","v":1,"task":"a","event":"commit"}',
      '{"t":"2026-01-01T00:00:03.000Z","v":1,"event":"commit"}',
      noteLine({ task: 'a', event: 'teleported' }, at('2026-01-01T00:00:04.000Z')),
    ].join('\n');
    expect(parseNoteLines(text).map((e) => e.event)).toEqual(['started', 'teleported']);
  });
});

describe('latest event and merging two machines', () => {
  const ev = (t: string, event: string, extra: Partial<NoteEvent> = {}) => noteLine({ task: 'auth', event, ...extra }, at(t));

  it('latest comes from the time field, not from line order', () => {
    const text = [ev('2026-01-01T00:00:05.000Z', 'exited', { status: 'done' }), ev('2026-01-01T00:00:01.000Z', 'started')].join('\n');
    expect(latestEvent(parseNoteLines(text))?.event).toBe('exited');
  });

  it('cat_sort_uniq of two versions keeps every event once, in time order, with the right latest', () => {
    const base = ev('2026-01-01T00:00:00.000Z', 'started');
    const mine = [base, ev('2026-01-01T00:00:02.000Z', 'commit', { agent: 'claude' })].join('\n') + '\n';
    const theirs = [base, '', ev('2026-01-01T00:00:09.000Z', 'exited', { status: 'failed', exitCode: 1 }), ev('2026-01-01T00:00:01.000Z', 'commit', { agent: 'codex' })].join('\n') + '\n';
    const merged = catSortUniq(mine, theirs);
    const events = parseNoteLines(merged);
    expect(events.map((e) => e.t)).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000Z', '2026-01-01T00:00:09.000Z']);
    expect(merged).not.toMatch(/\n\n/);
    expect(latestEvent(events)).toMatchObject({ event: 'exited', status: 'failed' });
    // merging is idempotent and order-independent
    expect(catSortUniq(theirs, mine)).toBe(merged);
    expect(catSortUniq(merged, mine, theirs)).toBe(merged);
  });
});

describe('statusesFromNotes', () => {
  const rec = (t: string, task: string, event: string, extra: Record<string, unknown> = {}): NoteRecord =>
    ({ t, v: 1, task, event, on: `${task}-${event}`, ...extra }) as NoteRecord;

  it("takes each task's status from its latest event by time", () => {
    const records = [
      rec('2026-01-01T00:00:09.000Z', 'a', 'exited', { status: 'failed', exitCode: 2 }),
      rec('2026-01-01T00:00:00.000Z', 'a', 'started', { agent: 'claude', base: 'main' }),
      rec('2026-01-01T00:00:01.000Z', 'b', 'started', { agent: 'codex' }),
      rec('2026-01-01T00:00:05.000Z', 'b', 'exited', { status: 'done', exitCode: 0 }),
      rec('2026-01-01T00:00:06.000Z', 'b', 'stopped'),
    ];
    const s = statusesFromNotes(records);
    expect(s.get('a')).toMatchObject({ status: 'failed', exitCode: 2, agent: 'claude', base: 'main', baseCommit: 'a-started', startedAt: '2026-01-01T00:00:00.000Z' });
    expect(s.get('b')).toMatchObject({ status: 'stopped', exitCode: null, agent: 'codex' });
    expect(s.get('b')!.reason).toMatch(/stopped at 2026-01-01T00:00:06.000Z/);
  });
});
