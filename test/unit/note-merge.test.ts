import { describe, expect, it } from 'vitest';
import { eventKey, mergeNoteText } from '../../src/git/note-line.js';
import { notePaths, notePlacement, parseBatch } from '../../src/git/notes.js';
import { anchorText, blobId } from '../../src/task/anchor.js';
import { promptBlock } from '../../src/commands/log.js';
import type { NoteRecord } from '../../src/git/notes.js';

const line = (t: string, task: string, event: string, extra = ''): string => `{"t":"2026-01-01T00:00:0${t}.000Z","v":1,"task":"${task}","event":"${event}"${extra}}`;

describe('eventKey', () => {
  it('a commit event is one per task; any other event is its line', () => {
    expect(eventKey(line('1', 'a', 'commit', ',"via":"hook"'))).toBe(eventKey(line('2', 'a', 'commit', ',"via":"scan"')));
    expect(eventKey(line('1', 'a', 'commit'))).not.toBe(eventKey(line('1', 'b', 'commit')));
    expect(eventKey(line('1', 'a', 'exited'))).not.toBe(eventKey(line('2', 'a', 'exited')));
    expect(eventKey('not json')).toBe('not json');
  });
});

describe('mergeNoteText', () => {
  it('every event once, sorted by time, no blank lines, whatever copies the note was found in', () => {
    const a = [line('3', 'a', 'exited'), line('1', 'a', 'commit', ',"via":"hook"')].join('\n') + '\n';
    // the same note read from a second path, git's blank-line join included
    const text = mergeNoteText([a, `\n${a}\n\n`], [line('2', 'a', 'commit', ',"via":"scan"'), line('4', 'b', 'stopped'), line('3', 'a', 'exited')]);
    expect(text).toBe([line('1', 'a', 'commit', ',"via":"hook"'), line('3', 'a', 'exited'), line('4', 'b', 'stopped')].join('\n') + '\n');
  });

  it("a hook's commit line wins over a scan's, whichever came first", () => {
    expect(mergeNoteText([line('2', 'a', 'commit', ',"via":"scan"')], [line('1', 'a', 'commit', ',"via":"hook"')])).toBe(line('1', 'a', 'commit', ',"via":"hook"') + '\n');
  });
});

describe('notePlacement', () => {
  const oid = 'ab'.repeat(20);
  const [flat, one, two] = notePaths(oid);
  it('keeps a note where it is, and removes any other copy', () => {
    expect(notePlacement(oid, [false, true, false], { fanout1: true, fanout2: false })).toEqual({ write: one, remove: [] });
    expect(notePlacement(oid, [true, true, false], { fanout1: true, fanout2: false })).toEqual({ write: one, remove: [flat] });
    expect(notePlacement(oid, [true, false, true], { fanout1: true, fanout2: true })).toEqual({ write: two, remove: [flat] });
  });
  it('puts a new note at the fan-out around it', () => {
    expect(notePlacement(oid, [false, false, false], { fanout1: false, fanout2: false })).toEqual({ write: flat, remove: [] });
    expect(notePlacement(oid, [false, false, false], { fanout1: true, fanout2: false })).toEqual({ write: one, remove: [] });
    expect(notePlacement(oid, [false, false, false], { fanout1: true, fanout2: true })).toEqual({ write: two, remove: [] });
  });
});

describe('parseBatch', () => {
  it('reads info and contents answers, missing ones as null, sizes in bytes', () => {
    const body = 'é\n';
    const out = Buffer.from(`aaa tree 30\nbbb missing\nccc blob ${Buffer.byteLength(body)}\n${body}\n`);
    expect(parseBatch(out, [{ info: 'x' }, { contents: 'y' }, { contents: 'z' }])).toEqual([
      { oid: 'aaa', type: 'tree', content: '' },
      null,
      { oid: 'ccc', type: 'blob', content: body },
    ]);
  });
});

describe('the task anchor', () => {
  const info = { task: 'fix', branch: 'superset/fix', base: 'main', baseCommit: 'c'.repeat(40), agent: 'claude', startedAt: '2026-01-01T00:00:00.000Z' };
  it('names the task and holds the prompt as given', () => {
    expect(anchorText({ ...info, prompt: 'Do it\n\n- well' })).toBe(
      `git superset task fix\nbranch superset/fix\nbase main ${'c'.repeat(40)}\nagent claude\nstarted 2026-01-01T00:00:00.000Z\n\nDo it\n\n- well\n`,
    );
    expect(anchorText(info).endsWith('\n\n')).toBe(true);
  });
  it("has git's blob id", () => {
    // printf 'a\nb\n' | git hash-object --stdin
    expect(blobId('a\nb\n', 'sha1')).toBe('422c2b7ab3b3c668038da977e4e93a5fc623169c');
    expect(blobId('', 'sha1')).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
  });
});

describe('promptBlock', () => {
  const rec = (event: string, extra: Record<string, unknown> = {}): NoteRecord => ({ t: '2026-01-01T00:00:00.000Z', v: 1, task: 'a', event, on: 'x', ...extra });
  it("shows the latest start's prompt, indented; nothing when there is none", () => {
    expect(promptBlock([rec('started', { prompt: 'old' }), rec('started', { prompt: 'Fix it\n\n- now\n' }), rec('exited')])).toBe('prompt:\n  Fix it\n\n  - now\n\n');
    expect(promptBlock([rec('started'), rec('commit')])).toBe('');
  });
});
