import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../src/task/lock.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'superset-lock-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A pid that surely belongs to no process: one that just exited. */
async function deadPid(): Promise<number> {
  const child = spawn('true');
  await new Promise((r) => child.on('close', r));
  return child.pid!;
}

describe('withFileLock', () => {
  it('breaks a lock left by a dead holder', async () => {
    const lock = path.join(dir, 'x.lock');
    fs.writeFileSync(lock, String(await deadPid()));
    expect(await withFileLock(lock, () => 'got it', 2_000)).toBe('got it');
    expect(fs.existsSync(lock)).toBe(false);
  });

  it('never breaks a lock whose holder is alive, however old', async () => {
    const holder = spawn('sleep', ['30']);
    try {
      const lock = path.join(dir, 'x.lock');
      fs.writeFileSync(lock, String(holder.pid));
      const old = new Date(Date.now() - 60_000);
      fs.utimesSync(lock, old, old);
      await expect(withFileLock(lock, () => 'stolen', 500)).rejects.toThrow(/timed out/);
      expect(fs.readFileSync(lock, 'utf8')).toBe(String(holder.pid));
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('keeps holders mutually exclusive', async () => {
    const lock = path.join(dir, 'x.lock');
    let inside = 0;
    let overlaps = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        withFileLock(lock, async () => {
          if (++inside > 1) overlaps++;
          await new Promise((r) => setTimeout(r, 2));
          inside--;
        }),
      ),
    );
    expect(overlaps).toBe(0);
  });
});
