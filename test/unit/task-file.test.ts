import { describe, expect, it } from 'vitest';
import { duplicateNames, fanOut, parseTaskFile } from '../../src/task/task-file.js';

describe('parseTaskFile: "name: prompt" lines', () => {
  it('reads one task per line, skipping blank lines and # comments', () => {
    const text = `# backlog\n\nauth: Fix the login redirect\n  ui :  Make the "button" blue: now  \n`;
    expect(parseTaskFile(text)).toEqual([
      { name: 'auth', prompt: 'Fix the login redirect' },
      { name: 'ui', prompt: 'Make the "button" blue: now' },
    ]);
  });

  it('keeps quotes, $() and backticks verbatim', () => {
    expect(parseTaskFile("x: it's $(x) `y` \\z")).toEqual([{ name: 'x', prompt: "it's $(x) `y` \\z" }]);
  });

  it('accepts CRLF files', () => {
    expect(parseTaskFile('a: one\r\nb: two\r\n')).toEqual([
      { name: 'a', prompt: 'one' },
      { name: 'b', prompt: 'two' },
    ]);
  });

  it('allows an empty prompt', () => {
    expect(parseTaskFile('a:')).toEqual([{ name: 'a', prompt: '' }]);
  });

  it('names the file and line of a line without a name', () => {
    expect(() => parseTaskFile('a: ok\njust words\n', 'tasks.txt')).toThrow(/^tasks\.txt:2: expected "name: prompt"/);
    expect(() => parseTaskFile(': no name', 'f')).toThrow(/f:1:/);
  });

  it('an empty file has no tasks', () => {
    expect(parseTaskFile('')).toEqual([]);
    expect(parseTaskFile('# only a comment\n\n')).toEqual([]);
  });
});

describe('parseTaskFile: markdown "## name" headings', () => {
  it('takes the text below each heading as its prompt, trimmed, newlines kept', () => {
    const text = `# Sprint 12\nintro text is ignored\n\n## auth\nFix the login.\n\nThen add a test.\n\n##   ui  \n- blue button\n- name: with colon\n`;
    expect(parseTaskFile(text)).toEqual([
      { name: 'auth', prompt: 'Fix the login.\n\nThen add a test.' },
      { name: 'ui', prompt: '- blue button\n- name: with colon' },
    ]);
  });

  it('a ### heading is part of the prompt, not a task', () => {
    expect(parseTaskFile('## a\n### detail\ntext')).toEqual([{ name: 'a', prompt: '### detail\ntext' }]);
  });

  it('a heading with no body has an empty prompt', () => {
    expect(parseTaskFile('## a\n## b\nx')).toEqual([
      { name: 'a', prompt: '' },
      { name: 'b', prompt: 'x' },
    ]);
  });
});

describe('fanOut (best-of-N)', () => {
  it('makes one task per agent, named <task>-<label>, with the same prompt', () => {
    expect(fanOut([{ name: 'p', prompt: 'x' }], ['claude', 'my agent --fast'], (a) => a.split(' ')[0]!)).toEqual([
      { name: 'p-claude', prompt: 'x', agent: 'claude' },
      { name: 'p-my', prompt: 'x', agent: 'my agent --fast' },
    ]);
  });
  it('numbers agents that share a label, in the order given, so every task name is distinct', () => {
    const sh = (cmd: string) => `sh -c '${cmd}'`;
    const names = fanOut([{ name: 'x' }], [sh('echo a'), 'claude', sh('echo b'), sh('echo c')], (a) => a.split(' ')[0]!).map((t) => [t.name, t.agent]);
    expect(names).toEqual([['x-sh-1', sh('echo a')], ['x-claude', 'claude'], ['x-sh-2', sh('echo b')], ['x-sh-3', sh('echo c')]]);
    expect(fanOut([{ name: 'x' }], ['claude', 'claude'], (a) => a).map((t) => t.name)).toEqual(['x-claude-1', 'x-claude-2']);
  });
  it('without agents leaves the tasks as they are', () => {
    const tasks = [{ name: 'a' }];
    expect(fanOut(tasks, [], (a) => a)).toBe(tasks);
  });
});

describe('duplicateNames', () => {
  it('lists each repeated name once', () => {
    expect(duplicateNames(['a', 'b', 'a', 'c', 'a', 'b'])).toEqual(['a', 'b']);
    expect(duplicateNames(['a', 'b'])).toEqual([]);
  });
});

describe('parseTaskFile: prerequisites', () => {
  it('takes a trailing (after: ...) off a line into after', () => {
    expect(parseTaskFile('a: the api\nb: do the client (after: a)\nc: both (After: a, b)\n')).toEqual([
      { name: 'a', prompt: 'the api' },
      { name: 'b', prompt: 'do the client', after: ['a'] },
      { name: 'c', prompt: 'both', after: ['a', 'b'] },
    ]);
  });

  it('leaves parentheses that are not a trailing after list in the prompt', () => {
    expect(parseTaskFile('a: fix (after: a) then more\nb: see (the docs)')).toEqual([
      { name: 'a', prompt: 'fix (after: a) then more' },
      { name: 'b', prompt: 'see (the docs)' },
    ]);
  });

  it('takes after: lines out of a heading body, joining several', () => {
    const text = '## a\nthe api\n\n## b\nafter: a\ndo the client\n  after: x, y\nmore\n';
    expect(parseTaskFile(text)).toEqual([
      { name: 'a', prompt: 'the api' },
      { name: 'b', prompt: 'do the client\nmore', after: ['a', 'x', 'y'] },
    ]);
  });

  it('an after: line of prose stays in the prompt', () => {
    expect(parseTaskFile('## b\nafter: the migration ran, check the rows\n')).toEqual([{ name: 'b', prompt: 'after: the migration ran, check the rows' }]);
  });

  it('names each prerequisite once', () => {
    expect(parseTaskFile('b: x (after: a, a,)')).toEqual([{ name: 'b', prompt: 'x', after: ['a'] }]);
  });
});
