import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { run } from '../support/main.js';
import { makeRepo, removeRepo, type TestRepo } from '../support/repo.js';
import { created, killAgents, NOTHING } from './_agents.js';

// Every unsafe task name from issue 3: one line on stderr, exit 2, and nothing made at all.
const BAD_NAMES: [string, string][] = [
  ['../x', 'path escape'],
  ['-x', 'leading dash'],
  ['a..b', 'double dot'],
  ['x.lock', '.lock suffix'],
  ['a b', 'space'],
  ['a/b', 'slash'],
  ['a\tb', 'tab (control character)'],
  ['a\u0007b', 'bell (control character)'],
  ['a\u001bb', 'escape (control character)'],
  ['a@{1}', '@{'],
  ['', 'empty'],
  ['x'.repeat(65), 'over 64 characters'],
];

describe('start rejects unsafe task names', () => {
  let repo: TestRepo;
  beforeEach(() => {
    repo = makeRepo();
  });
  afterEach(() => {
    killAgents(repo);
    removeRepo(repo);
  });

  it.each(BAD_NAMES)('%j (%s): one line, exit 2, nothing created', async (name) => {
    // `--` so that a name starting with '-' reaches the name check rather than the option parser
    const res = await run(repo.root, ['start', '--headless', '--agent', 'true', '--', name]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/invalid task name/);
    expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(res.stdout).toBe('');
    expect(created(repo)).toEqual(NOTHING);
  });

  it('accepts a name of exactly 64 characters', () => {
    const res = cli(repo.root, ['start', '--headless', '--agent', 'true', 'y'.repeat(64)]);
    expect(res.code, res.stderr).toBe(0);
    expect(created(repo).branches).toContain(`superset/${'y'.repeat(64)}`);
  });

  it('-x without -- is refused as an option, creating nothing', async () => {
    const res = await run(repo.root, ['start', '--headless', '--agent', 'true', '-x']);
    expect(res.code).toBe(2);
    expect(created(repo)).toEqual(NOTHING);
  });

  it('one bad name in a batch: the good names are not started either', async () => {
    const res = await run(repo.root, ['start', '--headless', '--agent', 'true', 'good', 'a..b', 'fine']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/invalid task name "a\.\.b"/);
    expect(created(repo)).toEqual(NOTHING);
  });

  it('a bad name in a --from file is refused before anything is created', async () => {
    const fs = await import('node:fs');
    fs.writeFileSync(`${repo.dir}/tasks.txt`, 'ok: do it\nx.lock: nope\n');
    const res = await run(repo.root, ['start', '--headless', '--agent', 'true', '--from', `${repo.dir}/tasks.txt`]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/x\.lock/);
    expect(created(repo)).toEqual(NOTHING);
  });

  it.each(['stop', 'rm', 'logs', 'attach'])('%s refuses a bad name with one line and exit 2', async (cmd) => {
    const res = await run(repo.root, [cmd, '--', '../x']);
    expect(res.code).toBe(2);
    expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/invalid task name/);
  });
});
