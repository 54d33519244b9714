import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { bufferCtx } from '../support/ctx.js';

// The command line's own behaviour, in-process: no repository is needed for any of it.
async function run(...argv: string[]) {
  const ctx = bufferCtx(os.tmpdir());
  const code = await main(argv, ctx);
  return { code, stdout: ctx.stdout(), stderr: ctx.stderr() };
}

describe('help', () => {
  it('`help <command>` is `<command> --help`', async () => {
    const help = await run('help', 'start');
    const flag = await run('start', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: git superset start/);
    expect(help.stdout).toContain('--agents');
    expect(help.stdout).toBe(flag.stdout);
  });

  it('`help` alone and `help help` print the list of commands', async () => {
    for (const argv of [['help'], ['help', 'help'], ['--help'], ['-h']]) {
      const res = await run(...argv);
      expect(res.code, argv.join(' ')).toBe(0);
      expect(res.stdout).toMatch(/^usage: git superset <command>/);
      expect(res.stdout).toMatch(/^ {2}start\s/m);
    }
  });

  it('`help` of an unknown command says so, with a suggestion', async () => {
    const res = await run('help', 'strat');
    expect(res.code).toBe(2);
    expect(res.stderr).toBe("git superset: unknown command 'strat' (did you mean 'start'?) (see 'git superset --help')\n");
  });
});

describe('an unknown command', () => {
  it.each([
    ['strat', 'start'],
    ['stpo', 'stop'],
    ['lss', 'ls'],
    ['attatch', 'attach'],
    ['sycn', 'sync'],
  ])('%s: one line, exit 2, did you mean %s', async (typed, meant) => {
    const res = await run(typed);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(`git superset: unknown command '${typed}' (did you mean '${meant}'?) (see 'git superset --help')\n`);
  });

  it('far from every command: no suggestion', async () => {
    const res = await run('frobnicate');
    expect(res.stderr).toBe("git superset: unknown command 'frobnicate' (see 'git superset --help')\n");
    expect(res.code).toBe(2);
  });

  it('an unknown option before any command is an option error', async () => {
    const res = await run('--frobnicate');
    expect(res.code).toBe(2);
    expect(res.stderr).toBe("git superset: unknown option '--frobnicate' (see 'git superset --help')\n");
  });
});

describe('option errors', () => {
  it('an unknown option: one line naming the command help, with commander\'s suggestion', async () => {
    const res = await run('ls', '--jsn');
    expect(res.code).toBe(2);
    expect(res.stderr).toBe("git superset: unknown option '--jsn' (did you mean --json?) (see 'git superset ls --help')\n");
    expect(res.stdout).toBe('');
  });

  it('a missing argument or option value: one line', async () => {
    const missing = await run('stop');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe("git superset: missing required argument 'tasks' (see 'git superset stop --help')\n");
    const value = await run('start', 't', '--agent');
    expect(value.code).toBe(2);
    expect(value.stderr).toBe("git superset: option '-a, --agent <agent>' argument missing (see 'git superset start --help')\n");
  });

  it('too many arguments: one line', async () => {
    const res = await run('logs', 'a', 'b');
    expect(res.code).toBe(2);
    expect(res.stderr.split('\n')).toHaveLength(2);
    expect(res.stderr).toMatch(/^git superset: too many arguments.*\(see 'git superset logs --help'\)\n$/);
  });
});

describe('version', () => {
  it.each([['-v'], ['-V'], ['--version'], ['version']])('%s prints the version', async (flag) => {
    const res = await run(flag);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^git-superset \d+\.\d+\.\d+\n$/);
  });
});
