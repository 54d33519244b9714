import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { run } from '../support/main.js';
import { makeRepo, removeRepo, type TestRepo } from '../support/repo.js';

let repo: TestRepo;
beforeAll(() => {
  repo = makeRepo();
});
afterAll(() => removeRepo(repo));

// The core commands and the options each must document.
const CORE: Record<string, string[]> = {
  init: ['--json'],
  start: ['--agent', '--agents', '--prompt', '--base', '--branch', '--from', '--headless', '--tmux', '--yolo', '--json'],
  ls: ['--json'],
  status: ['--json'],
  attach: ['<task>'],
  logs: ['--follow', '<task>'],
  stop: ['--timeout', '--json'],
  rm: ['--force', '--json'],
};

// The built bin itself: --help, --version, and an option error without a stack trace. The rest
// is the same main() in-process (support/main.ts), one Node start-up less per command.
describe('the command line', () => {
  it('--help lists every core command and exits 0', () => {
    const res = cli(repo.root, ['--help']);
    expect(res.code).toBe(0);
    for (const name of Object.keys(CORE)) expect(res.stdout).toMatch(new RegExp(`^  ${name}\\s`, 'm'));
    expect(res.stdout).not.toMatch(/_exited/);
  });

  it.each(Object.entries(CORE))('%s --help exits 0 and mentions its options', async (name, options) => {
    const res = await run(repo.root, [name, '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`Usage: git superset ${name}`));
    for (const option of options) expect(res.stdout).toContain(option);
    expect(res.stderr).toBe('');
  });

  it('every command listed by --help has a working --help', async () => {
    const listed = (await run(repo.root, ['--help'])).stdout.split('commands:\n')[1]!.split('\n\n')[0]!.split('\n').map((l) => l.trim().split(/\s+/)[0]!).filter(Boolean);
    expect(listed.length).toBeGreaterThanOrEqual(Object.keys(CORE).length);
    for (const name of listed) {
      const res = await run(repo.root, [name, '--help']);
      expect(res.code, `${name} --help: ${res.stderr}`).toBe(0);
      expect(res.stdout).toContain(`git superset ${name}`);
    }
  });

  it('an unknown command: one line, exit 2', async () => {
    const res = await run(repo.root, ['frobnicate']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/unknown command 'frobnicate'/);
    expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('an unknown option exits 2 without a stack trace', () => {
    const res = cli(repo.root, ['ls', '--frobnicate']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/unknown option '--frobnicate'/);
    expect(res.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('no command prints usage and exits 2; --version exits 0', async () => {
    const none = await run(repo.root, []);
    expect(none.code).toBe(2);
    expect(none.stdout + none.stderr).toMatch(/usage: git superset <command>/);
    const version = cli(repo.root, ['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^git-superset \d+\.\d+\.\d+/);
  });

  it('a task that does not exist: one line, exit 2, for every command that takes one', async () => {
    for (const cmd of ['attach', 'logs', 'stop', 'rm']) {
      const res = await run(repo.root, [cmd, 'ghost']);
      expect(res.code, cmd).toBe(2);
      expect(res.stderr).toMatch(/no such task: ghost/);
      expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});
