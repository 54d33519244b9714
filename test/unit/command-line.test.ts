import { describe, expect, it } from 'vitest';
import { splitCommandLine, withFlags, withPrompt, shWord } from '../../src/agents/command-line.js';

describe('splitCommandLine: shell quoting, no expansion', () => {
  it.each([
    ['claude', ['claude']],
    ['  a   b\tc\n d ', ['a', 'b', 'c', 'd']],
    [`sh -c 'echo "$1"' x`, ['sh', '-c', 'echo "$1"', 'x']],
    [`a "b c" d`, ['a', 'b c', 'd']],
    [`a "x \\"y\\" \\\\ \\$HOME \\\`z\\\`"`, ['a', 'x "y" \\ $HOME `z`']],
    [`a "\\n stays"`, ['a', '\\n stays']],
    [`a 'single \\ backslash'`, ['a', 'single \\ backslash']],
    [`a\\ b c`, ['a b', 'c']],
    [`a''b "c"'d'`, ['ab', 'cd']],
    [`x '' ""`, ['x', '', '']],
    [`$(rm -rf /) \`id\` ; | & *`, ['$(rm', '-rf', '/)', '`id`', ';', '|', '&', '*']],
    ['', []],
    ['   ', []],
  ])('%j', (line, words) => {
    expect(splitCommandLine(line)).toEqual(words);
  });

  it.each([`a 'open`, `a "open`, `"a 'b`])('refuses an unterminated quote: %j', (line) => {
    expect(() => splitCommandLine(line)).toThrow(/unterminated/);
  });
});

describe('withPrompt', () => {
  const prompt = `it's "quoted" $(x) \`y\` \\ and\na newline`;

  it('puts the prompt in place of {prompt}, as one word', () => {
    expect(withPrompt(['agent', '-p', '{prompt}', '--fast'], prompt)).toEqual(['agent', '-p', prompt, '--fast']);
  });

  it('appends the prompt when there is no {prompt} word', () => {
    expect(withPrompt(['agent', '--fast'], prompt)).toEqual(['agent', '--fast', prompt]);
  });

  it('drops {prompt} and appends nothing without a prompt (or an empty one)', () => {
    expect(withPrompt(['agent', '{prompt}', '-x'], undefined)).toEqual(['agent', '-x']);
    expect(withPrompt(['agent', '{prompt}'], '')).toEqual(['agent']);
    expect(withPrompt(['agent'], undefined)).toEqual(['agent']);
  });

  it('only a whole word is a slot: {prompt} inside a word is left alone', () => {
    expect(withPrompt(['agent', '--msg={prompt}'], 'p')).toEqual(['agent', '--msg={prompt}', 'p']);
  });

  it('{prompt:FLAG} is the option that carries the prompt: both, or neither', () => {
    expect(withPrompt(['gemini', '{prompt:-i}'], prompt)).toEqual(['gemini', '-i', prompt]);
    expect(withPrompt(['opencode', '{prompt:--prompt}', '--x'], prompt)).toEqual(['opencode', '--prompt', prompt, '--x']);
    expect(withPrompt(['opencode', '{prompt:--prompt}'], undefined)).toEqual(['opencode']);
    expect(withPrompt(['opencode', '{prompt:--prompt}'], '')).toEqual(['opencode']);
    // a flagged slot is a slot: the prompt is not appended a second time
    expect(withPrompt(['a', '{prompt:-m}', 'b'], 'p')).toEqual(['a', '-m', 'p', 'b']);
    // not a flag: left as a literal word, and the prompt appended
    expect(withPrompt(['a', '{prompt:x}'], 'p')).toEqual(['a', '{prompt:x}', 'p']);
  });

  it('does not change its input', () => {
    const words = ['agent', '{prompt}'];
    withPrompt(words, 'p');
    expect(words).toEqual(['agent', '{prompt}']);
  });
});

describe('withFlags', () => {
  it('inserts flags right after the binary', () => {
    expect(withFlags(['claude', '-p', '{prompt}'], ['--yolo'])).toEqual(['claude', '--yolo', '-p', '{prompt}']);
  });
  it('is a copy when there is nothing to insert', () => {
    const words = ['a', 'b'];
    const out = withFlags(words, []);
    expect(out).toEqual(words);
    expect(out).not.toBe(words);
    expect(withFlags([], ['--x'])).toEqual([]);
  });
});

describe('shWord', () => {
  it.each(['plain/path.js', 'with space', "it's", '$(rm -rf /)', '`x`', 'a\\b', 'new\nline', ''])('splitCommandLine reads %j back as one word', (word) => {
    expect(splitCommandLine(`echo ${shWord(word)}`)).toEqual(['echo', word]);
  });
});
