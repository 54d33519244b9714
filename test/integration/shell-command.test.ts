import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runShellCommand } from '../../src/runner/shell-command.js';
import { readFrom } from '../../src/util/read-from.js';
import { isAlive } from '../../src/task/process-alive.js';
import { waitFor } from '../support/cli.js';

let dir: string;
const started: number[] = [];
beforeEach(() => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'superset-shell-')));
});
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

const base = { env: { PATH: process.env.PATH, X: 'it is "x"' }, keep: 10, ownGroup: true };

describe('runShellCommand', () => {
  it('runs in the directory with the given environment, keeps the tail of stdout and stderr, passes every chunk on', async () => {
    const chunks: string[] = [];
    const r = await runShellCommand({ ...base, command: 'pwd; printf "%s" "$X"; exit 3', cwd: dir, onOutput: (b) => chunks.push(b.toString()) });
    expect(r).toMatchObject({ code: 3, signal: null, output: '\nit is "x"' });
    expect(chunks.join('')).toBe(`${dir}\nit is "x"`);
    expect((await runShellCommand({ ...base, command: 'echo oops >&2', cwd: dir })).output).toBe('oops\n');
    expect(r.error).toBeUndefined();
  });

  it.each([true, false])('an abort ends it (own group %s: then what it started, too)', async (ownGroup) => {
    const abort = new AbortController();
    const run = runShellCommand({ ...base, ownGroup, command: 'sleep 30 & echo $! > bg.pid; wait', cwd: dir, signal: abort.signal });
    const bg = await waitFor(() => Number(fs.existsSync(path.join(dir, 'bg.pid')) && fs.readFileSync(path.join(dir, 'bg.pid'), 'utf8').trim()) || undefined, 5000, 'the background job');
    started.push(bg);
    abort.abort();
    const r = await run;
    expect(r.code).toBeNull();
    expect(r.signal).toBe('SIGTERM');
    if (ownGroup) await waitFor(() => !isAlive(bg), 5000, 'the background job to end');
  });

  it('a directory that is not there: an error, no code', async () => {
    const r = await runShellCommand({ ...base, command: 'true', cwd: path.join(dir, 'nope') });
    expect(r.code).toBeNull();
    expect(r.error).toBeInstanceOf(Error);
  });
});

describe('readFrom', () => {
  it('reads from an offset to the end, the tail with a negative one, nothing past the end', () => {
    const file = path.join(dir, 'log');
    fs.writeFileSync(file, 'hello world');
    expect(readFrom(file, 0)).toEqual({ text: 'hello world', end: 11 });
    expect(readFrom(file, 6)).toEqual({ text: 'world', end: 11 });
    expect(readFrom(file, -5)).toEqual({ text: 'world', end: 11 });
    expect(readFrom(file, -50)).toEqual({ text: 'hello world', end: 11 });
    expect(readFrom(file, 11)).toEqual({ text: '', end: 11 });
    expect(readFrom(file, 20)).toEqual({ text: '', end: 20 });
  });
});
